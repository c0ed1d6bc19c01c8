import { describe, expect, it } from 'vitest';
import { relabelMarkers } from './relabelMarkers.js';

const ours = 'a'.repeat(40);
const theirs = 'b'.repeat(40);
const swaps = [
  { from: `<<<<<<< ${ours}`, to: '<<<<<<< yours' },
  { from: `>>>>>>> ${theirs}`, to: '>>>>>>> fraud-tpl 2.0.0' },
];

describe('relabelMarkers', () => {
  it('keeps every byte of a Latin-1 file (E9 stays E9, no EF BF BD)', () => {
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const input = latin1(`caf\xe9\n<<<<<<< ${ours}\nr\xe9sum\xe9 ours\n=======\nna\xefve theirs\n>>>>>>> ${theirs}\n\xff\n`);
    const output = relabelMarkers(input, swaps);
    expect(output).toEqual(latin1('caf\xe9\n<<<<<<< yours\nr\xe9sum\xe9 ours\n=======\nna\xefve theirs\n>>>>>>> fraud-tpl 2.0.0\n\xff\n'));
    expect(output.includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false);
  });

  it('relabels the markers of a CRLF file and keeps its CRs', () => {
    const input = Buffer.from(`x\r\n<<<<<<< ${ours}\r\nmine\r\n=======\r\ntheirs\r\n>>>>>>> ${theirs}\r\n`);
    expect(relabelMarkers(input, swaps).toString()).toBe('x\r\n<<<<<<< yours\r\nmine\r\n=======\r\ntheirs\r\n>>>>>>> fraud-tpl 2.0.0\r\n');
  });

  it('keeps the :path of a renamed file and a marker at the very end without a newline', () => {
    const input = Buffer.from(`<<<<<<< ${ours}:docs/a.md\nm\n=======\nt\n>>>>>>> ${theirs}`);
    expect(relabelMarkers(input, swaps).toString()).toBe('<<<<<<< yours:docs/a.md\nm\n=======\nt\n>>>>>>> fraud-tpl 2.0.0');
  });

  it('leaves lines that only look like markers alone', () => {
    const input = Buffer.from(`<<<<<<< ${ours}x\n  <<<<<<< ${ours}\n>>>>>>> ${ours}\n`);
    expect(relabelMarkers(input, swaps)).toBe(input);
  });
});
