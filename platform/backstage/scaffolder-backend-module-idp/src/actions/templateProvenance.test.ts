import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { openTemplateSource, templateProvenance } from '@idp/scaffold';
import { createTemplateProvenanceAction } from './templateProvenance';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf-8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
  }).trim();

describe('idp:template:provenance', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(path.join(os.tmpdir(), 'idp-provenance-'));
    await cp(path.join(__dirname, '../../../../../templates/model-service/template.yaml'), path.join(repo, 'templates/model-service/template.yaml'));
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'first');
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  async function run(template: string) {
    const ctx = createMockActionContext({ input: { template } as any, isDryRun: true });
    await createTemplateProvenanceAction({ templates: repo }).handler(ctx);
    return (ctx.output as jest.Mock).mock.calls[0][1];
  }

  it("outputs what the CLI records: repository, template folder, commit, reproducible", async () => {
    const provenance = await run('model-service');
    expect(provenance).toEqual({ repository: repo, path: 'templates/model-service', commit: git(repo, 'rev-parse', 'HEAD'), reproducible: true });
    expect(provenance).toEqual(await templateProvenance(await openTemplateSource(repo), 'model-service'));
  });

  it('says a template with uncommitted changes cannot be reproduced', async () => {
    await writeFile(path.join(repo, 'templates/model-service/draft.txt'), 'draft');
    expect(await run('model-service')).toMatchObject({ reproducible: false });
  });
});
