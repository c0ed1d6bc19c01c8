import type { CatalogApi } from '@backstage/catalog-client';
import { answerError, CatalogError, invalidUrlError, unreachableError } from './catalogError.js';

/** How long one catalog request may take, its answer's body included (docs/adr/0026). */
export const CATALOG_TIMEOUT_MS = 15_000;

/** Where the Backstage catalog is and how to call it. */
export interface BackstageCatalogOptions {
  /** Backstage's base URL (the catalog is at <url>/api/catalog). */
  url: string;
  /** Sent as `Authorization: Bearer` when set ($BACKSTAGE_TOKEN); never shown. */
  token?: string;
  /** Per request; CATALOG_TIMEOUT_MS unless given. */
  timeoutMs?: number;
}

/** The Backstage catalog, every call through Backstage's own CatalogClient. */
export interface BackstageCatalog {
  /** The base URL, without trailing slashes: what messages name. */
  readonly url: string;
  /** Runs `request` on the client; any failure comes out as a CatalogError (detail and fix). */
  call<T>(request: (client: CatalogApi) => Promise<T>): Promise<T>;
}

/**
 * The one catalog client of idp (doctor, new, publish, fleet): base URL, token and timeout in one
 * place. @backstage/catalog-client is imported on the first call, not before: it costs about
 * 0.3 s to load, and most commands that can reach the catalog never do.
 */
export function backstageCatalog({ url: given, token, timeoutMs = CATALOG_TIMEOUT_MS }: BackstageCatalogOptions): BackstageCatalog {
  const url = given.replace(/\/+$/, '');
  let client: Promise<CatalogApi> | undefined;
  const open = async (): Promise<CatalogApi> => {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw invalidUrlError(given);
    const { CatalogClient } = await import('@backstage/catalog-client');
    return new CatalogClient({
      discoveryApi: { getBaseUrl: async (pluginId) => `${url}/api/${pluginId}` },
      fetchApi: {
        async fetch(input, init) {
          const headers = new Headers(init?.headers);
          if (token) headers.set('authorization', `Bearer ${token}`);
          const timeout = AbortSignal.timeout(timeoutMs);
          const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
          try {
            return await fetch(input, { ...init, headers, signal });
          } catch (error) {
            throw unreachableError(url, error, timeoutMs);
          }
        },
      },
    });
  };
  return {
    url,
    async call(request) {
      try {
        client ??= open();
        return await request(await client);
      } catch (error) {
        // The body of an answer is read under the same timeout: a stall there is no answer either.
        if (!(error instanceof CatalogError) && (error as { name?: string })?.name === 'TimeoutError')
          throw unreachableError(url, error, timeoutMs);
        throw answerError(url, error, token !== undefined && token !== '');
      }
    },
  };
}
