import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireRepo, type PublishContext, type PublishStep } from './context.js';
import { PublishError } from './errors.js';
import { git, type GitRun } from '../git/git.js';
import { pushRef, remoteSha } from '../git/pushRef.js';
import { retryTransfer } from '../git/retryTransfer.js';

const BRANCH = 'main';

/** Commits DIR as it is (its .gitignore applies) into a throwaway git dir; DIR itself is not touched. */
async function commitDirectory(run: GitRun, message: string): Promise<string> {
  await git(run, ['init', '--quiet', `--initial-branch=${BRANCH}`]);
  await git(run, ['add', '--all']);
  await git(run, ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', message]);
  return (await git(run, ['rev-parse', 'HEAD'])).trim();
}

function conflict({ plan }: PublishContext, current: string, sha: string): PublishError {
  return new PublishError(
    'push',
    `${plan.org}/${plan.repo} already exists with different content (its ${BRANCH} is ${current.slice(0, 12)}, this directory makes ${sha.slice(0, 12)}): publish under another repoUrl, or delete or rename the existing repository`,
  );
}

/** The initial commit of DIR on main, pushed with real git over HTTP. */
export const pushInitialCommit: PublishStep = {
  id: 'push',
  title: 'Push the initial commit to main',
  async run(context) {
    const { plan } = context;
    const repo = requireRepo(context);
    const gitDir = await mkdtemp(join(tmpdir(), 'idp-publish-git-'));
    const run: GitRun = { gitDir, workTree: plan.dir, token: context.token };
    try {
      const sha = await commitDirectory(run, `Create ${plan.service.name} from template ${plan.template.name} ${plan.template.version}`);
      context.commit = sha;
      if (!repo.exists) return { status: 'planned', detail: `would push commit ${sha.slice(0, 12)} to ${BRANCH}` };
      if (context.dryRun) {
        const current = await remoteSha(run, repo.cloneUrl, `refs/heads/${BRANCH}`);
        if (current === sha) return { status: 'unchanged', detail: `${BRANCH} is at ${sha.slice(0, 12)}` };
        if (current) throw conflict(context, current, sha);
        return { status: 'planned', detail: `would push commit ${sha.slice(0, 12)} to ${BRANCH}` };
      }
      // One round trip looks and acts: git reports the ref as new, already up to date, or
      // rejected (main holds something else). A push whose answer was lost lands as up to date.
      return await retryTransfer(
        'git push',
        context.gitBackoffMs,
        context.log,
        async () => {
          const { flag } = await pushRef(run, repo.cloneUrl, sha, `refs/heads/${BRANCH}`);
          if (flag === '=') return { status: 'unchanged' as const, detail: `${BRANCH} is at ${sha.slice(0, 12)}` };
          if (flag === '*' || flag === ' ') return { status: 'created' as const, detail: `pushed ${sha.slice(0, 12)} to ${BRANCH}` };
          throw conflict(context, (await remoteSha(run, repo.cloneUrl, `refs/heads/${BRANCH}`)) ?? 'unknown', sha);
        },
        (error) => error instanceof PublishError,
      );
    } finally {
      await rm(gitDir, { recursive: true, force: true });
    }
  },
};
