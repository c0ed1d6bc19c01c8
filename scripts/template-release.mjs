// Records a template release: `npm run template:release -- model-service` after bumping
// `idp.dev/template-version` in template.yaml (and the skeleton's copies) and adding the version's
// entry to the template's CHANGELOG.md. Writes templates/<name>/release.yaml; refuses when the
// files changed but the version did not (services could not tell the two renders apart).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadTemplateDefinition, parseYaml, templateDigest } from '@idp/scaffold';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run template:release -- <template name>   (e.g. model-service)');
  process.exit(2);
}
const dir = path.resolve('templates', name);
const { version } = await loadTemplateDefinition(dir);
const file = path.join(dir, 'release.yaml');
const recorded = parseYaml(await readFile(file, 'utf-8').catch(() => 'version: none')) ?? {};
const digest = await templateDigest(dir);
if (recorded.digest === digest && String(recorded.version) === version) {
  console.log(`${name} ${version} is recorded already`);
  process.exit(0);
}
if (String(recorded.version) === version) {
  console.error(
    `${name}: the template changed but its version is still ${version}: bump idp.dev/template-version in template.yaml (and its copies in the skeleton), add a CHANGELOG.md entry, then run this again`,
  );
  process.exit(2);
}
const changelog = await readFile(path.join(dir, 'CHANGELOG.md'), 'utf-8').catch(() => '');
if (!new RegExp(`^## ${version.replace(/\./g, '\\.')}\\b`, 'm').test(changelog)) {
  console.error(`${name}: CHANGELOG.md has no "## ${version}" entry: say what this release changes for the services that upgrade to it`);
  process.exit(2);
}
await writeFile(
  file,
  `# Written by \`npm run template:release -- ${name}\`: the released version and the digest of its files.\n# The template tests fail when template.yaml or the skeleton change without a new version.\nversion: ${version}\ndigest: ${digest}\n`,
);
console.log(`Recorded ${name} ${version} (${digest.slice(0, 19)}…)`);
