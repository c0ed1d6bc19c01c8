import { InputError } from '@backstage/errors';

/** Where a published service's catalog file sits: the template writes it at the repository's root. */
export const CATALOG_INFO_PATH = 'catalog-info.yaml';

/**
 * The catalog-info.yaml URL of the repository publish:github created, or an InputError when
 * `repoContentsUrl` is not a repository of the platform's organisation on a known GitHub host:
 * `https://<host>/<org>/<repo>/blob/<branch>` (publish:github's `repoContentsUrl` output).
 */
export function serviceCatalogInfoUrl(repoContentsUrl: string, allowed: { org: string; hosts: readonly string[] }): string {
  const example = `e.g. https://${allowed.hosts[0] ?? 'github.com'}/${allowed.org}/fraud-detector/blob/main`;
  let url: URL;
  try {
    url = new URL(repoContentsUrl);
  } catch {
    throw new InputError(`repoContentsUrl: must be a URL (publish:github's repoContentsUrl output), ${example}; got ${JSON.stringify(repoContentsUrl)}`);
  }
  if (!allowed.hosts.includes(url.host.toLowerCase()) || url.username || url.password || url.search || url.hash) {
    throw new InputError(
      `repoContentsUrl: must be on a configured GitHub integration host (${allowed.hosts.join(', ')}), ${example}; got ${JSON.stringify(repoContentsUrl)}`,
    );
  }
  const segments = url.pathname.split('/').slice(1);
  const [org, repo, blob, ...branch] = segments;
  const validSegment = (s: string | undefined) => !!s && s !== '.' && s !== '..' && /^[A-Za-z0-9._-]+$/.test(s);
  if (org?.toLowerCase() !== allowed.org.toLowerCase() || !validSegment(repo) || blob !== 'blob' || branch.length === 0 || !branch.every(validSegment)) {
    throw new InputError(
      `repoContentsUrl: must be a repository of the platform's GitHub organisation ${allowed.org} (the contract's github.org), ${example}; got ${JSON.stringify(repoContentsUrl)}`,
    );
  }
  return `${url.origin}/${org}/${repo}/blob/${branch.join('/')}/${CATALOG_INFO_PATH}`;
}
