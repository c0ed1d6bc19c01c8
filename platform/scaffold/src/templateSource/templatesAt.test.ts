import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSkeleton, neverChanges, openTemplateSource, templatesAt } from '../index.js';

const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('templatesAt', () => {
  it("keeps a commit's skeletons while its checkout lives, and forgets them when it is released", async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), 'idp-templates-at-'));
    scratch.push(repo);
    await mkdir(path.join(repo, 'templates/t/skeleton'), { recursive: true });
    await writeFile(path.join(repo, 'templates/t/template.yaml'), 'kind: Template\n');
    await writeFile(path.join(repo, 'templates/t/skeleton/README.md'), '# ${{ values.name }}\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf-8' }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'templates');
    const source = await openTemplateSource(repo);

    const checkout = await templatesAt(source, git('rev-parse', 'HEAD'));
    const skeletonDir = path.join(checkout.templatesRoot, 't/skeleton');
    expect(neverChanges(skeletonDir)).toBe(true);
    const first = await loadSkeleton(skeletonDir);
    expect(await loadSkeleton(skeletonDir)).toBe(first);

    await checkout.release();
    expect(existsSync(checkout.templatesRoot)).toBe(false);
    expect(neverChanges(skeletonDir)).toBe(false);
    // The work tree as it is now is read on every load: it may change.
    const live = path.join(source.workTree!, 'templates/t/skeleton');
    expect(neverChanges(live)).toBe(false);
    expect(await loadSkeleton(live)).not.toBe(await loadSkeleton(live));
  });
});
