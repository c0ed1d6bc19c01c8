import { backstageCatalog } from '../catalog/backstageCatalog.js';
import { requireRepo, type PublishStep } from './context.js';
import { PublishError } from './errors.js';
import { CATALOG_FILE } from './readPublishPlan.js';

/** The catalog-info.yaml URL Backstage reads, on the default branch. */
export function catalogTarget(htmlUrl: string): string {
  return `${htmlUrl}/blob/main/${CATALOG_FILE}`;
}

/** Registers catalog-info.yaml with Backstage's catalog (a `url` location, POST /api/catalog/locations). */
export const registerInCatalog: PublishStep = {
  id: 'catalog',
  title: 'Register in the Backstage catalog',
  async run(context) {
    if (!context.backstage) return { status: 'skipped', detail: 'no --backstage-url given' };
    const target = catalogTarget(requireRepo(context).htmlUrl);
    const catalog = backstageCatalog(context.backstage);
    try {
      if (await catalog.call((client) => client.getLocationByRef(`url:${target}`))) {
        return { status: 'unchanged', detail: `${target} is registered` };
      }
      if (context.dryRun) return { status: 'planned', detail: `would register ${target}` };
      await catalog.call((client) => client.addLocation({ type: 'url', target }));
      return { status: 'created', detail: `registered ${target}` };
    } catch (error) {
      // 409: registered meanwhile (or by an attempt whose answer was lost).
      if ((error as { status?: number }).status === 409) return { status: 'unchanged', detail: `${target} is registered` };
      throw new PublishError('catalog', (error as Error).message, { cause: error });
    }
  },
};
