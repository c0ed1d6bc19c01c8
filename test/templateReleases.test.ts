import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadTemplateDefinition, templateDigest } from '@idp/scaffold';
import { repoPath } from './repoRoot.js';

// Every template change reaches services only through `idp upgrade`, which tells releases apart by
// version: a skeleton that changes without a new version would give two different renders one
// name. release.yaml pins the digest of each version; CHANGELOG.md says what it changes.

const TEMPLATES = repoPath('templates');
const names = (await readdir(TEMPLATES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);

describe.each(names)('template %s', (name) => {
  const dir = path.join(TEMPLATES, name);

  it('changes only with a new version (release.yaml pins the files of each version)', async () => {
    const { version } = await loadTemplateDefinition(dir);
    const release = parse(await readFile(path.join(dir, 'release.yaml'), 'utf-8'));
    const digest = await templateDigest(dir);
    const fix = `bump idp.dev/template-version in templates/${name}/template.yaml and the skeleton, add a CHANGELOG.md entry, then run npm run template:release -- ${name}`;
    expect(String(release.version), `template.yaml says ${version} but release.yaml records ${release.version}: ${fix}`).toBe(version);
    expect(release.digest, `templates/${name} changed since ${version} was released: ${fix}`).toBe(digest);
  });

  it('says what each release changes in CHANGELOG.md', async () => {
    const { version } = await loadTemplateDefinition(dir);
    const changelog = await readFile(path.join(dir, 'CHANGELOG.md'), 'utf-8');
    expect(changelog).toMatch(new RegExp(`^## ${version.replace(/\./g, '\\.')}\\b`, 'm'));
  });

  it('states its version the same way in template.yaml, the catalog annotations and .idp/answers.yaml', async () => {
    const { version } = await loadTemplateDefinition(dir);
    const skeleton = path.join(dir, 'skeleton');
    const catalog = await readFile(path.join(skeleton, 'catalog-info.yaml'), 'utf-8').catch(() => undefined);
    if (catalog !== undefined) {
      expect(catalog).toContain(`idp.dev/template: ${name}\n`);
      expect(catalog).toContain(`idp.dev/template-version: ${version}\n`);
    }
    const answers = await readFile(path.join(skeleton, '.idp/answers.yaml'), 'utf-8').catch(() => undefined);
    if (answers !== undefined) expect(answers).toContain(`template: ${name}\ntemplateVersion: ${version}\n`);
  });
});
