import { httpStatus } from './context.js';

/** A publish failure with the step it happened in and what to do about it. */
export class PublishError extends Error {
  readonly step: string;
  constructor(step: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishError';
    this.step = step;
  }
}

/** Turns whatever a step threw into a PublishError whose message says what to do next. */
export function explainFailure(step: string, error: unknown): PublishError {
  if (error instanceof PublishError) return error;
  const status = httpStatus(error);
  const message = (error as Error)?.message ?? String(error);
  const response = (error as { response?: { headers?: Record<string, string> } }).response;
  const accepted = response?.headers?.['x-accepted-oauth-scopes'];
  if (status === 401)
    return new PublishError(step, `GitHub rejected the token (401): set GITHUB_TOKEN or GH_TOKEN to a valid token`, { cause: error });
  if (status === 403 && /rate limit/i.test(message)) {
    return new PublishError(
      step,
      `GitHub kept rate-limiting the requests (${message}): wait and run idp publish again; finished steps are kept`,
      { cause: error },
    );
  }
  if (status === 429)
    return new PublishError(step, `GitHub kept rate-limiting the requests (429): wait and run idp publish again; finished steps are kept`, {
      cause: error,
    });
  if (status === 403) {
    return new PublishError(
      step,
      `The token is not allowed to do this (403 ${message})${accepted ? `; it needs the scope ${accepted}` : ''}: use a token with the repo scope (and admin:org for team access), or an org owner's token`,
      { cause: error },
    );
  }
  if (status !== undefined && status >= 500) {
    return new PublishError(
      step,
      `GitHub failed (${status} ${message}) after retries: run idp publish again; it resumes where it stopped`,
      { cause: error },
    );
  }
  return new PublishError(step, message, { cause: error });
}
