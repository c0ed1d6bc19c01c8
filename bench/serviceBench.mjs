// What the service benchmarks share: free ports, readiness polling, Python processes and wrk slices.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const PYTHON = '/usr/bin/python3';

export async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function poll(url, ok = (r) => r.ok) {
  for (;;) {
    try {
      if (ok(await fetch(url))) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** `python3 ARGS` in `cwd` with PYTHONPATH=src (unless `env` says otherwise); stop() kills it and waits. */
export function startProcess(args, cwd, env) {
  const child = spawn(PYTHON, args, { cwd, env: { ...process.env, PYTHONPATH: 'src', ...env }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf-8' }).stdout.trim()) || 100;

/** CPU seconds a process has used so far, user and system, all its threads (Linux's /proc/PID/stat). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf-8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "; utime and stime are 14, 15
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** One wrk slice against `url + path`: requests per second and in all, p50 and p99 in ms, non-2xx count. */
export function wrk(url, script, seconds, connections, path = '/v2/models/example-classifier/infer') {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, `${url}${path}`];
  const result = spawnSync('wrk', args, { encoding: 'utf-8' });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const out = result.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const p99 = toMs(/^\s+99%\s+([\d.]+\w+)/m.exec(out)[1]);
  const p50 = toMs(/^\s+50%\s+([\d.]+\w+)/m.exec(out)[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
  const socketErrors = /Socket errors: .*/.exec(out)?.[0] ?? '';
  return { rps, requests, p50, p99, errors: Number(errors), socketErrors };
}

function toMs(text) {
  const [, number, unit] = /([\d.]+)(\w+)/.exec(text);
  return Number(number) * { us: 0.001, ms: 1, s: 1000, m: 60000 }[unit];
}

export const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
