import { redactUrlCredentials } from '@idp/scaffold';
import type { Reporter } from '../../shared/reporter.js';
import { checkBackstage } from './checks/checkBackstage.js';
import { checkContract } from './checks/checkContract.js';
import { checkGit } from './checks/checkGit.js';
import { checkGithubToken } from './checks/checkGithubToken.js';
import { checkNode } from './checks/checkNode.js';
import { checkStartup } from './checks/checkStartup.js';
import { checkTemplates } from './checks/checkTemplates.js';
import type { DoctorCheck, DoctorContext, DoctorFlags } from './doctorCheck.js';

// In order: the contract before GitHub, whose API URL defaults to the contract's host.
const CHECKS: readonly DoctorCheck[] = [checkNode, checkGit, checkStartup, checkContract, checkTemplates, checkGithubToken, checkBackstage];
const MARKS = { ok: '✔', warn: '⚠', fail: '✖', skip: '-' } as const;

/** `idp doctor`: every check, one line each with its fix; exit 1 when any fails. */
export async function runDoctor(flags: DoctorFlags, reporter: Reporter): Promise<number> {
  const context: DoctorContext = { flags, env: process.env };
  const results = [];
  for (const check of CHECKS) {
    // A URL typed with a user and password (--github-url, IDP_TEMPLATES_DIR, …) is shown without them, whatever the check quotes.
    const found = await check.run(context);
    const result = {
      ...found,
      detail: redactUrlCredentials(found.detail),
      ...(found.fix !== undefined ? { fix: redactUrlCredentials(found.fix) } : {}),
    };
    results.push({ id: check.id, title: check.title, ...result });
    const line = `${MARKS[result.status]} ${check.title}: ${result.detail}${result.fix && result.status !== 'ok' ? `\n    fix: ${result.fix}` : ''}`;
    if (result.status === 'fail') reporter.error(line.slice(2));
    else reporter.info(line);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  if (failed) reporter.error(`${failed} check(s) failed: see the fix under each`);
  else reporter.done('idp is ready');
  reporter.result({ ok: failed === 0, checks: results });
  return failed ? 1 : 0;
}
