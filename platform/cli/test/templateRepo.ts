import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTemplateRepo as createTemplateRepoIn, GIT_ENV, type TemplateRepo } from '../../github/test/fleetFixtures.js';

/** Git, synchronously: the CLI's tests run it between commands, with no server in this process to wait for. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf-8' }).trim();
}

export const scratch = (prefix = 'idp-upgrade-') => mkdtemp(path.join(tmpdir(), prefix));

/** A platform team's own template repository (templates/model-service committed as 0.1.0), in a new folder. */
export async function createTemplateRepo(): Promise<TemplateRepo> {
  return createTemplateRepoIn(await scratch('idp-template-repo-'));
}
