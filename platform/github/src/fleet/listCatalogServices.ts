/** The annotation every idp template writes into catalog-info.yaml. */
export const TEMPLATE_ANNOTATION = 'idp.dev/template';
const SLUG_ANNOTATION = 'github.com/project-slug';

interface CatalogPage {
  items: Array<{ metadata?: { annotations?: Record<string, string> } }>;
  pageInfo?: { nextCursor?: string };
}

/**
 * The GitHub repositories (owner/name) of the components Backstage knows as made from an idp
 * template: GET /api/catalog/entities/by-query, filtered on the template annotation, every page.
 */
export async function listCatalogServices(backstage: { url: string; token?: string }): Promise<string[]> {
  const base = backstage.url.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (backstage.token) headers.authorization = `Bearer ${backstage.token}`;
  const slugs = new Set<string>();
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams(
      cursor ? { cursor } : { filter: `kind=component,metadata.annotations.${TEMPLATE_ANNOTATION}`, limit: '500' },
    );
    query.append('fields', 'metadata.annotations');
    const response = await fetch(`${base}/api/catalog/entities/by-query?${query}`, { headers });
    if (!response.ok) {
      const hint = response.status === 401 || response.status === 403 ? ': set BACKSTAGE_TOKEN to a token the catalog accepts' : '';
      throw new Error(`The Backstage catalog at ${base} answered ${response.status}${hint} (${(await response.text()).slice(0, 200)})`);
    }
    const page = (await response.json()) as CatalogPage;
    for (const item of page.items) {
      const slug = item.metadata?.annotations?.[SLUG_ANNOTATION];
      if (slug && /^[^/\s]+\/[^/\s]+$/.test(slug)) slugs.add(slug);
    }
    cursor = page.pageInfo?.nextCursor;
  } while (cursor);
  return [...slugs];
}
