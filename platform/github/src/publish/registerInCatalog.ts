import { requireRepo, type PublishStep } from './context.js';
import { PublishError } from './errors.js';
import { CATALOG_FILE } from './readPublishPlan.js';

/** The catalog-info.yaml URL Backstage reads, on the default branch. */
export function catalogTarget(htmlUrl: string): string {
  return `${htmlUrl}/blob/main/${CATALOG_FILE}`;
}

/** Registers catalog-info.yaml with Backstage's catalog (POST /api/catalog/locations). */
export const registerInCatalog: PublishStep = {
  id: 'catalog',
  title: 'Register in the Backstage catalog',
  async run(context) {
    const backstage = context.backstage;
    if (!backstage) return { status: 'skipped', detail: 'no --backstage-url given' };
    const target = catalogTarget(requireRepo(context).htmlUrl);
    const base = backstage.url.replace(/\/+$/, '');
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (backstage.token) headers.authorization = `Bearer ${backstage.token}`;
    const listing = await fetch(`${base}/api/catalog/locations`, { headers });
    if (!listing.ok) throw catalogError(listing.status, await listing.text(), base);
    const locations = (await listing.json()) as Array<{ data?: { target?: string } }>;
    if (locations.some((l) => l.data?.target === target)) return { status: 'unchanged', detail: `${target} is registered` };
    if (context.dryRun) return { status: 'planned', detail: `would register ${target}` };
    const response = await fetch(`${base}/api/catalog/locations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'url', target }),
    });
    // 409: registered meanwhile (or by an attempt whose answer was lost).
    if (response.status === 409) return { status: 'unchanged', detail: `${target} is registered` };
    if (!response.ok) throw catalogError(response.status, await response.text(), base);
    return { status: 'created', detail: `registered ${target}` };
  },
};

function catalogError(status: number, body: string, base: string): PublishError {
  const hint = status === 401 || status === 403 ? ': set BACKSTAGE_TOKEN to a token the catalog accepts' : '';
  return new PublishError('catalog', `The Backstage catalog at ${base} answered ${status}${hint} (${body.slice(0, 200)})`);
}
