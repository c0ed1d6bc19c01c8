import { fleetStatus, type ServiceStatus } from '@idp/github';
import type { FleetFlags } from './fleetFlags.js';
import { EXIT_FAILURE, EXIT_OK } from '../../exitCodes.js';
import { fleetOptions } from './fleetOptions.js';
import type { Reporter } from '../../shared/reporter.js';

/** How far behind, as a person reads it: "2 versions (0.2.0, 0.3.0), 9 commits". */
function describeBehind(status: ServiceStatus): string {
  if (status.state === 'unknown' || status.state === 'failed') return `${status.state}: ${status.detail ?? ''}`;
  if (status.state === 'up-to-date') return 'up to date';
  const { versions, commits } = status.behind!;
  const released = versions.length ? `${versions.length} version${versions.length > 1 ? 's' : ''} (${versions.join(', ')}), ` : '';
  return `${released}${commits} commit${commits === 1 ? '' : 's'}`;
}

/** Rows padded into columns. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** "3 behind, 1 up to date, 1 unknown, 1 failed; 2 other repositories skipped": every outcome counted and named. */
function countStates(services: readonly ServiceStatus[], skipped: number): string {
  const count = (state: ServiceStatus['state']) => services.filter((s) => s.state === state).length;
  const parts = [`${count('behind')} behind`, `${count('up-to-date')} up to date`];
  if (count('unknown')) parts.push(`${count('unknown')} unknown (not upgradable as recorded: see BEHIND)`);
  if (count('failed')) parts.push(`${count('failed')} failed`);
  const others = skipped ? `; ${skipped} other repositor${skipped === 1 ? 'y' : 'ies'} skipped` : '';
  return `${services.length} service(s): ${parts.join(', ')}${others}`;
}

/** `idp fleet status`: a table of service, template, version, newest and how far behind; exit 1 when any could not be compared. */
export async function fleetStatusCommand(flags: FleetFlags, reporter: Reporter): Promise<number> {
  const options = await fleetOptions(flags, reporter);
  reporter.step(
    `Listing services${options.org ? ` of ${options.org}` : ''}${options.backstage ? ` in the catalog at ${options.backstage.url}` : ''}`,
  );
  const status = await fleetStatus(options);
  const rows = status.services.map((s) => [s.repository, s.template, s.version, s.target?.version ?? '?', describeBehind(s)]);
  reporter.info(table([['SERVICE', 'TEMPLATE', 'VERSION', 'NEWEST', 'BEHIND'], ...rows]));
  for (const { repository, reason } of status.skipped) reporter.info(`- ${repository}: skipped: ${reason}`);
  const summary = countStates(status.services, status.skipped.length);
  const failed = status.services.filter((s) => s.state === 'failed').length;
  const behind = status.services.filter((s) => s.state === 'behind').length;
  if (failed) reporter.error(`${summary}: the failed ones could not be compared (the reason is beside each)`);
  else reporter.done(`${summary}${behind ? ' (idp fleet upgrade opens their pull requests)' : ''}`);
  const exitCode = failed ? EXIT_FAILURE : EXIT_OK;
  reporter.result({ ok: exitCode === EXIT_OK, exitCode, services: status.services, skipped: status.skipped });
  return exitCode;
}
