import { readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { asClient } from './asClient.js';
import type { DaemonAddress } from './daemonAddress.js';
import { Channel, type DaemonRequest, EXIT_NOT_SERVED, FrameReader, frame } from './frames.js';

/** How long the daemon waits for the next request before it ends (IDP_DAEMON_IDLE_SECONDS). */
const DEFAULT_IDLE_SECONDS = 15 * 60;

export interface DaemonStatus {
  pid: number;
  startedAt: string;
  served: number;
  idleSeconds: number;
  node: string;
}

export interface DaemonOptions {
  /** Whether to run a caller's command (servesCaller); a refused one gets EXIT_NOT_SERVED, nothing run. */
  serves: (request: Extract<DaemonRequest, { kind: 'run' }>) => boolean;
  /** A second name for the socket (daemonAlias), pointed here once listening and whenever it points elsewhere at a run. */
  alias?: string;
  idleSeconds?: number;
}

/**
 * This user's idp daemon (docs/adr/0016): listens on the address's socket and runs each client's
 * command with run, one at a time, in the client's folder, environment and terminals; ends after
 * idleSeconds without a request, or on a stop request. Resolves once it listens; ends the process
 * when another daemon already answers there.
 */
export async function serveDaemon(
  address: DaemonAddress,
  run: (argv: string[]) => Promise<number>,
  { serves, alias, idleSeconds = DEFAULT_IDLE_SECONDS }: DaemonOptions,
) {
  const status: DaemonStatus = { pid: process.pid, startedAt: new Date().toISOString(), served: 0, idleSeconds, node: process.version };
  let queue: Promise<void> = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;
  const stop = () => {
    server.close();
    if (alias && pointsAt(alias, address.socket)) rmSync(alias, { force: true });
    rmSync(address.socket, { force: true });
    process.exit(0);
  };
  const restartIdleTimer = () => {
    clearTimeout(idle);
    idle = setTimeout(stop, idleSeconds * 1000);
  };

  const server = net.createServer((connection) => {
    const reader = new FrameReader();
    connection.on('error', () => connection.destroy());
    connection.on('data', (chunk) => {
      for (const { channel, payload } of reader.push(chunk)) {
        if (channel !== Channel.request) continue;
        let request: DaemonRequest;
        try {
          request = JSON.parse(payload.toString('utf-8')) as DaemonRequest;
        } catch {
          connection.destroy();
          return;
        }
        clearTimeout(idle);
        queue = queue
          .then(() => answer(request, connection))
          .catch(() => void connection.destroy())
          .finally(restartIdleTimer);
      }
    });
  });

  async function answer(request: DaemonRequest, connection: net.Socket): Promise<void> {
    if (request.kind === 'status')
      return void connection.end(Buffer.concat([frame(Channel.stdout, JSON.stringify(status)), frame(Channel.exit, '0')]));
    if (request.kind === 'stop') return void connection.end(frame(Channel.exit, '0'), stop);
    if (!serves(request)) return void connection.end(frame(Channel.exit, String(EXIT_NOT_SERVED)));
    // The alias follows use: a caller that had to come through Node.js finds it here next time.
    if (alias && !pointsAt(alias, address.socket)) pointAt(alias, address.socket);
    status.served += 1;
    const send = (stream: 'stdout' | 'stderr', chunk: Uint8Array) => {
      if (!connection.destroyed) connection.write(frame(stream === 'stdout' ? Channel.stdout : Channel.stderr, chunk));
    };
    let code: number;
    try {
      code = await asClient(request, send, () => run(request.argv));
    } catch (error) {
      // The client's folder is gone, or the command threw past its own handling: report, stay up.
      send('stderr', Buffer.from(`idp: ${(error as Error).message}\n`));
      code = 1;
    }
    connection.end(frame(Channel.exit, String(code)));
  }

  await listen(server, address.socket);
  if (alias) pointAt(alias, address.socket);
  restartIdleTimer();
}

/** Points link at target, replacing whatever the link was (a rename never leaves it missing). */
function pointAt(link: string, target: string): void {
  const fresh = `${link}.${process.pid}`;
  rmSync(fresh, { force: true });
  symlinkSync(target, fresh);
  renameSync(fresh, link);
}

/** Whether link points at target (a later daemon may have taken the alias over). */
function pointsAt(link: string, target: string): boolean {
  try {
    return readlinkSync(link) === target;
  } catch {
    return false;
  }
}

/** Listens on the socket; a socket file no daemon answers on (one that died) is replaced. */
async function listen(server: net.Server, socket: string): Promise<void> {
  const attempt = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await attempt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (await answers(socket)) process.exit(0);
    rmSync(socket, { force: true });
    await attempt();
  }
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socket);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
