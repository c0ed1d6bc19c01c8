import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, repoPath } from '../../../test/repoRoot.js';
import { v8StartFlags } from '../scripts/v8StartFlags.mjs';

export const IDP_BIN = fileURLToPath(new URL('../bin/idp.js', import.meta.url));
export { REPO_ROOT };
export const TEMPLATES_DIR = repoPath('templates');

if (!existsSync(new URL('../dist/main.js', import.meta.url))) {
  throw new Error('platform/cli is not built: run `npm run build` (npm test does it first)');
}

/**
 * Node's arguments for the repository's `idp ARGS`: with the V8 flags the installed launcher starts
 * that command with (they change how fast it runs, never what it does).
 */
export function idpArgv(args: readonly string[]): string[] {
  return [...v8StartFlags(args), IDP_BIN, ...args];
}

export interface IdpResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `idp` the way a person does: a fresh process, on this Node. */
export function runIdp(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): IdpResult {
  const result = spawnSync(process.execPath, idpArgv(args), {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    input: options.input ?? '',
    encoding: 'utf-8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the ANSI sequences this removes.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * Runs a command line on a pseudo-terminal (util-linux `script`), answering each question when
 * `? <question>` appears, as a person would. Answers are matched by question title, in order; the
 * screen comes back without its ANSI sequences.
 */
export function runOnTerminal(
  commandLine: string,
  answers: Array<[question: string, keys: string]>,
  { cwd, env = { ...process.env, NO_COLOR: '1' } }: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<IdpResult> {
  const child = spawn('script', ['-qfec', commandLine, '/dev/null'], { cwd, env: { ...env, TERM: 'xterm' } });
  let screen = '';
  let next = 0;
  let searchFrom = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`idp did not finish; screen so far:\n${screen.slice(-2000)}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf-8').replace(ANSI, '');
      while (next < answers.length) {
        const [question, keys] = answers[next]!;
        const at = screen.indexOf(`? ${question}`, searchFrom);
        if (at === -1) break;
        searchFrom = at + question.length;
        next += 1;
        child.stdin.write(keys);
      }
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: screen, stderr: '' });
    });
  });
}

/** The repository's `idp ARGS` on a pseudo-terminal (see runOnTerminal). */
export function runIdpInteractive(args: string[], answers: Array<[question: string, keys: string]>, cwd: string): Promise<IdpResult> {
  const command = [process.execPath, ...idpArgv(args)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return runOnTerminal(command, answers, { cwd });
}
