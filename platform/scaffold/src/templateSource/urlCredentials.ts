/**
 * Credentials a person may write into a URL (`https://user:TOKEN@host/org/templates.git`): what
 * git needs to reach the repository, but nothing idp may record, print or pass in argv.
 */
export interface UrlCredentials {
  /** The URL without its userinfo: what provenance records and messages show. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
}

// scheme://userinfo@ — userinfo runs up to the first @ before the path (RFC 3986: no / ? # in it).
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/i;

/** Splits a URL's userinfo off; other text (a path, an scp-like git@host:path) comes back as it is. */
export function splitUrlCredentials(location: string): UrlCredentials {
  const match = USERINFO.exec(location);
  if (!match) return { url: location };
  const userinfo = match[2]!;
  const colon = userinfo.indexOf(':');
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1));
  return {
    url: `${match[1]}${location.slice(match[0].length)}`,
    ...(username ? { username } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
}

/** The URL as idp records and shows it: without userinfo. */
export function withoutUrlCredentials(location: string): string {
  return splitUrlCredentials(location).url;
}

/**
 * Text with the userinfo of every URL in it replaced by *** (a message may quote a URL a person
 * typed, or one git echoed), and each of `secrets` removed wherever it stands.
 */
export function redactUrlCredentials(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let result = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s'"]+@/gi, '$1***@');
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) result = result.split(form).join('***');
  }
  return result;
}
