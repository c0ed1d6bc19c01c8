import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_CONTRACT_FILE } from '../../../test/defaultContract.js';
import { runIdp, runIdpInteractive, TEMPLATES_DIR } from './runIdp.js';

const scratch = () => mkdtemp(path.join(tmpdir(), 'idp-e2e-'));
const ENTER = '\r';

describe('idp new --yes', () => {
  it('scaffolds the model-service with defaults and prints where', async () => {
    const out = path.join(await scratch(), 'fraud-detector');
    const result = runIdp(['new', 'model-service', 'fraud-detector', '--yes', '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Created fraud-detector in ${out}`);
    const answers = parse(await readFile(path.join(out, '.idp/answers.yaml'), 'utf-8'));
    expect(answers).toMatchObject({ template: 'model-service', answers: { name: 'fraud-detector', gpuType: 'none', gpuCount: 0 } });
    expect(result.stderr).not.toContain('\u001b['); // NO_COLOR and not a terminal
  });

  it('types --set values by the schema and reads --values files like a form submission', async () => {
    const dir = await scratch();
    const valuesFile = path.join(dir, 'answers.yaml');
    await writeFile(valuesFile, 'name: from-file\ndescription: "Says \\"hi\\" — ünïcode ${{ values.name }}"\nminReplicas: 2\n');
    const out = path.join(dir, 'svc');
    const result = runIdp([
      'new',
      'model-service',
      '--yes',
      '--values',
      valuesFile,
      '--set',
      'gpuType=nvidia-l4',
      '--set',
      'gpuCount=2',
      '--set',
      'maxReplicas=5',
      '--out',
      out,
      '--json',
    ]);
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      ok: true,
      targetDir: out,
      // --set typed by the template's own parameters, then resolved by its idp:spec:validate step.
      parameters: { name: 'from-file', gpuType: 'nvidia-l4', gpuCount: 2, minReplicas: 2, maxReplicas: 5 },
      outputs: { validate: { spec: { name: 'from-file', gpuType: 'nvidia-l4', gpuCount: 2, minReplicas: 2, maxReplicas: 5 } } },
    });
    expect(json.files).toContain('catalog-info.yaml');
    const answers = parse(await readFile(path.join(out, '.idp/answers.yaml'), 'utf-8'));
    expect(answers.answers.description).toBe('Says "hi" — ünïcode ${{ values.name }}');
  });

  it('rejects a values file that is not YAML, or not a mapping, naming --values', async () => {
    const dir = await scratch();
    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, 'name: [unclosed\n');
    const notYaml = runIdp(['new', 'model-service', '--yes', '--dry-run', '--values', broken]);
    expect(notYaml.status).toBe(2);
    expect(notYaml.stderr).toMatch(/--values: .*broken\.yaml is not valid YAML or JSON/);
    await writeFile(broken, '- just\n- a list\n');
    const list = runIdp(['new', 'model-service', '--yes', '--dry-run', '--values', broken]);
    expect(list.stderr).toMatch(/--values: .*must hold a mapping/);
    const missing = runIdp(['new', 'model-service', '--yes', '--dry-run', '--values', path.join(dir, 'nope.yaml')]);
    expect(missing.stderr).toMatch(/--values: cannot read .*ENOENT/);
  });

  it('--dry-run lists the files and writes nothing', async () => {
    const dir = await scratch();
    const result = runIdp(['new', 'model-service', 'dry', '--yes', '--dry-run', '--out', path.join(dir, 'dry')]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/would write catalog-info\.yaml/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('exits 2 listing every problem with its field and fix, and writes nothing', async () => {
    const dir = await scratch();
    const result = runIdp([
      'new',
      'model-service',
      'Bad_Name',
      '--yes',
      '--set',
      'gpuCount=3',
      '--set',
      'maxReplicas=0',
      '--set',
      'colour=blue',
      '--out',
      path.join(dir, 'x'),
    ]);
    expect(result.status).toBe(2);
    for (const field of ['name:', 'gpuCount:', 'maxReplicas:', 'colour:']) expect(result.stderr).toContain(field);
    expect(result.stderr).toMatch(/e\.g\. fraud-detector/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("exits 2 when the service cannot fit its owner team's GPU quota, saying what would fit", () => {
    // The default contract gives ml-team 32 GPUs per cluster: (5 + 1 rollout pod) × 8 = 48.
    const result = runIdp([
      'new',
      'model-service',
      'llm',
      '--yes',
      '--set',
      'gpuType=nvidia-h100',
      '--set',
      'gpuCount=8',
      '--set',
      'maxReplicas=5',
      '--json',
      '--dry-run',
    ]);
    expect(result.status).toBe(2);
    const { problems } = JSON.parse(result.stdout) as { problems: { field: string; message: string }[] };
    expect(problems.map((p) => p.field)).toEqual(['maxReplicas', 'maxReplicas']);
    expect(problems[0]!.message).toBe(
      "must fit the owner team's GPU quota: (maxReplicas 5 + 1 rollout pod) × gpuCount 8 = 48 GPUs, but ml-team has 32 in ml-staging (staging) (e.g. maxReplicas=3)",
    );
  });

  it('--json reports problems on stdout', () => {
    const result = runIdp(['new', 'model-service', 'x', '--yes', '--set', 'cpu=lots', '--json', '--dry-run']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      exitCode: 2,
      problems: [{ field: 'cpu', message: expect.stringContaining('e.g. 500m') }],
    });
  });

  it('refuses a non-empty target unless --force, and --force replaces it', async () => {
    const out = await scratch();
    await writeFile(path.join(out, 'precious.txt'), 'mine');
    const refused = runIdp(['new', 'model-service', 'svc', '--yes', '--out', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--out: .*not empty.*--force/);
    expect(await readdir(out)).toEqual(['precious.txt']);
    const forced = runIdp(['new', 'model-service', 'svc', '--yes', '--out', out, '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(await readdir(out)).toContain('catalog-info.yaml');
    expect(await readdir(out)).not.toContain('precious.txt');
  });

  it('names the templates there are when one is unknown', () => {
    const result = runIdp(['new', 'no-such-template', 'x', '--yes']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/template: "no-such-template" is not a template .* choose one of (.*, )?model-service/);
  });

  it('uses another platform contract from --contract or IDP_PLATFORM_CONTRACT, and rejects a bad one', async () => {
    const dir = await scratch();
    const base = await readFile(DEFAULT_CONTRACT_FILE, 'utf-8');
    const contract = path.join(dir, 'contract.yaml');
    await writeFile(contract, base.replace('org: acme', 'org: other-org'));
    const viaFlag = runIdp(['new', 'model-service', 'c1', '--yes', '--dry-run', '--json', '--contract', contract]);
    expect(JSON.parse(viaFlag.stdout).outputs.validate.spec.repoUrl).toBe('github.com?owner=other-org&repo=c1');
    const viaEnv = runIdp(['new', 'model-service', 'c2', '--yes', '--dry-run', '--json'], { env: { IDP_PLATFORM_CONTRACT: contract } });
    expect(JSON.parse(viaEnv.stdout).outputs.validate.spec.repoUrl).toBe('github.com?owner=other-org&repo=c2');
    await writeFile(contract, base.replace('mesh: istio-ambient', 'mesh: consul'));
    const bad = runIdp(['new', 'model-service', 'c3', '--yes', '--dry-run', '--contract', contract]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('environments.staging.mesh');
  });

  it('asks for --yes when stdin is not a terminal instead of hanging', () => {
    const result = runIdp(['new', 'model-service', 'x', '--dry-run'], { input: 'y\n' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--yes: is needed when standard input is not a terminal');
  });
});

describe('idp new (interactive, on a terminal)', () => {
  it("asks the template's form page by page, re-asks an invalid answer with the spec's rule, then runs the template", async () => {
    const dir = await scratch();
    const result = await runIdpInteractive(
      ['new', 'model-service', '--out', path.join(dir, 'asked')],
      [
        ['Name', `Bad_Name${ENTER}`],
        ['Name', `${'\u007f'.repeat(8)}asked-svc${ENTER}`],
        ['Description', ENTER],
        ['Owner', ENTER],
        ['System', ENTER],
        ['Runtime', ENTER],
        ['Model name', ENTER],
        ['Model version', ENTER],
        ['Model URI', ENTER],
        ['Model format', ENTER],
        ['Longest model load', ENTER],
        ['GPU type', `\u001b[B\u001b[B${ENTER}`], // arrow down twice: nvidia-l4
        ['GPU count', ENTER],
        ['CPU', ENTER],
        ['Memory', `${'\u007f'.repeat(3)}8Gi${ENTER}`],
        ['Minimum replicas', ENTER],
        ['Maximum replicas', ENTER],
        ['Largest batch', ENTER],
        ['Longest batching delay', ENTER],
        ['Longest queue', ENTER],
        ['Repository: owner', `acme${ENTER}`],
        ['Repository: repository', ENTER],
      ],
      dir,
    );
    expect(result.stdout).toContain('name: must match pattern');
    expect(result.status, result.stdout.slice(-1500)).toBe(0);
    const answers = parse(await readFile(path.join(dir, 'asked/.idp/answers.yaml'), 'utf-8')).answers;
    expect(answers).toMatchObject({
      name: 'asked-svc',
      gpuType: 'nvidia-l4',
      gpuCount: 1,
      memory: '8Gi',
      repoUrl: 'github.com?owner=acme&repo=asked-svc',
    });
  });
});

describe('idp templates, --help, --version', () => {
  it('lists the templates', () => {
    const result = runIdp(['templates', '--json']);
    expect(JSON.parse(result.stdout).templates.map((t: { name: string }) => t.name)).toContain('model-service');
  });

  it('prints help and version with exit 0, and usage errors exit 2', async () => {
    expect(runIdp(['--help']).stdout).toMatch(/Usage: idp/);
    expect(runIdp(['new', '--help']).stdout).toMatch(/--set <key=value>/);
    const version = runIdp(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf-8')).version);
    expect(runIdp(['new']).status).toBe(2);
    expect(runIdp(['frobnicate']).status).toBe(2);
  });

  it('keeps the executable bit of every skeleton file', async () => {
    const out = path.join(await scratch(), 'modes');
    expect(runIdp(['new', 'model-service', 'modes', '--yes', '--out', out, '--set', 'gpuType=nvidia-t4']).status).toBe(0);
    const skeleton = path.join(TEMPLATES_DIR, 'model-service/skeleton');
    const isExecutable = async (file: string) => ((await stat(file)).mode & 0o100) !== 0;
    let checked = 0;
    for (const entry of await readdir(skeleton, { recursive: true })) {
      if (entry.includes('{') || !(await stat(path.join(skeleton, entry))).isFile()) continue; // templated paths
      expect(await isExecutable(path.join(out, entry)), entry).toBe(await isExecutable(path.join(skeleton, entry)));
      checked += 1;
    }
    expect(checked).toBeGreaterThan(20);
  });
});
