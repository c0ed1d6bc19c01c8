import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, runIdp, runIdpInteractive } from './runIdp.js';

// `idp new` with Backstage templates that are not ours (the corpus of the parity test): their
// own form, asked on a terminal or checked from flags, and their steps. Byte-for-byte parity with
// the portal is proven by platform/backstage/backend/src/parity/backstageTemplates.parity.test.ts.

const CORPUS = path.join(REPO_ROOT, 'test/fixtures/backstage-templates');
const MULTI_PAGE = path.join(CORPUS, 'multi-page-service');
const ENTER = '\r';
const DOWN = '\u001b[B';
const BACKSPACE = '\u007f';
const scratch = () => mkdtemp(path.join(tmpdir(), 'idp-backstage-'));

describe('idp new with a Backstage template, on a terminal', () => {
  it("asks the form's three pages in order, re-asks what the form refuses, then runs the steps", async () => {
    const dir = await scratch();
    const result = await runIdpInteractive(
      ['new', MULTI_PAGE, '--out', path.join(dir, 'asked')],
      [
        ['Name', `Bad Name${ENTER}`],
        ['Name', `${BACKSPACE.repeat(8)}asked-svc${ENTER}`],
        ['Description', ENTER],
        ['Owner', `team-a${ENTER}`],
        ['Node.js version', `${DOWN}${ENTER}`],
        ['Port', `99${ENTER}`],
        ['Port', `${BACKSPACE.repeat(2)}9000${ENTER}`],
        ['TechDocs', `n${ENTER}`],
        ['Repository location: owner', `acme${ENTER}`],
        ['Repository location: repository', ENTER],
      ],
      dir,
    );
    expect(result.status, result.stdout.slice(-2000)).toBe(0);
    const screen = result.stdout;
    // Page titles in form order, each before its questions.
    const order = [
      'Component (1/3)',
      '? Name',
      '? Owner',
      'Runtime (2/3)',
      '? Node.js version',
      'Repository (3/3)',
      '? Repository location',
    ];
    const positions = order.map((text) => screen.indexOf(text));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(screen).toContain('Node 22 (LTS)'); // enumNames are the choices' labels
    expect(screen).toMatch(/name: must start and end with a letter or digit/);
    expect(screen).toMatch(/port: must be >= 1024/);
    expect(screen).toContain('Not run here');

    const out = path.join(dir, 'asked');
    // The runner records the template, its source and the answers, for idp upgrade.
    expect((await readdir(out, { recursive: true })).sort()).toEqual([
      '.idp',
      '.idp/answers.yaml',
      'catalog-info.yaml',
      'index.js',
      'package.json',
    ]);
    expect(parse(await readFile(path.join(out, '.idp/answers.yaml'), 'utf-8'))).toMatchObject({ answers: { name: 'asked-svc' } });
    const entity = parse(await readFile(path.join(out, 'catalog-info.yaml'), 'utf-8'));
    // The OwnerPicker stores what its picker stores: a full reference.
    expect(entity).toMatchObject({ metadata: { name: 'asked-svc', annotations: { 'github.com/project-slug': 'acme/asked-svc' } } });
    expect(entity.spec.owner).toBe('group:default/team-a');
    expect(JSON.parse(await readFile(path.join(out, 'package.json'), 'utf-8'))).toMatchObject({
      engines: { node: '>=24' },
      scripts: { start: 'PORT=9000 node index.js' },
    });
  });
});

