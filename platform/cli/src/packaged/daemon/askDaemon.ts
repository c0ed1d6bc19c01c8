import { writeSync } from 'node:fs';
import net from 'node:net';
import { Channel, type DaemonRequest, FrameReader, frame } from './frames.js';

/** How a request ended: answered with an exit code, no daemon listening (nothing ran), or cut off mid-way. */
export type DaemonAnswer = { kind: 'exit'; code: number; stdout: Buffer[] } | { kind: 'unreachable' } | { kind: 'lost' };

/**
 * Sends one request to the daemon on socket. Output frames go to this process's stdout and stderr
 * as they come (or, with collect, stdout is kept and returned).
 */
export function askDaemon(socket: string, request: DaemonRequest, collect = false): Promise<DaemonAnswer> {
  return new Promise((resolve) => {
    const connection = net.connect(socket);
    const reader = new FrameReader();
    const stdout: Buffer[] = [];
    let sent = false;
    let settled = false;
    const settle = (answer: DaemonAnswer) => {
      if (settled) return;
      settled = true;
      connection.destroy();
      resolve(answer);
    };
    connection.once('connect', () => {
      sent = true;
      connection.write(frame(Channel.request, JSON.stringify(request)));
    });
    connection.on('data', (chunk) => {
      for (const { channel, payload } of reader.push(chunk)) {
        if (channel === Channel.exit) settle({ kind: 'exit', code: Number(payload.toString('utf-8')), stdout });
        else if (channel === Channel.stdout && collect) stdout.push(Buffer.from(payload));
        else if (channel === Channel.stdout || channel === Channel.stderr) writeAll(channel === Channel.stdout ? 1 : 2, payload);
      }
    });
    connection.once('error', () => settle(sent ? { kind: 'lost' } : { kind: 'unreachable' }));
    connection.once('close', () => settle(sent ? { kind: 'lost' } : { kind: 'unreachable' }));
  });
}

const closed = new Set<number>();

/** Writes all of payload to fd; a reader that went away (`idp … | head`) is not an error. */
function writeAll(fd: number, payload: Buffer): void {
  let offset = 0;
  while (offset < payload.length && !closed.has(fd)) {
    try {
      offset += writeSync(fd, payload, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') closed.add(fd);
      else throw error;
    }
  }
}
