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
        const current = await remoteMain(run, repo.cloneUrl);
        if (current === sha) return { status: 'unchanged', detail: `${BRANCH} is at ${sha.slice(0, 12)}` };
        if (current) throw conflict(context, current, sha);
        return { status: 'planned', detail: `would push commit ${sha.slice(0, 12)} to ${BRANCH}` };
      }
      // One round trip looks and acts: git reports the ref as new, already up to date, or
      // rejected (main holds something else). A push whose answer was lost lands as up to date.
      return await withRetries(context, 'git push', async () => {
        const out = await git(run, ['push', '--porcelain', repo.cloneUrl, `${sha}:refs/heads/${BRANCH}`]).catch(
          (error: Error & { stdout?: string }) => {
            if (error.stdout && /^!\t/m.test(error.stdout)) return error.stdout;
            throw error;
          },
        );
        const flag = /^(.)\t/m.exec(out)?.[1];
        if (flag === '=') return { status: 'unchanged' as const, detail: `${BRANCH} is at ${sha.slice(0, 12)}` };
        if (flag === '*' || flag === ' ') return { status: 'created' as const, detail: `pushed ${sha.slice(0, 12)} to ${BRANCH}` };
        throw conflict(context, (await remoteMain(run, repo.cloneUrl)) ?? 'unknown', sha);
      });
    } finally {
      await rm(gitDir, { recursive: true, force: true });
    }
  },
};
