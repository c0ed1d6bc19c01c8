import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaffold, TemplateError } from './index.js';
import { makeFixture, tempDir } from '../test/fixtureTemplate.js';
import { propertyRuns } from '../../../test/propertyRuns.js';

// Whatever the values hold, a render either writes inside its target or fails with an explained
// error, and writes nothing anywhere else.
describe('hostile values', () => {
  it('never write outside the target and never crash unexplained', async () => {
    const templateDir = await makeFixture({
      '${{ values.a }}/${{ values.b }}.txt': '${{ values.a }} ${{ values.b | dump }}',
      '{% if values.c %}${{ values.c }}{% endif %}': '${{ values.c }}',
      'static.txt': 'fixed',
    });
    const sandbox = await tempDir();
    const hostile = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '..',
        '../..',
        '/',
        '/etc',
        '.',
        '',
        '${{ values.a }}',
        '{% raw %}',
        '{{ 7*7 }}',
        'a/../../x',
        '\u0000',
        '~',
        '%2e%2e',
      ),
      fc.array(fc.constantFrom('..', '/', 'x', '.', '${{', '}}', '{%', '%}'), { maxLength: 6 }).map((p) => p.join('')),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (a, b, c) => {
        const target = path.join(sandbox, `t${run++}`);
        try {
          await scaffold({ templateDir, targetDir: target, values: { a, b, c } });
        } catch (error) {
          const explained =
            error instanceof TemplateError ||
            /outside the target|symlink|EISDIR|ENOTDIR|EEXIST|ENAMETOOLONG|EINVAL/.test((error as Error).message);
          expect(explained, (error as Error).message).toBe(true);
        }
        const names = await readdir(sandbox);
        expect(
          names.every((n) => /^t\d+$/.test(n)),
          names.join(','),
        ).toBe(true);
      }),
      propertyRuns(1000),
    );
  });
});
