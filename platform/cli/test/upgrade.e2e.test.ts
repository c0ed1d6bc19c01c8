import { existsSync } from 'node:fs';
import { appendFile, chmod, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { readPublishPlan } from '@idp/github';
import { readDefaultContract } from '../../../test/defaultContract.js';
import { REPO_ROOT, runIdp } from './runIdp.js';
import { createTemplateRepo, git, scratch } from './templateRepo.js';

// The life cycle as a team lives it: a platform team releases a template from its own repository,
// a service is made from it and changed by its owners, the template moves, `idp upgrade` merges.

const read = (dir: string, file: string) => readFile(path.join(dir, file), 'utf-8');
const replaceIn = async (dir: string, file: string, from: RegExp, to: string) => {
  const text = await read(dir, file);
  expect(text, `${file} has ${from}`).toMatch(from);
  await writeFile(path.join(dir, file), text.replace(from, to));
};

/** A service made by `idp new` from the template repository, committed as its first commit. */
async function newService(templates: string, name: string, extra: string[] = []) {
  const dir = path.join(await scratch(), name);
  const created = runIdp(['new', 'model-service', name, '--yes', '--templates', templates, '--out', dir, ...extra]);
  expect(created.status, created.stderr).toBe(0);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'first commit');
  return dir;
}

const commitAll = (dir: string, message: string) => {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
};

