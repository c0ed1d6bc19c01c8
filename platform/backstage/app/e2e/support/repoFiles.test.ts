import { describe, expect, it } from 'vitest';
import { firstDifference, type TreeEntry } from './repoFiles';

const file = (path: string, text: string, executable = false): TreeEntry => ({ path, kind: 'file', executable, content: Buffer.from(text) });

// The parity check is only as good as its comparator: each kind of difference must be named.
describe('firstDifference', () => {
  const tree = [file('README.md', 'a\nb\n'), file('run.sh', '#!/bin/sh\n', true)];

  it('finds none between equal trees', () => {
    expect(firstDifference(tree, tree.map((e) => ({ ...e })))).toBeUndefined();
  });

  it('names a missing file, an extra file, an executable bit and the first differing line', () => {
    expect(firstDifference(tree, [tree[1]!])).toBe("README.md is in idp new's output but not in the portal's");
    expect(firstDifference(tree, [...tree, file('x', '')])).toBe("x is in the portal's output but not in idp new's");
    expect(firstDifference(tree, [tree[0]!, file('run.sh', '#!/bin/sh\n', false)])).toBe('run.sh is executable from idp new but not from the portal');
    expect(firstDifference(tree, [file('README.md', 'a\nc\n'), tree[1]!])).toBe('README.md differs at line 2: idp new "b", the portal "c"');
  });
});
