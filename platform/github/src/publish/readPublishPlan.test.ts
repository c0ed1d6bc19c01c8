import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlatformContract } from '@idp/scaffold';
import { ciJobNames } from './ciJobNames.js';
import { readPublishPlan } from './readPublishPlan.js';
import { redact } from './redact.js';
import { workflowVariables } from './workflowVariables.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function service(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idp-plan-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const CI = 'jobs:\n  lint: { name: lint, runs-on: x }\n  test: { runs-on: x }\n';

describe('readPublishPlan', () => {
  it('reads the answers idp new records (template + templateVersion) and plans from the spec and contract', async () => {
    const dir = await service({
      '.idp/answers.yaml':
        'template: model-service\ntemplateVersion: 0.1.0\nanswers:\n  name: fraud-detector\n  owner: group:default/ml-team\n  gpuType: nvidia-l4\n  pythonPackage: fraud_detector\n',
      '.github/workflows/ci.yml': CI,
    });
    const plan = await readPublishPlan(dir);
    expect(plan).toMatchObject({
      template: { name: 'model-service', version: '0.1.0' },
      host: 'github.com',
      org: 'acme',
      repo: 'fraud-detector',
      visibility: 'private',
      owner: { kind: 'group', name: 'ml-team' },
      requiredChecks: ['lint', 'test'],
    });
    expect(plan.topics).toEqual(['ml-model', 'model-service']);
  });

  it('names the file, the field and the fix when the answers are wrong', async () => {
    await expect(readPublishPlan(await service({ '.github/workflows/ci.yml': CI }))).rejects.toThrow(
      /answers.yaml is missing: `idp publish` publishes a directory made by `idp new`/,
    );
    await expect(readPublishPlan(await service({ '.idp/answers.yaml': 'answers: { name: x }\n' }))).rejects.toThrow(
      /template.name must name the template \(e.g. template: \{ name: model-service/,
    );
    await expect(
      readPublishPlan(
        await service({
          '.idp/answers.yaml': 'template: { name: t, version: "1" }\nanswers:\n  name: Bad_Name\n',
          '.github/workflows/ci.yml': CI,
        }),
      ),
    ).rejects.toThrow(/name: must be a DNS-1035 label/);
    await expect(
      readPublishPlan(await service({ '.idp/answers.yaml': 'template: { name: t, version: "1" }\nanswers: { name: ok }\n' })),
    ).rejects.toThrow(/.github\/workflows\/ci.yml is missing/);
    await expect(readPublishPlan('/no/such/dir')).rejects.toThrow(/is not a directory/);
  });
});

describe('ciJobNames', () => {
  it('takes each job name, or its id, and refuses names only known at run time', async () => {
    expect(await ciJobNames(await service({ '.github/workflows/ci.yml': CI }))).toEqual(['lint', 'test']);
    await expect(
      ciJobNames(await service({ '.github/workflows/ci.yml': 'jobs:\n  t: { name: "test ${{ matrix.py }}" }\n' })),
    ).rejects.toThrow(/jobs.t.name .* uses an expression/);
    await expect(ciJobNames(await service({ '.github/workflows/ci.yml': 'on: push\n' }))).rejects.toThrow(
      /jobs must name at least one job/,
    );
  });
});

describe('workflowVariables', () => {
  it('gives registry, cluster and CI identity per environment, and no credentials', async () => {
    const variables = workflowVariables(await loadPlatformContract());
    expect(variables).toMatchObject({
      IDP_STAGING_REGISTRY: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml',
      IDP_STAGING_CLUSTER: 'ml-staging',
      IDP_STAGING_CI_IDENTITY: 'aws',
      IDP_PRODUCTION_AWS_ROLE_ARN: 'arn:aws:iam::210987654321:role/github-actions-ml-production',
    });
    for (const name of Object.keys(variables)) expect(name).toMatch(/^IDP_(STAGING|PRODUCTION)_[A-Z_]+$/);
  });
});

describe('redact', () => {
  it('removes a token in every form it travels in', () => {
    const token = 'ghp_secretvalue123';
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    expect(redact(`token ${token} / Basic ${basic} / ${encodeURIComponent(token)}`, [token])).toBe('token *** / Basic *** / ***');
  });
});
