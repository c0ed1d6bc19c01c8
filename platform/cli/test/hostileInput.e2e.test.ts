import { cp, lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIdp, runIdpInteractive, TEMPLATES_DIR } from './runIdp.js';

// Reproducers of an adversarial run against `idp new`: each must end in exit 2 naming the field.
const scratch = () => mkdtemp(path.join(tmpdir(), 'idp-hostile-'));

function problemsOf(result: { status: number | null; stdout: string; stderr: string }) {
  expect(result.status, result.stderr).toBe(2);
  return JSON.parse(result.stdout).problems as Array<{ field: string; message: string }>;
}

describe('idp new refuses unprintable free text', () => {
  it('rejects ESC in modelUri instead of writing it raw into README.md', async () => {
    const dir = await scratch();
    const result = runIdp([
      'new',
      'model-service',
      'esc',
      '--yes',
      '--json',
      '--set',
      'modelUri=s3://models/\u001b[2J',
      '--out',
      path.join(dir, 'esc'),
    ]);
    expect(problemsOf(result)).toEqual([{ field: 'modelUri', message: expect.stringContaining('U+001B') }]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects lone UTF-16 surrogates in description and modelUri from a values file', async () => {
    const dir = await scratch();
    const values = path.join(dir, 'values.json');
    // JSON's \u escapes are the one way to hand a lone surrogate to the CLI.
    await writeFile(values, '{"name": "halves", "description": "bad \\ud800 half", "modelUri": "s3://m/\\udfff"}');
    const result = runIdp(['new', 'model-service', '--yes', '--json', '--values', values, '--out', path.join(dir, 'halves')]);
    const problems = problemsOf(result);
    expect(problems.map((p) => p.field).sort()).toEqual(['description', 'modelUri']);
    for (const p of problems) expect(p.message).toMatch(/surrogate/);
    expect(await readdir(dir)).toEqual(['values.json']);
  });
});

describe('idp new refuses targets it cannot write safely', () => {
  it.each([
    ['inside a skeleton', 'templates/model-service/skeleton/x'],
    ['a template itself', 'templates/model-service'],
    ['the templates folder', 'templates'],
    ['below the templates folder', 'templates/new-service'],
  ])('refuses a target %s (exit 2, --out named) and writes nothing', async (_, out) => {
    const templates = await copyOfTemplates();
    const result = runIdp([
      'new',
      'model-service',
      'x',
      '--yes',
      '--json',
      '--templates',
      templates,
      '--out',
      path.join(path.dirname(templates), out),
    ]);
    expect(problemsOf(result)).toEqual([{ field: '--out', message: expect.stringMatching(/lies inside the template.*outside it/) }]);
    expect(await readdir(path.join(templates, 'model-service/skeleton'))).not.toContain('x');
  });

  it('refuses a template reached through a symbolic link', async () => {
    const templates = await copyOfTemplates();
    const link = path.join(await scratch(), 'innocent');
    await symlink(path.join(templates, 'model-service/skeleton'), link);
    const result = runIdp(['new', 'model-service', 'x', '--yes', '--json', '--templates', templates, '--out', path.join(link, 'x')]);
    expect(problemsOf(result)[0]).toMatchObject({ field: '--out' });
  });

  it('follows --out when it is a symbolic link to an empty directory', async () => {
    const dir = await scratch();
    await mkdir(path.join(dir, 'real'));
    await symlink(path.join(dir, 'real'), path.join(dir, 'link'));
    const result = runIdp(['new', 'model-service', 'linked', '--yes', '--out', path.join(dir, 'link')]);
    expect(result.status, result.stderr).toBe(0);
    expect(await readdir(path.join(dir, 'real'))).toContain('catalog-info.yaml');
    expect((await lstat(path.join(dir, 'link'))).isSymbolicLink()).toBe(true);
  });

  it.each([
    ['dangling', 'does not exist'],
    ['to a file', 'not a directory'],
  ])('refuses --out that is a symbolic link %s (exit 2, not ENOTDIR)', async (kind, says) => {
    const dir = await scratch();
    if (kind === 'to a file') await writeFile(path.join(dir, 'file'), 'x');
    await symlink(path.join(dir, kind === 'dangling' ? 'nowhere' : 'file'), path.join(dir, 'link'));
    const result = runIdp(['new', 'model-service', 'linked', '--yes', '--json', '--out', path.join(dir, 'link')]);
    expect(problemsOf(result)).toEqual([{ field: '--out', message: expect.stringContaining(says) }]);
    expect(result.stderr).not.toContain('ENOTDIR');
  });
});

/** A private copy of the templates, so a test that went wrong cannot spoil the real skeleton. */
async function copyOfTemplates(): Promise<string> {
  const templates = path.join(await scratch(), 'templates');
  await cp(TEMPLATES_DIR, templates, { recursive: true });
  return templates;
}

describe('idp new refuses the reserved keys __proto__, constructor and prototype by name', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses --set %s=x with exit 2 and writes nothing', async (key) => {
    const cwd = await scratch();
    const result = runIdp(['new', 'model-service', 'proto', '--yes', '--json', '--set', `${key}=x`], { cwd });
    expect(result.status).toBe(2);
    expect(problemsOf(result)).toEqual([{ field: key, message: expect.stringContaining('is a reserved key') }]);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses __proto__ in a values file, naming its path', async () => {
    const values = path.join(await scratch(), 'values.yaml');
    await writeFile(values, 'name: proto\nowner: {__proto__: {description: sneaky}}\n');
    const result = runIdp(['new', 'model-service', '--yes', '--json', '--dry-run', '--values', values]);
    expect(result.status).toBe(2);
    expect(problemsOf(result).map((p) => p.field)).toEqual(['owner.__proto__']);
  });
});

