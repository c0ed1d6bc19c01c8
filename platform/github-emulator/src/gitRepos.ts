import { execFile } from 'node:child_process';
import { appendFile, chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Creates the bare repository `git http-backend` serves a new repo from (pushes allowed); returns its directory. */
export async function createGitDir(dataDir: string, owner: string, name: string): Promise<string> {
  const gitDir = join(dataDir, owner.toLowerCase(), `${name.toLowerCase()}.git`);
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', gitDir]);
  // Written directly rather than with `git config`: one process less per repository.
  await appendFile(join(gitDir, 'config'), '[http]\n\treceivepack = true\n');
  return gitDir;
}

/**
 * Every ref of the repository and the sha it points at, through git's own plumbing
 * (`for-each-ref`), so any ref storage git has (loose, packed, reftable) reads the same. One
 * process however many refs a request reads.
 */
export async function readGitRefs(gitDir: string): Promise<Map<string, string>> {
  const { stdout } = await run('git', ['--git-dir', gitDir, 'for-each-ref', '--format=%(objectname) %(refname)']);
  const refs = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) refs.set(line.slice(space + 1), line.slice(0, space));
  }
  return refs;
}

// GitHub's answer to a push a protection rule forbids, from a pre-receive hook that reads the
// emulator's rules (one branch pattern a line, shell patterns: `idp/*`).
const PROTECTED_BRANCHES_FILE = 'protected-branches';
const PRE_RECEIVE_HOOK = `#!/bin/sh
status=0
while read -r old new ref; do
  branch=\${ref#refs/heads/}
  while IFS= read -r pattern; do
    case "$branch" in
      $pattern)
        echo "error: GH006: Protected branch update failed for $ref." >&2
        echo "error: Changes must be made through a pull request." >&2
        status=1 ;;
    esac
  done < ${PROTECTED_BRANCHES_FILE}
done
exit $status
`;

/**
 * Protects every branch matching `pattern` as a GitHub branch protection rule does (one made in
 * the UI or through GraphQL, which take patterns): a push to one is refused with GH006.
 */
export async function protectBranchPattern(gitDir: string, pattern: string): Promise<void> {
  await appendFile(join(gitDir, PROTECTED_BRANCHES_FILE), `${pattern}\n`);
  const hook = join(gitDir, 'hooks', 'pre-receive');
  await writeFile(hook, PRE_RECEIVE_HOOK);
  await chmod(hook, 0o755);
}
