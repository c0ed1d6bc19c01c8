/**
 * A Backstage error response body (`{ error: { name, message, stack?, cause? }, ... }`) with
 * every `stack` removed, its causes' included; any other body unchanged. Stacks name the host's
 * absolute file paths and module versions: they belong in the log, not in a response.
 */
export function withoutStackTraces(body: unknown): unknown {
  if (!isObject(body) || !isObject(body.error)) return body;
  return { ...body, error: withoutStack(body.error) };
}

function withoutStack(error: Record<string, unknown>): Record<string, unknown> {
  const { stack: _stack, ...rest } = error;
  return isObject(rest.cause) ? { ...rest, cause: withoutStack(rest.cause) } : rest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
