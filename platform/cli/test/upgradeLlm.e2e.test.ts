import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoPath } from '../../../test/repoRoot.js';
import { runIdp } from './runIdp.js';
import { createTemplateRepo, git, scratch } from './templateRepo.js';

// An llm-service moves from one release of its template to the next like model-service does: both
// sides of the merge are runs of the same engine, so idp:llm:size sizes each again from the
// model's config.json, and an upgrade to a size no pool holds is refused before a file changes.

const CONFIG = repoPath('platform/service-spec/src/llm/fixtures/llama-3.1-8b.config.json');
const read = (dir: string, file: string) => readFile(path.join(dir, file), 'utf-8');
const commitAll = (dir: string, message: string) => {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
};

describe('idp upgrade: an llm-service', () => {
  it('merges the release with the owners’ edit, re-sizes for a changed answer, and refuses one that cannot fit', async () => {
    const repo = await createTemplateRepo(undefined, 'llm-service');
    const service = path.join(await scratch(), 'support-chat');
    const created = runIdp([
      'new',
      'llm-service',
      'support-chat',
      '--yes',
      '--templates',
      repo.dir,
      '--out',
      service,
      ...['--set', 'model=meta-llama/Llama-3.1-8B-Instruct', '--set', 'modelRevision=0e9e39f249a16976918f6564b8830bc894c89659'],
      ...['--set', `modelConfig=${CONFIG}`, '--set', 'maxModelLen=4096', '--set', 'maxNumSeqs=4'],
    ]);
    expect(created.status, created.stderr).toBe(0);
    expect(await read(service, 'deploy/base/deployment.yaml')).toContain('--max-num-seqs=4');
    git(service, 'init', '-q', '-b', 'main');
    commitAll(service, 'first commit');
    await writeFile(path.join(service, 'docs/runbook.md'), `${await read(service, 'docs/runbook.md')}\nPage #support-chat-oncall first.\n`);
    commitAll(service, 'our runbook line');

    await repo.edit('skeleton/README.md', (text) => `${text}\nUpgrades arrive as pull requests from idp fleet.\n`);
    repo.release('0.1.1');

    const upgraded = runIdp(['upgrade', service, '--set', 'maxNumSeqs=8']);
    expect(upgraded.status, `${upgraded.stderr}\n${upgraded.stdout}`).toBe(0);
    expect(await read(service, 'README.md')).toContain('Upgrades arrive as pull requests from idp fleet.');
    expect(await read(service, 'docs/runbook.md')).toContain('Page #support-chat-oncall first.');
    expect(await read(service, 'deploy/base/deployment.yaml')).toContain('--max-num-seqs=8');
    expect(JSON.parse(await read(service, '.idp/sizing.json')).model.maxNumSeqs).toBe(8);
    expect(parse(await read(service, '.idp/answers.yaml'))).toMatchObject({ templateVersion: '0.1.1', answers: { maxNumSeqs: 8 } });
    expect(await read(service, 'catalog-info.yaml')).toContain('idp.dev/template-version: 0.1.1');
    commitAll(service, 'llm-service 0.1.1');

    // Eight sequences of 4096 tokens do not fit one T4: refused with the numbers, nothing changed.
    const refused = runIdp(['upgrade', service, '--set', 'gpuType=nvidia-t4', '--set', 'gpuCount=1']);
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/must fit the GPUs, but the model needs \d+\.\d GiB/);
    expect(git(service, 'status', '--porcelain')).toBe('');
  });
});
