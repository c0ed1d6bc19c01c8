import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { DoctorCheck } from '../doctorCheck.js';

// `idp upgrade` merges with `git merge-tree --write-tree` (docs/adr/0011).
const MINIMUM: readonly [number, number] = [2, 38];

/** git on PATH, new enough for templates from git and for `idp upgrade`. */
export const checkGit: DoctorCheck = {
  id: 'git',
  title: 'git',
  async run() {
    let output: string;
    try {
      output = (await promisify(execFile)('git', ['--version'])).stdout.trim();
    } catch {
      return {
        status: 'fail',
        detail: 'git was not found on PATH (templates from git, `idp publish` and `idp upgrade` need it)',
        fix: 'install git 2.38 or newer, e.g. `sudo apt-get install git` or `brew install git`',
      };
    }
    const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(output) ?? []).slice(1).map(Number);
    if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return { status: 'ok', detail: output };
    return {
      status: 'fail',
      detail: `${output} is older than ${MINIMUM.join('.')}, which \`idp upgrade\` needs (git merge-tree --write-tree)`,
      fix: 'upgrade git to 2.38 or newer',
    };
  },
};
