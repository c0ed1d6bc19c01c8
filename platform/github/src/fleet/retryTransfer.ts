const ATTEMPTS = 4;

/**
 * Retries a git transfer (a 5xx or a dropped connection). The attempt itself must look before it
 * acts: a push whose answer was lost may have landed.
 */
export async function retryTransfer<T>(
  what: string,
  backoffMs: number,
  log: (message: string) => void,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= ATTEMPTS) throw error;
      log(`${what} failed (${(error as Error).message.split('\n')[0]}); retrying (${i}/${ATTEMPTS - 1})`);
      await new Promise((resolve) => setTimeout(resolve, backoffMs * i * i));
    }
  }
}
