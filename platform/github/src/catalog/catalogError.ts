/** A call to the Backstage catalog that failed: what happened, and what to do about it. */
export class CatalogError extends Error {
  /** What went wrong, naming the catalog's URL (never the token). */
  readonly detail: string;
  /** What to change so the next call works. */
  readonly fix: string;
  /** The HTTP status the catalog answered, when it answered at all. */
  readonly status: number | undefined;
  constructor(detail: string, fix: string, options: { status?: number; cause?: unknown } = {}) {
    super(`${detail}: ${fix}`, { cause: options.cause });
    this.name = 'CatalogError';
    this.detail = detail;
    this.fix = fix;
    this.status = options.status;
  }
}

const URL_FIX =
  'set the Backstage URL (backstageUrl in the idp config file, IDP_BACKSTAGE_URL or --backstage-url) to its base URL, e.g. https://backstage.example.com';
const TOKEN_FIX = 'export BACKSTAGE_TOKEN with a token the catalog accepts (a static external-access token of the backend)';

/** The URL as given is not one fetch can call. */
export function invalidUrlError(url: string): CatalogError {
  return new CatalogError(`${JSON.stringify(url)} is not an http(s) URL`, URL_FIX);
}

/** No answer: refused, unresolvable or too slow. */
export function unreachableError(url: string, error: unknown, timeoutMs: number): CatalogError {
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new CatalogError(
      `Backstage at ${url} did not answer within ${timeoutMs / 1000} s`,
      `check that Backstage runs there and its catalog answers, or ${URL_FIX}`,
      { cause: error },
    );
  }
  // fetch says only "fetch failed": the reason is its cause's code (ECONNREFUSED) or message (bad port).
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return new CatalogError(`cannot reach Backstage at ${url} (${reason})`, `check that Backstage runs there, or ${URL_FIX}`, {
    cause: error,
  });
}

/**
 * What the catalog client threw once an answer came: a status it did not expect (the client's
 * ResponseError, which carries the server's own message) or an answer it could not read.
 */
export function answerError(url: string, error: unknown, withToken: boolean): CatalogError {
  if (error instanceof CatalogError) return error;
  const response = error as { name?: string; statusCode?: number; statusText?: string; cause?: { message?: string } };
  if (response?.name === 'ResponseError' && typeof response.statusCode === 'number') {
    const status = response.statusCode;
    if (status === 401 || status === 403) {
      return new CatalogError(
        `Backstage at ${url} answered ${status} to the catalog API ${withToken ? 'with' : 'without'} BACKSTAGE_TOKEN`,
        TOKEN_FIX,
        {
          status,
          cause: error,
        },
      );
    }
    const said = response.cause?.message ? ` (${response.cause.message.slice(0, 200)})` : '';
    return new CatalogError(
      `the Backstage catalog at ${url} answered ${status} ${response.statusText ?? ''}`.trimEnd() + said,
      status >= 500 ? 'check that the catalog runs there, then try again' : `check that ${url} is Backstage's base URL, or ${URL_FIX}`,
      { status, cause: error },
    );
  }
  return new CatalogError(
    `the Backstage catalog at ${url} gave an answer idp cannot read (${(error as Error)?.message ?? String(error)})`,
    `check that ${url} is Backstage's backend, or ${URL_FIX}`,
    { cause: error },
  );
}
