import type { GeneratedFiles } from './generatedFiles';

/**
 * The first way two generated trees differ, named for a person to fix: a missing or extra file,
 * an executable bit, or the first differing line with both versions. Undefined when identical.
 */
export function firstDifference(cli: GeneratedFiles, portal: GeneratedFiles): string | undefined {
  const paths = [...new Set([...cli.keys(), ...portal.keys()])].sort();
  for (const file of paths) {
    const expected = cli.get(file);
    const actual = portal.get(file);
    if (!actual) return `${file}: idp new writes it, the portal does not`;
    if (!expected) return `${file}: the portal writes it, idp new does not`;
    if (!expected.content.equals(actual.content)) return `${file}: ${firstDifferentLine(expected.content, actual.content)}`;
    if (expected.executable !== actual.executable) {
      return `${file}: executable in ${expected.executable ? 'idp new' : 'the portal'} output only`;
    }
  }
  return undefined;
}

function firstDifferentLine(expected: Buffer, actual: Buffer): string {
  const a = expected.toString('utf-8').split('\n');
  const b = actual.toString('utf-8').split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1} differs\n  idp new: ${JSON.stringify(a[i] ?? '<end of file>')}\n  portal:  ${JSON.stringify(b[i] ?? '<end of file>')}`;
    }
  }
  return 'same text, different bytes (encoding)';
}