describe('idp new refuses YAML alias bombs (exit 2) before expanding them', () => {
  const bomb = [
    'a0: &a0 [lol, lol]',
    ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`),
  ].join('\n');

  it('in a values file', async () => {
    const values = path.join(await scratch(), 'values.yaml');
    await writeFile(values, `name: bomb\n${bomb}\n`);
    const result = runIdp(['new', 'model-service', '--yes', '--json', '--dry-run', '--values', values]);
    expect(result.status).toBe(2);
    expect(problemsOf(result)).toEqual([{ field: '--values', message: expect.stringContaining('alias bomb') }]);
  });

  it('in a platform contract', async () => {
    const contract = path.join(await scratch(), 'contract.yaml');
    await writeFile(contract, `${bomb}\n`);
    const result = runIdp(['new', 'model-service', 'bomb', '--yes', '--json', '--dry-run', '--contract', contract]);
    expect(result.status).toBe(2);
    expect(problemsOf(result)).toEqual([{ field: contract, message: expect.stringContaining('alias bomb') }]);
  });
});

describe('idp new checks the repository host at spec time', () => {
  it.each(['example.org', 'gitlab.com', 'bitbucket.org'])(
    'refuses repoUrl on %s with exit 2 naming repoUrl, not an engine error',
    (host) => {
      const result = runIdp([
        'new',
        'model-service',
        'hosted',
        '--yes',
        '--json',
        '--dry-run',
        '--set',
        `repoUrl=${host}?owner=acme&repo=hosted`,
      ]);
      expect(problemsOf(result)).toEqual([{ field: 'repoUrl', message: expect.stringContaining(`but names ${host}`) }]);
    },
  );

  it('creates for a GitHub Enterprise host named by --github-url or IDP_GITHUB_URL, linking to it', async () => {
    const dir = await scratch();
    const repoUrl = 'ghe.corp.example?owner=acme&repo=hosted';
    const viaFlag = runIdp([
      'new',
      'model-service',
      'hosted',
      '--yes',
      '--set',
      `repoUrl=${repoUrl}`,
      '--github-url',
      'https://ghe.corp.example/api/v3',
      '--out',
      path.join(dir, 'a'),
    ]);
    expect(viaFlag.status, viaFlag.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'a/docs/api.md'), 'utf-8')).toContain(
      'https://ghe.corp.example/acme/hosted/blob/main/openapi.yaml',
    );
    const viaEnv = runIdp(['new', 'model-service', 'hosted', '--yes', '--dry-run', '--set', `repoUrl=${repoUrl}`], {
      env: { IDP_GITHUB_URL: 'https://ghe.corp.example/api/v3' },
    });
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
    const badUrl = runIdp(['new', 'model-service', 'hosted', '--yes', '--json', '--dry-run', '--github-url', 'ghe.corp.example']);
    expect(problemsOf(badUrl)).toEqual([
      { field: '--github-url', message: expect.stringContaining('e.g. https://ghe.example.com/api/v3') },
    ]);
  });
});

describe('idp new on a terminal', () => {
  it("asks again for an incomplete repository: the form's RepoUrlPicker, on the template's one allowed host", async () => {
    const dir = await scratch();
    const values = path.join(dir, 'values.json');
    const given = {
      description: 'x',
      owner: 'group:default/ml-team',
      system: '',
      runtime: 'python',
      modelName: 'm',
      modelVersion: '1',
      modelUri: '',
      modelFormat: 'custom',
      gpuType: 'none',
      cpu: '1',
      memory: '2Gi',
      minReplicas: 1,
      maxReplicas: 3,
      maxModelLoadSeconds: 300,
      maxBatchSize: 32,
      maxBatchDelayMs: 0,
      maxQueueLength: 128,
    };
    await writeFile(values, JSON.stringify(given));
    const result = await runIdpInteractive(
      ['new', 'model-service', 'asked', '--values', values, '--out', path.join(dir, 'asked')],
      [
        ['GPU count', '\r'],
        ['Repository: owner', '\r'],
        ['Repository: repository', '\r'],
        ['Repository: owner', 'acme\r'],
        ['Repository: repository', '\r'],
      ],
      dir,
    );
    expect(result.stdout).toContain('owner not provided');
    expect(result.stdout).not.toContain('Repository: host');
    expect(result.status, result.stdout.slice(-1500)).toBe(0);
    expect(await readFile(path.join(dir, 'asked/.idp/answers.yaml'), 'utf-8')).toContain('repoUrl: "github.com?owner=acme&repo=asked"');
  });
});
