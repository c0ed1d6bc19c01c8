import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireRepo, type PublishContext, type PublishStep } from './context.js';
import { PublishError } from './errors.js';
import { git, type GitRun } from './git.js';

const BRANCH = 'main';
const ATTEMPTS = 4;

/** Commits DIR as it is (its .gitignore applies) into a throwaway git dir; DIR itself is not touched. */
async function commitDirectory(run: GitRun, message: string): Promise<string> {
  await git(run, ['init', '--quiet', `--initial-branch=${BRANCH}`]);
  await git(run, ['add', '--all']);
  await git(run, ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', message]);
  return (await git(run, ['rev-parse', 'HEAD'])).trim();
}

async function remoteMain(run: GitRun, url: string): Promise<string | undefined> {
  const out = await git(run, ['ls-remote', url, `refs/heads/${BRANCH}`]);
  return out.split('\t')[0]?.trim() || undefined;
}

/** Retries a git transfer: a dropped connection may or may not have landed, so each try looks first. */
async function withRetries<T>(context: PublishContext, what: string, attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof PublishError || i >= ATTEMPTS) throw error;
      context.log(`${what} failed (${(error as Error).message.split('\n')[0]}); retrying (${i}/${ATTEMPTS - 1})`);
      await new Promise((resolve) => setTimeout(resolve, context.gitBackoffMs * i * i));
    }
  }
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
      if (!repo.exists) return { status: 'planned', detail: `would push commit ${sha.slice(0, 12)} to ${BRANCH}` };
      return await withRetries(context, 'git push', async () => {
        const current = await remoteMain(run, repo.cloneUrl);
        if (current === sha) return { status: 'unchanged' as const, detail: `${BRANCH} is at ${sha.slice(0, 12)}` };
        if (current) {
          throw new PublishError('push', `${plan.org}/${plan.repo} already exists with different content (its ${BRANCH} is ${current.slice(0, 12)}, this directory makes ${sha.slice(0, 12)}): publish under another repoUrl, or delete or rename the existing repository`);
        }
        if (context.dryRun) return { status: 'planned' as const, detail: `would push commit ${sha.slice(0, 12)} to ${BRANCH}` };
        await git(run, ['push', '--quiet', repo.cloneUrl, `HEAD:refs/heads/${BRANCH}`]);
        return { status: 'created' as const, detail: `pushed ${sha.slice(0, 12)} to ${BRANCH}` };
      });
    } finally {
      await rm(gitDir, { recursive: true, force: true });
    }
  },
};
