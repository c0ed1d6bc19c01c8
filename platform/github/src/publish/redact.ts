import { redactUrlCredentials } from '@idp/scaffold';

/**
 * Replaces every form a secret can take in text (raw, and inside HTTP Basic credentials) with ***,
 * and the userinfo of any URL in it (a --github-url or a templates URL a person typed with one).
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = redactUrlCredentials(text);
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of [secret, Buffer.from(`x-access-token:${secret}`).toString('base64'), encodeURIComponent(secret)]) {
      result = result.split(form).join('***');
    }
  }
  return result;
}