describe('idp new with a Backstage template, from flags', () => {
  it('exits 2 naming every missing or invalid parameter, and writes nothing', async () => {
    const dir = await scratch();
    const result = runIdp([
      'new',
      MULTI_PAGE,
      '--yes',
      '--json',
      '--out',
      path.join(dir, 'out'),
      '--set',
      'name=-bad-',
      '--set',
      'port=80',
      '--set',
      'nodeVersion=18',
      '--set',
      'repoUrl=gitlab.com?owner=acme&repo=x',
      '--set',
      'colour=blue',
    ]);
    expect(result.status, result.stderr).toBe(2);
    const problems = JSON.parse(result.stdout).problems as Array<{ field: string; message: string }>;
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(Object.keys(byField).sort()).toEqual(['colour', 'name', 'nodeVersion', 'owner', 'port', 'repoUrl']);
    expect(byField.owner).toMatch(/is required/);
    expect(byField.port).toMatch(/must be >= 1024/);
    expect(byField.nodeVersion).toMatch(/allowed values: "20", "22", "24"/);
    expect(byField.repoUrl).toMatch(/allowed hosts github\.com, not gitlab\.com/);
    expect(byField.colour).toMatch(/not a parameter of this template/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('types --set by the schema (numbers, booleans, YAML lists, dotted nested fields) and sets name from the argument', async () => {
    const dir = await scratch();
    const result = runIdp([
      'new',
      path.join(CORPUS, 'arrays'),
      'orders',
      '--yes',
      '--json',
      '--out',
      path.join(dir, 'api'),
      '--set',
      'tags=[orders, "a, b"]',
      '--set',
      'endpoints=[{path: /orders, handler: listOrders}]',
    ]);
    expect(result.status, result.stderr).toBe(0);
    const { parameters, files } = JSON.parse(result.stdout);
    expect(parameters).toMatchObject({ name: 'orders', tags: ['orders', 'a, b'], methods: ['GET'] });
    expect(parameters.endpoints).toEqual([{ path: '/orders', handler: 'listOrders', summary: 'An endpoint' }]);
    expect(files).toContain('handlers/listOrders.js');

    const nested = runIdp([
      'new',
      path.join(CORPUS, 'nested-objects'),
      'cfg',
      '--yes',
      '--json',
      '--out',
      path.join(dir, 'cfg'),
      '--set',
      'app.port=9090',
      '--set',
      'app.features.tracing=true',
    ]);
    expect(nested.status, nested.stderr).toBe(0);
    expect(JSON.parse(nested.stdout).parameters.app).toEqual({
      port: 9090,
      logLevel: 'info',
      features: { metrics: true, tracing: true },
      motd: 'Hello',
    });
  });

  it('lists the steps it does not run with their evaluated input, and runs no step whose if is false', async () => {
    const dir = await scratch();
    const result = runIdp(['new', path.join(CORPUS, 'step-conditions'), 'envs', '--yes', '--json', '--out', path.join(dir, 'envs')]);
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.stepsNotRun).toEqual([
      { id: 'log', name: 'Say what happens', action: 'debug:log', inputs: [{ message: 'Creating envs in eu-west-1' }] },
    ]);
    expect(json.skippedSteps).toEqual(['never', 'empty-note']);
    expect(json.files).toContain('envs/staging/values.yaml');
    expect(json.files).not.toContain('envs/prod/values.yaml');
  });

  it('refuses a template whose fetch url is remote, saying what to do instead, and writes nothing', async () => {
    const dir = await scratch();
    const template = path.join(dir, 'remote');
    await mkdir(template);
    await writeFile(
      path.join(template, 'template.yaml'),
      'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: { name: remote }\nspec:\n  steps:\n    - id: fetch\n      action: fetch:template\n      input: { url: "https://github.com/acme/templates/tree/main/skeleton" }\n',
    );
    const result = runIdp(['new', template, '--yes', '--out', path.join(dir, 'out')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /Step fetch \(fetch:template\): url https:\/\/github\.com\/\S+ is a remote location; idp renders only what the template folder holds/,
    );
    expect(await readdir(dir)).toEqual(['remote']);
  });

  it('needs --out for a template without a name parameter', async () => {
    const dir = await scratch();
    const template = path.join(dir, 'nameless');
    await cp(path.join(CORPUS, 'binary-assets'), template, { recursive: true });
    const yaml = (await readFile(path.join(template, 'template.yaml'), 'utf-8'))
      .replaceAll('name: ${{ parameters.name }}', 'name: site')
      .replace(/required: \[name\]\n\s+properties:\n\s+name:\n(\s+\S.*\n){3}/, 'properties: {}\n');
    await writeFile(path.join(template, 'template.yaml'), yaml);
    const refused = runIdp(['new', template, '--yes', '--json'], { cwd: dir });
    expect(refused.status, refused.stderr).toBe(2);
    expect(JSON.parse(refused.stdout).problems).toEqual([{ field: '--out', message: expect.stringMatching(/no name parameter/) }]);
  });
});

describe('idp templates and idp new --help with any template repository', () => {
  it('lists a folder of Backstage templates with name, title, description and tags', () => {
    const result = runIdp(['templates', '--templates', CORPUS, '--json']);
    expect(result.status, result.stderr).toBe(0);
    const templates = JSON.parse(result.stdout).templates as Array<{ name: string; title: string; tags: string[] }>;
    expect(templates.length).toBeGreaterThanOrEqual(12);
    expect(templates.find((t) => t.name === 'multi-page-service')).toMatchObject({
      title: 'Node.js service (three pages)',
      description: expect.stringContaining('three form pages'),
      tags: ['nodejs', 'corpus', 'recommended'],
    });
    const text = runIdp(['templates', '--templates', CORPUS]).stdout;
    expect(text).toMatch(/^multi-page-service\s+Node\.js service \(three pages\) — .*\[nodejs, corpus, recommended\]$/m);
  });

  it('lists a git repository that keeps its templates in folders of its own, and runs one by name from it', async () => {
    const repo = await scratch();
    await cp(CORPUS, path.join(repo, 'scaffolder-templates'), { recursive: true });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e',
        },
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'templates');
    const env = { XDG_CACHE_HOME: path.join(repo, '.cache') };
    const url = `file://${repo}`;
    const listed = runIdp(['templates', '--templates', url, '--json'], { env });
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).templates.map((t: { name: string }) => t.name)).toContain('copy-without');
    const out = path.join(await scratch(), 'site');
    const made = runIdp(['new', 'copy-without', 'site', '--templates', url, '--yes', '--out', out], { env });
    expect(made.status, made.stderr).toBe(0);
    expect(await readFile(path.join(out, 'index.md'), 'utf-8')).toBe('rendered site\n');
  });

  it("prints a template's parameters page by page with idp new TEMPLATE --help (and --help TEMPLATE)", () => {
    for (const args of [
      ['new', 'dependencies-oneof', '--help'],
      ['new', '--help', 'dependencies-oneof'],
    ]) {
      const result = runIdp([...args, '--templates', CORPUS]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Usage: idp new/);
      expect(result.stdout).toContain('Parameters of dependencies-oneof — Web, worker or cron job');
      expect(result.stdout).toMatch(/Workload \(page 1 of 2\)\n\s+name\s+string, required, EntityNamePicker — Name/);
      expect(result.stdout).toMatch(/queue\s+string, required, when kind is "worker", default "jobs"/);
      expect(result.stdout).toMatch(/Extras \(page 2 of 2\)\n\s+withCi .*\n\s+ciProvider\s+string, when withCi is true, default "github"/);
    }
    expect(runIdp(['new', '--help']).stdout).toMatch(/--backstage-url <url>/);
    expect(runIdp(['new']).status).toBe(2);
  });
});

