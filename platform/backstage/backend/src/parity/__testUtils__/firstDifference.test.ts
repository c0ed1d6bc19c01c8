import { firstDifference } from './firstDifference';
import type { GeneratedFiles } from './generatedFiles';

const tree = (files: Record<string, string | [string, boolean]>): GeneratedFiles =>
  new Map(
    Object.entries(files).map(([path, value]) => {
      const [text, executable] = typeof value === 'string' ? [value, false] : value;
      return [path, { content: Buffer.from(text), executable }];
    }),
  );

describe('firstDifference', () => {
  it('finds nothing in identical trees', () => {
    expect(firstDifference(tree({ a: 'x\ny', b: ['z', true] }), tree({ b: ['z', true], a: 'x\ny' }))).toBeUndefined();
  });

  it('names a file only one side writes, in path order', () => {
    expect(firstDifference(tree({ a: '1', c: '3' }), tree({ a: '1', b: '2', c: '3' }))).toBe('b: the portal writes it, idp new does not');
    expect(firstDifference(tree({ a: '1', b: '2' }), tree({ b: '2' }))).toBe('a: idp new writes it, the portal does not');
  });

  it('names the first differing line with both versions', () => {
    expect(firstDifference(tree({ 'README.md': '# x\nsame\nold\n' }), tree({ 'README.md': '# x\nsame\nnew\n' }))).toBe(
      'README.md: line 3 differs\n  idp new: "old"\n  portal:  "new"',
    );
    expect(firstDifference(tree({ f: 'a\n' }), tree({ f: 'a\nb' }))).toContain('line 2 differs');
  });

  it('names an executable bit that differs', () => {
    expect(firstDifference(tree({ run: ['#!/bin/sh', true] }), tree({ run: ['#!/bin/sh', false] }))).toBe('run: executable in idp new output only');
  });
});
