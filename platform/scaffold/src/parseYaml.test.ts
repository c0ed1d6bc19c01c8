import { describe, expect, it } from 'vitest';
import { MAX_YAML_TEXT, MAX_YAML_VALUES, parseYaml } from './parseYaml.js';

// Nine levels of nine aliases stand for 9^9 × 2 values: before the cap, `idp new` spent 25 s and 600 MB on one.

/** `levels` anchors, each a list of `width` aliases of the one before: width^levels values expanded. */
function aliasBomb(levels: number, width: number): string {
  const lines = ['a0: &a0 [x, y]'];
  for (let level = 1; level <= levels; level++) {
    lines.push(`a${level}: &a${level} [${Array.from({ length: width }, () => `*a${level - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('parseYaml', () => {
  it('refuses an alias bomb at once instead of expanding it later', () => {
    expect(() => parseYaml(aliasBomb(9, 9))).toThrow(/expands to more than 1000000 values .*alias bomb/);
  });

  it('accepts ordinary aliases, shared as the document says', () => {
    const doc = parseYaml('pools: &pools {l4: {gpus: 1}}\nstaging: {gpuPools: *pools}\nproduction: {gpuPools: *pools}\n') as any;
    expect(doc.production.gpuPools).toEqual({ l4: { gpus: 1 } });
  });

  it('counts shared nodes once per use, up to the limit exactly', () => {
    // 3 + 3 × 3 + … : a document of a few lines standing for just under and just over the limit.
    const under = aliasBomb(5, 10); // 2 × 10^5 leaves plus the lists: about 222,000 values
    expect(() => parseYaml(under)).not.toThrow();
    expect(() => parseYaml(aliasBomb(6, 10))).toThrow(new RegExp(String(MAX_YAML_VALUES)));
  });

  it('refuses text longer than any real document before parsing it', () => {
    expect(() => parseYaml(`x: "${'a'.repeat(MAX_YAML_TEXT)}"`)).toThrow(/characters long/);
  });
});
