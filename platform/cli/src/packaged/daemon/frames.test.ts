import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Channel, FrameReader, frame } from './frames.js';

describe('the daemon wire format', () => {
  it('reads back every frame, in order, however the socket cuts the bytes', () => {
    const frames = fc.array(
      fc.record({ channel: fc.constantFrom(...Object.values(Channel)), payload: fc.uint8Array({ maxLength: 300 }) }),
      {
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(frames, fc.array(fc.nat(), { maxLength: 12 }), (sent, cuts) => {
        const bytes = Buffer.concat(sent.map(({ channel, payload }) => frame(channel, payload)));
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const reader = new FrameReader();
        const received: Array<{ channel: number; payload: number[] }> = [];
        let from = 0;
        for (const to of [...points, bytes.length]) {
          for (const { channel, payload } of reader.push(bytes.subarray(from, to))) received.push({ channel, payload: [...payload] });
          from = to;
        }
        expect(received).toEqual(sent.map(({ channel, payload }) => ({ channel, payload: [...payload] })));
      }),
    );
  });

  it('carries text as UTF-8', () => {
    const [read] = new FrameReader().push(frame(Channel.stderr, '✔ Created naïve-svc'));
    expect(read?.payload.toString('utf-8')).toBe('✔ Created naïve-svc');
  });
});
