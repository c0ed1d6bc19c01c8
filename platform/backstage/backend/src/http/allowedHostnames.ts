import type { Config } from '@backstage/config';

/**
 * The hostnames this backend answers to: those of `backend.baseUrl` and `app.baseUrl`, and
 * `localhost` (what the backend's own plugins call, and what `npm run portal` is opened as).
 * A Host header that is an IP address is accepted too (see isAllowedHost).
 */
export function allowedHostnames(config: Config): Set<string> {
  const hostnames = new Set(['localhost']);
  for (const key of ['backend.baseUrl', 'app.baseUrl']) {
    const url = config.getOptionalString(key);
    if (url) hostnames.add(new URL(url).hostname.toLowerCase());
  }
  return hostnames;
}
