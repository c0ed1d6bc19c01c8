import { fleetUpgrade, openScratchFolder, type RepositoryUpgradeResult } from '@idp/github';
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

/**
 * `idp fleet upgrade`: a line per repository as it finishes, then every outcome counted; exit 1
 * when any repository failed, or could not be compared with its template.
 */
export async function fleetUpgradeCommand(flags: FleetFlags, reporter: Reporter): Promise<number> {
  const options = await fleetOptions(flags, reporter);
  reporter.step(
    `Upgrading the services${options.org ? ` of ${options.org}` : ''} that are behind their template${flags.dryRun ? ' (dry run: nothing is pushed or opened)' : ''}`,
  );
  // Everything the run writes to the temporary folder (clones, renders, merges) lands in its own
  // folder, which a later run sweeps if this one is killed.
  const scratch = await openScratchFolder();
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = scratch.dir;
  let run: Awaited<ReturnType<typeof fleetUpgrade>>;
  try {
    run = await fleetUpgrade({
      ...options,
      scratch: scratch.dir,
      ...(flags.contract ? { contract: flags.contract } : {}),
      dryRun: Boolean(flags.dryRun),
      onRepository: (result) =>
        result.outcome === 'failed' ? reporter.error(describeResult(result)) : reporter.info(describeResult(result)),
    });
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
    await scratch.release();
  }
  // Services not upgraded because their standing is unknown or could not be compared: say why, so they are not forgotten.
  for (const status of run.services.filter((s) => s.state === 'unknown' || s.state === 'failed')) {
    const line = `${status.state === 'failed' ? '✖' : '?'} ${status.repository}: not upgraded (${status.state}): ${status.detail ?? 'unknown template source'}`;
    if (status.state === 'failed') reporter.error(line);
    else reporter.info(line);
  }
  for (const { repository, reason } of run.skipped) reporter.info(`- ${repository}: skipped: ${reason}`);
  const count = (outcome: RepositoryUpgradeResult['outcome']) => run.results.filter((r) => r.outcome === outcome).length;
  const unknown = run.services.filter((s) => s.state === 'unknown').length;
  const notCompared = run.services.filter((s) => s.state === 'failed').length;
  const failed = count('failed') + notCompared;
  const summary = [
    `${run.services.length} service(s), ${run.results.length} behind: ${count('opened')} opened, ${count('updated')} updated`,
    `${count('unchanged') + count('up-to-date')} unchanged, ${count('planned')} planned, ${count('skipped')} skipped`,
    `${unknown} unknown, ${failed} failed${notCompared ? ` (${notCompared} could not be compared)` : ''}`,
    `${run.skipped.length} other repositor${run.skipped.length === 1 ? 'y' : 'ies'} skipped`,
  ].join(', ');
  if (failed) reporter.error(`${summary}: run idp fleet upgrade again to finish (done repositories are not repeated)`);
  else reporter.done(summary);
  const exitCode = failed ? EXIT_FAILURE : EXIT_OK;
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
