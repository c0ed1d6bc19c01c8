import { InvalidInputError, type Problem } from '@idp/service-spec';
import { TargetNotEmptyError, TemplateError, removeStagingNow } from '@idp/scaffold';
import { EXIT_FAILURE, EXIT_INVALID_INPUT, EXIT_OK } from '../exitCodes.js';
import { createReporter, type Reporter } from './reporter.js';

/**
 * Runs a command body and maps what it throws to process.exitCode and a message: invalid input (2)
 * lists every problem with its field and fix; anything else is a failure (1). A signal removes
 * half-written staging output before the process ends.
 */
export async function runCommand(
  flags: { json?: boolean },
  // biome-ignore lint/suspicious/noConfusingVoidType: a body with nothing to say about the exit code returns nothing.
  body: (reporter: Reporter) => Promise<number | void>,
): Promise<void> {
  const reporter = createReporter({ json: flags.json });
  const onSignal = (signal: NodeJS.Signals) => {
    removeStagingNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    process.exitCode = (await body(reporter)) ?? EXIT_OK;
  } catch (error) {
    const problems = problemsOf(error);
    if (problems) {
      reporter.problems((error as Error).message.split('\n')[0] ?? 'Invalid input', problems);
      reporter.result({ ok: false, exitCode: EXIT_INVALID_INPUT, problems });
      process.exitCode = EXIT_INVALID_INPUT;
      return;
    }
    const message = (error as Error).message ?? String(error);
    reporter.error(message);
    reporter.result({ ok: false, exitCode: EXIT_FAILURE, error: message });
    process.exitCode = EXIT_FAILURE;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function problemsOf(error: unknown): Problem[] | undefined {
  if (error instanceof InvalidInputError) return error.problems;
  // The CLI bundle keeps @idp/github external, and it throws its own copy's InvalidInputError:
  // recognised by name and shape, so its invalid input exits 2 like ours.
  const { name, problems } = (error ?? {}) as { name?: unknown; problems?: unknown };
  if (name === 'InvalidInputError' && Array.isArray(problems)) return problems as Problem[];
  if (error instanceof TargetNotEmptyError) return [{ field: '--out', message: error.message }];
  if (error instanceof TemplateError) return undefined;
  if ((error as { isTtyError?: boolean })?.isTtyError || (error as Error)?.name === 'ExitPromptError') {
    return [
      {
        field: '(prompt)',
        message: 'the prompts could not run here (no terminal or input closed); pass --yes with --set/--values to run without them',
      },
    ];
  }
  return undefined;
}
