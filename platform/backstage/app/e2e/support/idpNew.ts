import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths';

const run = promisify(execFile);

/**
 * Runs the real `idp new` (the CLI's built bin, on the repo's Node) with the answers the portal
 * form submitted, written to a values file as a person would.
 */
export async function idpNew(template: string, answers: Record<string, unknown>, workDir: string): Promise<string> {
  const valuesFile = join(workDir, 'answers.json');
  const out = join(workDir, 'idp-new');
  await writeFile(valuesFile, JSON.stringify(answers, null, 2));
  await run(join(REPO_ROOT, 'node_modules', '.bin', 'node'), [join(REPO_ROOT, 'platform', 'cli', 'bin', 'idp.js'), 'new', template, '--yes', '--values', valuesFile, '--out', out], {
    cwd: workDir,
    env: { ...process.env, IDP_PLATFORM_CONTRACT: '' },
  });
  return out;
}