describe('idp upgrade: a service made a template version ago', () => {
  let repo: Awaited<ReturnType<typeof createTemplateRepo>>;
  let service: string;
  let result: ReturnType<typeof runIdp>;
  let dryRun: ReturnType<typeof runIdp>;
  let headBefore: string;
  const pkg = 'fraud_scorer';

  beforeAll(async () => {
    repo = await createTemplateRepo();
    // A binary asset in the template's first release.
    await writeFile(path.join(repo.skeleton, 'docs/logo.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
    await repo.release('0.1.0', 'add a logo');
    service = await newService(repo.dir, 'fraud-scorer');

    // The service's owners change it.
    await appendFile(path.join(service, `src/${pkg}/model.py`), '\n\ndef owner_helper():\n    return "kept"\n');
    await replaceIn(service, 'deploy/base/deployment.yaml', /terminationGracePeriodSeconds: \d+/, 'terminationGracePeriodSeconds: 123');
    await replaceIn(service, 'README.md', /^# fraud-scorer$/m, '# fraud-scorer — scores card payments');
    await appendFile(path.join(service, 'docs/index.md'), '\nOwners wrote this paragraph.\n');
    await appendFile(path.join(service, 'docs/runbook.md'), '\nOn-call: #fraud-oncall\n');
    await writeFile(path.join(service, 'docs/logo.bin'), Buffer.from([0, 9, 9, 9, 0]));
    await writeFile(path.join(service, 'NOTES.md'), 'our notes\n');
    await rm(path.join(service, 'docs/api.md'));
    commitAll(service, 'owners change the service');

    // The template moves on.
    await repo.edit('skeleton/Dockerfile', (t) => t.replace(/^(FROM python:3\.\d+)\.\d+/m, '$1.99'));
    await repo.edit('skeleton/SECURITY.md', () => 'Report vulnerabilities to security@example.com\n');
    await rm(path.join(repo.skeleton, 'docs/configuration.md'));
    await rm(path.join(repo.skeleton, 'docs/runbook.md'));
    await repo.edit(`skeleton/src/\${{ values.pythonPackage }}/model.py`, (t) =>
      t.replace('The model abstraction:', 'The model abstraction (v2):'),
    );
    await repo.edit('skeleton/README.md', (t) => t.replace(/^# \$\{\{ values\.name \}\}$/m, '# ${{ values.name }} (model service)'));
    await repo.edit('skeleton/docs/api.md', (t) => `${t}\nA template change to a page the owners deleted.\n`);
    await writeFile(path.join(repo.skeleton, 'docs/logo.bin'), Buffer.from([0, 7, 7, 7, 0]));
    git(repo.dir, 'mv', 'templates/model-service/skeleton/docs/index.md', 'templates/model-service/skeleton/docs/overview.md');
    await repo.edit('skeleton/mkdocs.yml', (t) => t.replace('index.md', 'overview.md'));
    await chmod(path.join(repo.skeleton, 'tools/lint.py'), 0o755);
    await repo.release('0.2.0');

    headBefore = git(service, 'rev-parse', 'HEAD');
    dryRun = runIdp(['upgrade', service, '--dry-run', '--json']);
    result = runIdp(['upgrade', service, '--json']);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    expect(dryRun.status, dryRun.stderr).toBe(3);
    const plan = JSON.parse(dryRun.stdout).plan;
    expect(plan.added).toContain('SECURITY.md');
    expect(plan.removed).toContain('docs/configuration.md');
    expect(plan.conflicts.map((c: { path: string }) => c.path)).toEqual(expect.arrayContaining(['README.md', 'docs/logo.bin']));
    expect(JSON.parse(result.stdout).plan).toEqual(plan);
  });

  it('exits 3 and lists the conflicts: the same line changed on both sides, and the binary file', () => {
    expect(result.status, result.stderr).toBe(3);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: false, exitCode: 3, written: true, template: { from: '0.1.0', to: '0.2.0' } });
    expect(json.plan.conflicts).toEqual([
      { path: 'README.md', binary: false, markers: true },
      { path: 'docs/logo.bin', binary: true, markers: false },
    ]);
  });

  it('keeps every change of the owners: code, a manifest value, added files, deleted files', async () => {
    expect(await read(service, `src/${pkg}/model.py`)).toContain('def owner_helper():');
    expect(await read(service, 'deploy/base/deployment.yaml')).toContain('terminationGracePeriodSeconds: 123');
    expect(await read(service, 'NOTES.md')).toBe('our notes\n');
    await expect(stat(path.join(service, 'docs/api.md'))).rejects.toThrow(/ENOENT/);
    expect(JSON.parse(result.stdout).plan.stayedDeleted).toEqual(['docs/api.md']);
  });

  it("brings the template's changes: a fix, a new file, a removed file, a change next to the owners' edit", async () => {
    expect(await read(service, 'Dockerfile')).toMatch(/^FROM python:3\.\d+\.99/m);
    expect(await read(service, 'SECURITY.md')).toContain('security@example.com');
    await expect(stat(path.join(service, 'docs/configuration.md'))).rejects.toThrow(/ENOENT/);
    expect(await read(service, `src/${pkg}/model.py`)).toContain('The model abstraction (v2):');
  });

  it("follows renames and mode changes, with the owners' edits carried along", async () => {
    await expect(stat(path.join(service, 'docs/index.md'))).rejects.toThrow(/ENOENT/);
    expect(await read(service, 'docs/overview.md')).toContain('Owners wrote this paragraph.');
    expect((await stat(path.join(service, 'tools/lint.py'))).mode & 0o111).not.toBe(0);
  });

  it('keeps a file the template removed when the owners changed it, and says so', async () => {
    expect(await read(service, 'docs/runbook.md')).toContain('On-call: #fraud-oncall');
    expect(JSON.parse(result.stdout).plan.kept).toEqual(['docs/runbook.md']);
  });

  it('writes labelled markers for the same-line change and never merges the binary textually', async () => {
    expect(await read(service, 'README.md')).toMatch(
      /<<<<<<< yours\n# fraud-scorer — scores card payments\n=======\n# fraud-scorer \(model service\)\n>>>>>>> model-service 0\.2\.0\n/,
    );
    expect(await readFile(path.join(service, 'docs/logo.bin'))).toEqual(Buffer.from([0, 9, 9, 9, 0]));
    // As after `git merge`: conflicts are unmerged in the index, the rest staged; nothing committed.
    expect(git(service, 'diff', '--name-only', '--diff-filter=U').split('\n').sort()).toEqual(['README.md', 'docs/logo.bin']);
    expect(git(service, 'rev-parse', 'HEAD')).toBe(headBefore);
  });

  it('records the new provenance in .idp/ with the merge', async () => {
    const answers = parse(await read(service, '.idp/answers.yaml'));
    expect(answers).toMatchObject({
      templateVersion: '0.2.0',
      source: { repository: repo.dir, commit: git(repo.dir, 'rev-parse', 'HEAD'), reproducible: true },
    });
    expect(parseAllDocuments(await read(service, 'catalog-info.yaml'))[0]!.toJS().metadata.annotations).toMatchObject({
      'idp.dev/template': 'model-service',
      'idp.dev/template-version': '0.2.0',
    });
  });

  it('refuses to run again over the unresolved merge (a dirty tree), naming DIR', () => {
    const again = runIdp(['upgrade', service]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/DIR: must have no uncommitted changes/);
  });
});

describe('idp upgrade: the same version, answers and contract', () => {
  it('changes nothing when nothing moved', async () => {
    const repo = await createTemplateRepo();
    const service = await newService(repo.dir, 'steady');
    const result = runIdp(['upgrade', service, '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, upToDate: true, written: false });
    expect(git(service, 'status', '--porcelain')).toBe('');
  });
});

describe('idp upgrade: answers and contract are upgrades too', () => {
  it('--set gpuType re-renders the manifests for the new GPU and keeps the code changes', async () => {
    const repo = await createTemplateRepo();
    const service = await newService(repo.dir, 'gpu-move');
    await appendFile(path.join(service, 'src/gpu_move/model.py'), '\n# owners were here\n');
    commitAll(service, 'owners');
    const result = runIdp(['upgrade', service, '--set', 'gpuType=nvidia-l4', '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(await read(service, 'deploy/base/deployment.yaml')).toContain('nvidia.com/gpu');
    expect(await read(service, 'src/gpu_move/model.py')).toContain('# owners were here');
    expect(parse(await read(service, '.idp/answers.yaml')).answers).toMatchObject({ gpuType: 'nvidia-l4', gpuCount: 1 });
  });

  it('an infra-exported contract with a new registry reaches the overlays and the recorded contract', async () => {
    const repo = await createTemplateRepo();
    const service = await newService(repo.dir, 'contract-move');
    const contract = readDefaultContract();
    contract.environments.production.registry.host = 'registry.new.example.com';
    const file = path.join(await scratch(), 'contract.json');
    await writeFile(file, JSON.stringify(contract));
    const result = runIdp(['upgrade', service, '--contract', file]);
    expect(result.status, result.stderr).toBe(0);
    const overlays = git(service, 'grep', '-l', 'registry.new.example.com');
    expect(overlays).toMatch(/deploy\/overlays\/production/);
    expect(JSON.parse(await read(service, '.idp/platform.json')).environments.production.registry.host).toBe('registry.new.example.com');
    // `idp publish` sets the repository's variables from the contract the service records.
    const plan = await readPublishPlan(service, { env: {} });
    expect(plan.variables.IDP_PRODUCTION_REGISTRY).toMatch(/^registry\.new\.example\.com\//);
  });
});

describe('idp upgrade: answers recorded before a field existed', () => {
  it("upgrade with the field's default: a 0.2.x service has no modelFormat and gets custom", async () => {
    const repo = await createTemplateRepo();
    // As 0.2.x released it: the answers file records no modelFormat.
    await repo.edit('skeleton/.idp/answers.yaml', (t) => t.replace("'modelUri', 'modelFormat', ", "'modelUri', "));
    await repo.release('0.2.3');
    const service = await newService(repo.dir, 'before-formats');
    expect(parse(await read(service, '.idp/answers.yaml')).answers).not.toHaveProperty('modelFormat');
    await repo.edit('skeleton/.idp/answers.yaml', (t) => t.replace("'modelUri', ", "'modelUri', 'modelFormat', "));
    await repo.release('0.3.0');
    const result = runIdp(['upgrade', service]);
    expect(result.status, result.stderr).toBe(0);
    expect(parse(await read(service, '.idp/answers.yaml'))).toMatchObject({ templateVersion: '0.3.0', answers: { modelFormat: 'custom' } });
    expect(await read(service, 'src/before_formats/config.py')).toContain('DEFAULT_MODEL_FORMAT = "custom"');
    expect(git(service, 'diff', '--name-only', '--diff-filter=U')).toBe('');
  });
});

describe('idp upgrade: --to, git URLs and refusals', () => {
  it('upgrades to a named version from a git URL, reading old versions from history', async () => {
    const repo = await createTemplateRepo();
    const url = `file://${repo.dir}`;
    const service = await newService(url, 'by-url', []);
    await repo.edit('skeleton/SECURITY.md', () => 'v0.2\n');
    await repo.release('0.2.0');
    await repo.edit('skeleton/SECURITY.md', () => 'v0.3\n');
    await repo.release('0.3.0');
    const env = { XDG_CACHE_HOME: await scratch('idp-cache-') };
    const result = runIdp(['upgrade', service, '--to', '0.2.0', '--json'], { env });
    expect(result.status, result.stderr).toBe(0);
    expect(await read(service, 'SECURITY.md')).toBe('v0.2\n');
    expect(parse(await read(service, '.idp/answers.yaml')).source.repository).toBe(url);
  });

  it('names --to when it is neither a commit nor a version', async () => {
    const repo = await createTemplateRepo();
    const service = await newService(repo.dir, 'bad-to');
    const result = runIdp(['upgrade', service, '--to', '9.9.9']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--to: must be a commit .* or a version .*"9\.9\.9" is neither \(versions: 0\.1\.0/);
  });

  it('refuses a folder that is not a service, or not a git repository, exit 2', async () => {
    const empty = await scratch();
    expect(runIdp(['upgrade', empty]).stderr).toMatch(/DIR: must be a service made by idp/);
    const repo = await createTemplateRepo();
    const dir = path.join(await scratch(), 'no-git');
    expect(runIdp(['new', 'model-service', 'no-git', '--yes', '--templates', repo.dir, '--out', dir]).status).toBe(0);
    const result = runIdp(['upgrade', dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/DIR: must be a git repository/);
  });

  it('records a render from uncommitted template changes as not reproducible, and upgrade refuses it', async () => {
    const repo = await createTemplateRepo();
    await repo.edit('skeleton/DRAFT.md', () => 'work in progress\n');
    const dir = path.join(await scratch(), 'drafty');
    const created = runIdp(['new', 'model-service', 'drafty', '--yes', '--templates', repo.dir, '--out', dir]);
    expect(created.stderr).toMatch(/uncommitted changes .* not reproducible/s);
    expect(parse(await read(dir, '.idp/answers.yaml')).source.reproducible).toBe(false);
    git(dir, 'init', '-q');
    commitAll(dir, 'first');
    const result = runIdp(['upgrade', dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/\.idp\/answers\.yaml: must record a committed template source .* \(e\.g\. idp upgrade --from 0\.1\.0\)/);
  });

  it('upgrades a service made before idp recorded its source with --from <version>', async () => {
    const repo = await createTemplateRepo();
    const service = await newService(repo.dir, 'old-timer');
    // What a service made before provenance has: answers only, no source, no recorded contract.
    await replaceIn(service, '.idp/answers.yaml', /source:\n( {2}.*\n)+/, '');
    await rm(path.join(service, '.idp/platform.json'));
    await appendFile(path.join(service, 'README.md'), '\nOwners were here.\n');
    commitAll(service, 'a service from before provenance');
    await repo.edit('skeleton/SECURITY.md', () => 'new in 0.2.0\n');
    await repo.release('0.2.0');

    const refused = runIdp(['upgrade', service]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/must record the template source .* \(e\.g\. idp upgrade --from 0\.1\.0\)/);
    const result = runIdp(['upgrade', service, '--from', '0.1.0', '--templates', repo.dir]);
    expect(result.status, result.stderr).toBe(0);
    expect(await read(service, 'SECURITY.md')).toBe('new in 0.2.0\n');
    expect(await read(service, 'README.md')).toContain('Owners were here.');
    expect(parse(await read(service, '.idp/answers.yaml')).source).toMatchObject({ repository: repo.dir, reproducible: true });
  });
});

describe('idp upgrade: a hostile or stale .idp/answers.yaml', () => {
  let repo: Awaited<ReturnType<typeof createTemplateRepo>>;
  let service: string;

  beforeAll(async () => {
    repo = await createTemplateRepo();
    service = await newService(repo.dir, 'ledger');
    await repo.edit('skeleton/SECURITY.md', () => 'ledger 0.2.0\n');
    await repo.release('0.2.0');
  });

  /** The service with its recorded source changed, committed; answers the upgrade's result. */
  async function upgradeWithSource(field: 'path' | 'repository', value: string) {
    const answers = path.join(service, '.idp/answers.yaml');
    const original = await readFile(answers, 'utf-8');
    const document = parse(original);
    document.source[field] = value;
    await writeFile(answers, stringify(document));
    commitAll(service, `source.${field} = ${value}`);
    try {
      return runIdp(['upgrade', service]);
    } finally {
      await writeFile(answers, original);
      commitAll(service, 'the recorded source as it was');
    }
  }

  it.each([
    ['path', '../../../../etc', /source\.path: must stay inside the template source/],
    ['repository', 'ext::sh -c touch% IDP_OWNED', /source\.repository: .*git transport helper/],
    ['repository', '--upload-pack=touch IDP_OWNED', /source\.repository: .*starts with "-"/],
  ] as const)('source.%s = %j: exit 2, the field named, nothing run or written', async (field, value, problem) => {
    const result = await upgradeWithSource(field, value);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(problem);
    expect(existsSync(path.join(REPO_ROOT, 'IDP_OWNED'))).toBe(false);
    expect(existsSync(path.join(service, 'SECURITY.md')) && (await read(service, 'SECURITY.md')).includes('ledger 0.2.0')).toBe(false);
  });

  it('a repository not on this machine: exit 2 naming source.repository, not git\'s "not a tree object"', async () => {
    const result = await upgradeWithSource('repository', '/srv/nowhere/ledger-templates');
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      /source\.repository: must be a templates repository holding commit [0-9a-f]{12}.* \/srv\/nowhere\/ledger-templates is not on this machine .*e\.g\. idp upgrade --templates/,
    );
    expect(result.stderr).not.toMatch(/not a tree object/);
    // Named where it is, the upgrade runs.
    const given = runIdp(['upgrade', service, '--templates', repo.dir]);
    expect(given.status, given.stderr).toBe(0);
  });
});

describe('idp upgrade: conflicts without markers are not sent looking for markers', () => {
  it('a folder the owners replaced by a symlink, where the template adds a page: moved aside as docs~yours, said so', async () => {
    const repo = await createTemplateRepo();
    const service = await newService(repo.dir, 'wiki-link');
    await rm(path.join(service, 'docs'), { recursive: true });
    await symlink('README.md', path.join(service, 'docs'));
    commitAll(service, 'the docs are the README');
    await repo.edit('skeleton/docs/oncall.md', () => 'Page the owners.\n');
    await repo.release('0.2.0');
    const result = runIdp(['upgrade', service]);
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/conflict +docs~yours \(moved aside: the other side has a folder docs\/ where this file was\)/);
    expect(result.stderr).toMatch(/keep or replace docs~yours/);
    expect(result.stderr).not.toMatch(/<<<<<<<|~[0-9a-f]{40}/);
    expect(await readlink(path.join(service, 'docs~yours'))).toBe('README.md');
  });
});
