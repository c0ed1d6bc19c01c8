import { InvalidInputError, type Problem } from '@idp/service-spec';

/**
 * Runs a call into @idp/github, whose invalid-input errors come from its own copy of
 * @idp/service-spec (the bundle keeps @idp/github external): they are thrown again as this
 * bundle's InvalidInputError, so the command exits 2 with every problem listed, as for its own.
 */
export async function inputErrorsOf<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { name, message, problems } = (error ?? {}) as { name?: string; message?: string; problems?: Problem[] };
    if (error instanceof InvalidInputError || name !== 'InvalidInputError' || !Array.isArray(problems)) throw error;
    throw new InvalidInputError((message ?? '').split('\n')[0]!.replace(/ is invalid:$/, ''), problems);
  }
}
