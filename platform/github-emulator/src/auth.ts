import { randomBytes, verify } from 'node:crypto';
import type { RouteResult } from './routes/http.js';
import type { EmulatorState, TokenGrant } from './state.js';

// Who is calling: a token from the Authorization header (Bearer/token for REST, Basic for git),
// and GitHub Apps, whose RS256 JWTs are exchanged for installation tokens.

export interface EmulatedApp {
  appId: string;
  /** The App's public key (PEM), to check its JWTs. */
  publicKey: string;
  /** installation id → what its tokens may do (scopes stand in for App permissions). */
  installations: Record<string, { scopes?: string[] }>;
}

/** The grant of the token an Authorization header carries, or undefined when there is none or it is unknown. */
export function authenticate(state: EmulatorState, header: string | undefined): TokenGrant | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  let token = value;
  if (scheme?.toLowerCase() === 'basic') token = Buffer.from(value, 'base64').toString('utf8').split(':').slice(1).join(':');
  return state.tokens.get(token);
}

/** POST /app/installations/{id}/access_tokens: checks the App's RS256 JWT, mints a token. */
export function mintInstallationToken(
  state: EmulatorState,
  apps: readonly EmulatedApp[],
  installationId: string,
  header: string | undefined,
): RouteResult {
  const jwt = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const [head, payload, signature] = jwt.split('.');
  let claims: { iss?: unknown; exp?: number } = {};
  try {
    claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as typeof claims;
  } catch {
    // not a JWT: refused below
  }
  const app = apps.find((a) => a.appId === String(claims.iss));
  const signed =
    app && head && signature && verify('sha256', Buffer.from(`${head}.${payload}`), app.publicKey, Buffer.from(signature, 'base64url'));
  if (!app || !signed || !claims.exp || claims.exp < Date.now() / 1000) {
    return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
  }
  const installation = app.installations[installationId];
  if (!installation) return { status: 404, body: { message: 'Not Found' } };
  const token = `ghs_${randomBytes(18).toString('hex')}`;
  state.tokens.set(token, { login: `app-${app.appId}[bot]`, scopes: installation.scopes ?? ['repo', 'admin:org'], kind: 'app' });
  return {
    status: 201,
    body: {
      token,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: { administration: 'write', contents: 'write' },
    },
  };
}
