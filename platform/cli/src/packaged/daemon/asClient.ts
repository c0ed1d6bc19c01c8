import type { DaemonRequest } from './frames.js';

type RunRequest = Extract<DaemonRequest, { kind: 'run' }>;
type Write = typeof process.stdout.write;

/**
 * Runs body as if this process had started in the client's shell: its working folder, environment
 * (set in place, so child processes and os.homedir() see it too), umask, and terminals; what it
 * writes to stdout and stderr goes to the client. Everything is put back afterwards. The daemon runs
 * one request at a time, so no two requests ever share these process-wide settings.
 */
export async function asClient<T>(
  request: RunRequest,
  output: (stream: 'stdout' | 'stderr', chunk: Uint8Array) => void,
  body: () => Promise<T>,
): Promise<T> {
  const saved = {
    cwd: process.cwd(),
    env: { ...process.env },
    stdout: saveStream(process.stdout),
    stderr: saveStream(process.stderr),
    exitCode: process.exitCode,
  };
  process.chdir(request.cwd);
  const umask = process.umask(request.umask);
  try {
    replaceEnv(request.env);
    redirect(process.stdout, request.stdoutIsTTY, request.columns, (chunk) => output('stdout', chunk));
    redirect(process.stderr, request.stderrIsTTY, request.columns, (chunk) => output('stderr', chunk));
    process.exitCode = undefined;
    return await body();
  } finally {
    process.exitCode = saved.exitCode;
    restoreStream(process.stdout, saved.stdout);
    restoreStream(process.stderr, saved.stderr);
    replaceEnv(saved.env);
    process.umask(umask);
    process.chdir(saved.cwd);
  }
}

function replaceEnv(next: Record<string, string | undefined>): void {
  for (const name of Object.keys(process.env)) if (!(name in next)) delete process.env[name];
  for (const [name, value] of Object.entries(next)) if (value !== undefined && process.env[name] !== value) process.env[name] = value;
}

type Stream = NodeJS.WriteStream;
const TERMINAL_PROPERTIES = ['isTTY', 'columns'] as const;

function saveStream(stream: Stream) {
  return {
    write: Object.hasOwn(stream, 'write') ? stream.write : undefined,
    properties: TERMINAL_PROPERTIES.map((name) => [name, Object.getOwnPropertyDescriptor(stream, name)] as const),
  };
}

function redirect(stream: Stream, isTTY: boolean, columns: number | undefined, send: (chunk: Uint8Array) => void): void {
  const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), done?: () => void) => {
    send(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf-8') : chunk);
    (typeof encoding === 'function' ? encoding : done)?.();
    return true;
  };
  stream.write = write as Write;
  Object.defineProperty(stream, 'isTTY', { value: isTTY, configurable: true, writable: true });
  Object.defineProperty(stream, 'columns', { value: isTTY ? columns : undefined, configurable: true, writable: true });
}

function restoreStream(stream: Stream, saved: ReturnType<typeof saveStream>): void {
  if (saved.write) stream.write = saved.write;
  else delete (stream as Partial<Stream>).write;
  for (const [name, descriptor] of saved.properties) {
    if (descriptor) Object.defineProperty(stream, name, descriptor);
    else delete (stream as unknown as Record<string, unknown>)[name];
  }
}
