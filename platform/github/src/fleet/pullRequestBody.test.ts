import { describe, expect, it } from 'vitest';
import { pullRequestBody, PULL_REQUEST_MARKER, type PullRequestFacts } from './pullRequestBody.js';

const facts: PullRequestFacts = {
  service: 'fraud-scorer',
  template: 'model-service',
  from: '0.1.0',
  to: '0.2.0',
  source: 'https://github.com/acme/idp-templates.git',
  templatePath: 'templates/model-service',
  commit: '0123456789abcdef0123456789abcdef01234567',
  branch: 'idp/upgrade-model-service',
  plan: {
    added: ['SECURITY.md'],
    changed: ['Dockerfile'],
    removed: ['docs/old.md'],
    conflicts: [],
    kept: ['docs/runbook.md'],
    stayedDeleted: [],
  },
};

describe('pullRequestBody', () => {
  it('names the move and lists every file by what happens to it', () => {
    const { title, body } = pullRequestBody(facts);
    expect(title).toBe('Upgrade model-service 0.1.0 → 0.2.0');
    expect(body.startsWith(PULL_REQUEST_MARKER)).toBe(true);
    expect(body).toContain('`templates/model-service` at `0123456789ab` of `https://github.com/acme/idp-templates.git`');
    expect(body).toContain('**Added** (1)\n\n- `SECURITY.md`');
    expect(body).toContain('**Removed** (1)\n\n- `docs/old.md`');
    expect(body).toContain('**Kept** (1): the template removed them, you had changed them');
    expect(body).not.toContain('Still deleted');
    expect(body).not.toContain('conflict');
  });

  it('puts conflicts first, with what to do, and says the draft must not be merged as it is', () => {
    const { title, body } = pullRequestBody({
      ...facts,
      plan: {
        ...facts.plan,
        conflicts: [
          { path: 'README.md', binary: false },
          { path: 'logo.png', binary: true },
        ],
      },
    });
    expect(title).toBe('Upgrade model-service 0.1.0 → 0.2.0 (2 conflicts to resolve)');
    expect(body.indexOf('### ⚠️ 2 conflicts to resolve')).toBeLessThan(body.indexOf('### Files'));
    expect(body).toContain('- `README.md`\n- `logo.png` (binary, no markers');
    expect(body).toContain('git fetch origin && git switch idp/upgrade-model-service');
    expect(body).toContain('>>>>>>> model-service 0.2.0');
  });

  it("adds the template's changelog, and says exactly this for this upgrade: nothing of when or where it ran (a re-run edits nothing)", () => {
    const { title, body } = pullRequestBody({ ...facts, changelog: '## 0.2.0\n\n- SECURITY.md added.' });
    expect(title).toBe('Upgrade model-service 0.1.0 → 0.2.0');
    // The whole text, spelled out: a date, a run id, a host name or an unstable order would change it.
    expect(body).toBe(
      [
        PULL_REQUEST_MARKER,
        'This moves **fraud-scorer** from template **model-service 0.1.0** to **0.2.0** (`templates/model-service` at `0123456789ab` of `https://github.com/acme/idp-templates.git`).',
        '',
        "It was made by `idp fleet upgrade` with the same three-way merge as `idp upgrade`: the template's changes since the service was made are brought in, and your own changes are kept.",
        '',
        '### Files',
        '',
        '**Added** (1)',
        '',
        '- `SECURITY.md`',
        '',
        '**Changed** (1)',
        '',
        '- `Dockerfile`',
        '',
        '**Removed** (1)',
        '',
        '- `docs/old.md`',
        '',
        '**Kept** (1): the template removed them, you had changed them',
        '',
        '- `docs/runbook.md`',
        '',
        '### What changed in model-service',
        '',
        '#### 0.2.0',
        '',
        '- SECURITY.md added.',
        '',
        '---',
        'Re-running `idp fleet upgrade` updates this pull request (and the `idp/upgrade-model-service` branch) instead of opening another.',
        '',
      ].join('\n'),
    );
  });

  it('keeps a file name from closing its code span', () => {
    const { body } = pullRequestBody({ ...facts, plan: { ...facts.plan, added: ['docs/`rm -rf`.md'] } });
    expect(body).toContain("- `docs/'rm -rf'.md`");
  });
});
