import { backstageCatalog, type BackstageCatalogOptions } from '../catalog/backstageCatalog.js';

/** The annotation every idp template writes into catalog-info.yaml. */
export const TEMPLATE_ANNOTATION = 'idp.dev/template';
const SLUG_ANNOTATION = 'github.com/project-slug';

/**
 * The GitHub repositories (owner/name) of the components Backstage knows as made from an idp
 * template: GET /api/catalog/entities/by-query, filtered on the template annotation, every page.
 */
export async function listCatalogServices(backstage: BackstageCatalogOptions): Promise<string[]> {
  const slugs = new Set<string>();
  await backstageCatalog(backstage).call(async (client) => {
    // Loaded already by the call itself; imported here so that listing the fleet costs nothing until then.
    const { CATALOG_FILTER_EXISTS } = await import('@backstage/catalog-client');
    const pages = client.streamEntities({
      filter: { kind: 'component', [`metadata.annotations.${TEMPLATE_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
      fields: ['metadata.annotations'],
      pageSize: 500,
    });
    for await (const items of pages) {
      for (const item of items) {
        // Only the annotations were asked for: an entity without any comes back without metadata.
        const slug = item.metadata?.annotations?.[SLUG_ANNOTATION];
        if (slug && /^[^/\s]+\/[^/\s]+$/.test(slug)) slugs.add(slug);
      }
    }
  });
  return [...slugs];
}
