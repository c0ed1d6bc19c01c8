import { fleetUpgrade, type RepositoryUpgradeResult } from '@idp/github';
import type { FleetFlags } from './fleetFlags.js';
import { EXIT_FAILURE, EXIT_OK } from '../../exitCodes.js';
import { fleetOptions } from './fleetOptions.js';
import type { Reporter } from '../../shared/reporter.js';

const MARKS: Record<RepositoryUpgradeResult['outcome'], string> = {
  opened: '+',
  updated: '~',
  unchanged: '=',
  'up-to-date': '=',
  planned: '?',
  skipped: '-',
  failed: '✖',
};

/** One line per repository: what happened, the pull request, the conflicts. */
export function describeResult(result: RepositoryUpgradeResult): string {
  const head = `${MARKS[result.outcome]} ${result.repository} ${result.template} ${result.from} → ${result.to ?? '?'}: ${result.outcome}`;
  if (result.error) return `${head}: ${result.error}`;
  const pull = result.pull ? ` ${result.pull.url}${result.pull.draft ? ' (draft)' : ''}` : '';
  const conflicts = result.conflicts.length ? ` — ${result.conflicts.length} conflict(s): ${result.conflicts.join(', ')}` : '';
  const detail =
    result.outcome === 'planned' || result.outcome === 'skipped'
      ? ` (${result.steps
          .filter((s) => s.status === 'planned' || s.status === 'skipped')
          .map((s) => s.detail)
          .at(result.outcome === 'skipped' ? 0 : -1)})`
      : '';
  return `${head}${pull}${conflicts}${detail}`;
}

/** `idp fleet upgrade`: a line per repository as it finishes; exit 1 when any repository failed. */
export async function fleetUpgradeCommand(flags: FleetFlags, reporter: Reporter): Promise<number> {
  const options = await fleetOptions(flags, reporter);
  reporter.step(
    `Upgrading the services${options.org ? ` of ${options.org}` : ''} that are behind their template${flags.dryRun ? ' (dry run: nothing is pushed or opened)' : ''}`,
  );
  const run = await fleetUpgrade({
    ...options,
    ...(flags.contract ? { contract: flags.contract } : {}),
    dryRun: Boolean(flags.dryRun),
    onRepository: (result) =>
      result.outcome === 'failed' ? reporter.error(describeResult(result)) : reporter.info(describeResult(result)),
  });
  // Services whose standing is unknown were not touched: say why, so they are not forgotten.
  for (const status of run.services.filter((s) => s.state === 'unknown'))
    reporter.info(`? ${status.repository}: not upgraded: ${status.detail ?? 'unknown template source'}`);
  const failed = run.results.filter((r) => r.outcome === 'failed');
  const count = (outcome: RepositoryUpgradeResult['outcome']) => run.results.filter((r) => r.outcome === outcome).length;
  const summary = `${run.services.length} service(s), ${run.results.length} behind: ${count('opened')} opened, ${count('updated')} updated, ${count('unchanged') + count('up-to-date')} unchanged, ${count('planned')} planned, ${count('skipped')} skipped, ${failed.length} failed`;
  if (failed.length) reporter.error(`${summary}: run idp fleet upgrade again to finish (done repositories are not repeated)`);
  else reporter.done(summary);
  const exitCode = failed.length ? EXIT_FAILURE : EXIT_OK;
  reporter.result({
    ok: exitCode === EXIT_OK,
    exitCode,
    dryRun: Boolean(flags.dryRun),
    services: run.services,
    skipped: run.skipped,
    results: run.results,
  });
  return exitCode;
}
