/**
 * The daemon's wire format on its Unix socket: frames of [channel: 1 byte][length: 4 bytes, big
 * endian][payload]. The client sends one request frame; the daemon answers with output frames and
 * ends with one exit frame.
 */
export const Channel = { request: 0, stdout: 1, stderr: 2, exit: 3 } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

const HEADER = 5;

/**
 * The exit code of a command the daemon did not run (no daemon, or one started for another node or
 * install): bin/idp then runs idp itself. EX_TEMPFAIL; idp's own codes are 0, 1, 2, 3, 130 and 143.
 */
export const EXIT_NOT_SERVED = 75;

export function frame(channel: Channel, payload: string | Uint8Array): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf-8') : Buffer.from(payload);
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(channel, 0);
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

/** Splits a byte stream back into frames, however the socket cut it. */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ channel: Channel; payload: Buffer }> {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    const frames: Array<{ channel: Channel; payload: Buffer }> = [];
    while (this.#pending.length >= HEADER) {
      const length = this.#pending.readUInt32BE(1);
      if (this.#pending.length < HEADER + length) break;
      frames.push({ channel: this.#pending.readUInt8(0) as Channel, payload: this.#pending.subarray(HEADER, HEADER + length) });
      this.#pending = this.#pending.subarray(HEADER + length);
    }
    return frames;
  }
}

/** What a client asks: a command to run as if idp had started in its shell, or one for the daemon itself. */
export type DaemonRequest =
  | {
      kind: 'run';
      argv: string[];
      cwd: string;
      env: Record<string, string>;
      umask: number;
      stdoutIsTTY: boolean;
      stderrIsTTY: boolean;
      columns?: number;
      /** The install the caller runs, when it reached the daemon by its version's alias. */
      packageDir?: string;
    }
  | { kind: 'status' }
  | { kind: 'stop' };
