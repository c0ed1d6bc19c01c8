import { fleetStatus, type ServiceStatus } from '@idp/github';
import type { FleetFlags } from './fleetFlags.js';
import { EXIT_OK } from '../../exitCodes.js';
import { fleetOptions } from './fleetOptions.js';
import type { Reporter } from '../../shared/reporter.js';

/** How far behind, as a person reads it: "2 versions (0.2.0, 0.3.0), 9 commits". */
function describeBehind(status: ServiceStatus): string {
  if (status.state === 'unknown') return `unknown: ${status.detail ?? ''}`;
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

/** `idp fleet status`: a table of service, template, version, newest and how far behind. */
export async function fleetStatusCommand(flags: FleetFlags, reporter: Reporter): Promise<number> {
  const options = await fleetOptions(flags, reporter);
  reporter.step(
    `Listing services${options.org ? ` of ${options.org}` : ''}${options.backstage ? ` in the catalog at ${options.backstage.url}` : ''}`,
  );
  const status = await fleetStatus(options);
  const rows = status.services.map((s) => [s.repository, s.template, s.version, s.target?.version ?? '?', describeBehind(s)]);
  reporter.info(table([['SERVICE', 'TEMPLATE', 'VERSION', 'NEWEST', 'BEHIND'], ...rows]));
  const behind = status.services.filter((s) => s.state === 'behind').length;
  reporter.done(
    `${status.services.length} service(s): ${behind} behind, ${status.services.filter((s) => s.state === 'up-to-date').length} up to date${status.skipped.length ? `; ${status.skipped.length} other repositor${status.skipped.length === 1 ? 'y' : 'ies'} skipped` : ''}${behind ? ' (idp fleet upgrade opens their pull requests)' : ''}`,
  );
  reporter.result({ ok: true, services: status.services, skipped: status.skipped });
  return EXIT_OK;
}