describe('idp new with a hostile or broken Backstage template', () => {
  /** A template folder holding this template.yaml and a one-file skeleton. */
  async function templateWith(yaml: string) {
    const dir = await scratch();
    const template = path.join(dir, 'tpl');
    await mkdir(path.join(template, 'skeleton'), { recursive: true });
    await writeFile(path.join(template, 'skeleton/README.md'), '# ${{ values.slug }}\n');
    await writeFile(path.join(template, 'template.yaml'), yaml);
    return { dir, template };
  }
  const slugTemplate = (pattern: string, targetPath = '.') =>
    [
      'apiVersion: scaffolder.backstage.io/v1beta3',
      'kind: Template',
      'metadata: { name: slugger }',
      'spec:',
      '  parameters:',
      '    - properties:',
      `        slug: { type: string, title: Slug, pattern: '${pattern}' }`,
      '        place: { type: string, default: "." }',
      '  steps:',
      '    - id: fetch',
      '      action: fetch:template',
      `      input: { url: ./skeleton, targetPath: "${targetPath}", values: { slug: "\${{ parameters.slug }}" } }`,
      '',
    ].join('\n');

  it('a pattern that backtracks catastrophically: exit 2 within seconds, naming the parameter; nothing written', async () => {
    const { dir, template } = await templateWith(slugTemplate('^([a-z0-9]+-?)+$'));
    const started = Date.now();
    const result = runIdp(['new', template, '--yes', '--json', '--out', path.join(dir, 'out'), '--set', `slug=${'k'.repeat(38)}!`]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.status, result.stderr).toBe(2);
    expect(JSON.parse(result.stdout).problems).toEqual([
      { field: 'slug', message: expect.stringMatching(/^could not be checked: the template's pattern .* took over 1 s on this value/) },
    ]);
    expect(await readdir(dir)).toEqual(['tpl']);
  });

  it('a targetPath outside the output (from a parameter): exit 2 naming the step and targetPath; nothing written', async () => {
    const { dir, template } = await templateWith(slugTemplate('^[a-z]+$', '${{ parameters.place }}'));
    const result = runIdp(['new', template, '--yes', '--out', path.join(dir, 'out'), '--set', 'slug=ok', '--set', 'place=../../escaped']);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      /Step fetch \(fetch:template\): targetPath: must stay inside the directory the template writes, but "\.\.\/\.\.\/escaped"/,
    );
    expect(await readdir(dir)).toEqual(['tpl']);
  });

  it('a template.yaml that is not YAML of a template: exit 2 naming the file, no "apiVersion undefined"', async () => {
    const { dir, template } = await templateWith('# Slugger\n\nMaintainer: platform team\n');
    const result = runIdp(['new', template, '--yes', '--out', path.join(dir, 'out')]);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${path.join(template, 'template.yaml')}: must be a Backstage template idp can run`);
    expect(result.stderr).toMatch(/but it has no apiVersion and no kind/);
    expect(result.stderr).not.toMatch(/undefined/);
  });
});
