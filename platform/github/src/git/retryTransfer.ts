const ATTEMPTS = 4;

/**
 * Retries a git transfer (a 5xx or a dropped connection), publish's and the fleet's alike. The
 * attempt itself must look before it acts: a push whose answer was lost may have landed. An error
 * `final` picks (an answer that will not change, such as "the repository holds something else")
 * is thrown at once.
 */
export async function retryTransfer<T>(
  what: string,
  backoffMs: number,
  log: (message: string) => void,
  attempt: () => Promise<T>,
  final: (error: unknown) => boolean = () => false,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (final(error) || i >= ATTEMPTS) throw error;
      log(`${what} failed (${(error as Error).message.split('\n')[0]}); retrying (${i}/${ATTEMPTS - 1})`);
      await new Promise((resolve) => setTimeout(resolve, backoffMs * i * i));
    }
  }
}
