import type { Problem } from '@idp/service-spec';

/** How a command talks to the person (or program) running it. */
export interface Reporter {
  readonly json: boolean;
  step(text: string): void;
  done(text: string): void;
  info(text: string): void;
  problems(title: string, problems: readonly Problem[]): void;
  error(text: string): void;
  result(data: Record<string, unknown>): void;
}

export interface ReporterOptions {
  json?: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

/**
 * Human output goes to stderr so stdout stays clean for --json. Colour only on a terminal and
 * never with NO_COLOR (https://no-color.org).
 */
export function createReporter({
  json = false,
  stdout = process.stdout,
  stderr = process.stderr,
  env = process.env,
}: ReporterOptions = {}): Reporter {
  const color = Boolean(stderr.isTTY) && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const say = (text: string) => {
    if (!json) stderr.write(`${text}\n`);
  };
  return {
    json,
    step: (text) => say(`${paint(36, '•')} ${text}`),
    done: (text) => say(`${paint(32, '✔')} ${text}`),
    info: (text) => say(text),
    problems: (title, problems) => {
      if (json) return;
      stderr.write(`${paint(31, '✖')} ${title}\n`);
      for (const p of problems) stderr.write(`  ${paint(1, p.field)}: ${p.message}\n`);
    },
    error: (text) => {
      if (!json) stderr.write(`${paint(31, '✖')} ${text}\n`);
    },
    result: (data) => {
      if (json) stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    },
  };
}
