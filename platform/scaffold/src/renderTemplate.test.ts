import { describe, expect, it } from 'vitest';
import { renderTemplate, type RenderedEntry } from './index.js';
import { BINARY, makeFixture } from '../test/fixtureTemplate.js';

const byPath = (entries: RenderedEntry[]) => Object.fromEntries(entries.map((e) => [e.path, e]));
const text = (entry: RenderedEntry | undefined) => (entry?.kind === 'file' ? entry.content.toString('utf-8') : undefined);

describe('renderTemplate (Backstage fetch:template rules)', () => {
  it('renders contents and paths of every entry, dot files included', async () => {
    const dir = await makeFixture({
      '.gitignore': 'dist/ # ${{ values.name }}',
      '.github/CODEOWNERS': '* @${{ values.team }}',
      'src/${{ values.pkg }}/__init__.py': 'NAME = ${{ values.name | dump }}',
    });
    const out = byPath(await renderTemplate(dir, { name: 'svc', pkg: 'svc_pkg', team: 'acme/ml' }));
    expect(text(out['.gitignore'])).toBe('dist/ # svc');
    expect(text(out['.github/CODEOWNERS'])).toBe('* @acme/ml');
    expect(text(out['src/svc_pkg/__init__.py'])).toBe('NAME = "svc"');
    expect(out['src/svc_pkg']?.kind).toBe('dir');
  });

  it('skips an entry whose path renders empty, and a directory with its whole subtree', async () => {
    const dir = await makeFixture({
      '{% if values.gpu %}gpu.md{% endif %}': 'gpu',
      '{% if values.gpu %}cuda{% endif %}/setup.sh': 'cuda',
      '{% if values.gpu %}cuda{% endif %}/deep/more.txt': 'more',
      'keep.txt': 'keep',
    });
    const off = await renderTemplate(dir, { gpu: false });
    expect(off.map((e) => e.path).sort()).toEqual(['keep.txt']);
    const on = await renderTemplate(dir, { gpu: true });
    expect(on.map((e) => e.path).sort()).toEqual(['cuda', 'cuda/deep', 'cuda/deep/more.txt', 'cuda/setup.sh', 'gpu.md', 'keep.txt']);
  });

  it('skips a path with an empty middle segment (//)', async () => {
    const dir = await makeFixture({ 'a/${{ values.empty }}/b.txt': 'x' });
    expect((await renderTemplate(dir, { empty: '' })).map((e) => e.path)).toEqual(['a']);
  });

  it('copies binary files and symlinks without rendering them', async () => {
    const dir = await makeFixture({ 'logo.png': BINARY, 'target.txt': 'x', 'link-${{ values.n }}': { symlink: 'target.txt' } });
    const out = byPath(await renderTemplate(dir, { n: 1 }));
    expect(out['logo.png']).toMatchObject({ kind: 'file', exactMode: true });
    expect(out['logo.png']?.kind === 'file' && out['logo.png'].content.equals(BINARY)).toBe(true);
    expect(out['link-1']).toEqual({ kind: 'symlink', path: 'link-1', linkTarget: 'target.txt' });
  });

  it('keeps file modes (the executable bit)', async () => {
    const dir = await makeFixture({
      'run.sh': { text: '#!/bin/sh\necho ${{ values.n }}\n', mode: 0o755 },
      'plain.txt': { text: 'x', mode: 0o644 },
    });
    const out = byPath(await renderTemplate(dir, { n: 1 }));
    expect(out['run.sh']).toMatchObject({ mode: 0o755 });
    expect(out['plain.txt']).toMatchObject({ mode: 0o644 });
  });

  it('copies copyWithoutTemplating matches as-is but still renders their paths', async () => {
    const dir = await makeFixture({ 'raw/${{ values.n }}.txt': '${{ values.n }} stays', 'cooked.txt': '${{ values.n }}' });
    const out = byPath(await renderTemplate(dir, { n: 7 }, { copyWithoutTemplating: ['raw/**'] }));
    expect(text(out['raw/7.txt'])).toBe('${{ values.n }} stays');
    expect(text(out['cooked.txt'])).toBe('7');
  });

  it('with templateFileExtension renders only matching files and strips the extension', async () => {
    const dir = await makeFixture({ 'a.txt.njk': '${{ values.n }}', 'b.txt': '${{ values.n }}', '${{ values.n }}.md': 'x' });
    const out = byPath(await renderTemplate(dir, { n: 3 }, { templateFileExtension: true }));
    expect(text(out['a.txt'])).toBe('3');
    expect(text(out['b.txt'])).toBe('${{ values.n }}');
    expect(out['3.md']).toBeDefined();
    const custom = byPath(
      await renderTemplate(await makeFixture({ 'c.tpl': '${{ values.n }}' }), { n: 4 }, { templateFileExtension: 'tpl' }),
    );
    expect(text(custom.c)).toBe('4');
  });

  it('refuses templateFileExtension together with copyWithoutTemplating, as Backstage does', async () => {
    const dir = await makeFixture({ 'a.txt': 'a' });
    await expect(renderTemplate(dir, {}, { templateFileExtension: true, copyWithoutTemplating: ['x'] })).rejects.toThrow(/incompatible/);
  });

  it('treats template syntax inside values as data', async () => {
    const dir = await makeFixture({ 'a.txt': '${{ values.d }}|${{ values.d | dump }}' });
    const d = 'x ${{ values.secret }} {% raw %} {{ 7*7 }} "q" ü';
    expect(text(byPath(await renderTemplate(dir, { d, secret: 'LEAK' }))['a.txt'])).toBe(`${d}|${JSON.stringify(d)}`);
  });

  it('lets the first entry win when two render to the same path', async () => {
    const dir = await makeFixture({ '${{ values.a }}.txt': 'first', 'b.txt': 'second' });
    const out = await renderTemplate(dir, { a: 'b' });
    expect(out.filter((e) => e.path === 'b.txt')).toHaveLength(1);
  });

  it.each(['../escape.txt', '/etc/passwd', 'a/../../escape'])('refuses a path that renders outside the target (%s)', async (evil) => {
    const dir = await makeFixture({ '${{ values.p }}': 'x' });
    const result = renderTemplate(dir, { p: evil });
    if (evil.startsWith('/'))
      await expect(result).resolves.toEqual([]); // skipped, like Backstage
    else await expect(result).rejects.toThrow(/outside the target/);
  });

  it('names the file and line of a template error', async () => {
    const dir = await makeFixture({ 'broken.txt': 'line one\n${{ values.x | nosuchfilter }}' });
    await expect(renderTemplate(dir, { x: 1 })).rejects.toThrow(/broken\.txt.*line 2/s);
  });
});
