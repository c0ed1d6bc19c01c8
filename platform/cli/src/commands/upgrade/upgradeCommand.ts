import path from 'node:path';
import { abortInterruptedUpgrade, quitInterruptedUpgrade, upgradeServiceRepo, type ServiceUpgrade, type UpgradePlan } from '@idp/scaffold';
import type { UpgradeFlags } from './upgradeFlags.js';
import { cliModelFiles } from '../../shared/cliModelFiles.js';
import { EXIT_CONFLICTS, EXIT_OK } from '../../exitCodes.js';
import { readValuesFile } from '../../shared/readValuesFile.js';
import type { Reporter } from '../../shared/reporter.js';

/** `idp upgrade [DIR]`: flags → one service upgrade → a report; 3 when conflicts remain. */
export async function upgradeCommand(dir: string, flags: UpgradeFlags, reporter: Reporter): Promise<number> {
  const serviceDir = path.resolve(dir);
  if (flags.abort) return abortUpgrade(serviceDir, reporter);
  if (flags.quit) return quitUpgrade(serviceDir, reporter);
  const changes = flags.values ? await readValuesFile(flags.values) : {};
  reporter.step(`Upgrading ${serviceDir}${flags.dryRun ? ' (dry run)' : ''}`);
  const upgrade = await upgradeServiceRepo(serviceDir, {
    templates: flags.templates,
    to: flags.to,
    from: flags.from,
    changes,
    // Typed by the new template's parameters: the one --set grammar of idp new.
    set: flags.set,
    contract: flags.contract,
    dryRun: flags.dryRun,
    allowDirty: flags.allowDirty,
    modelFiles: cliModelFiles(),
  });
  if (!upgrade.provenance.reproducible) {
    reporter.info(
      `Note: ${upgrade.provenance.path} in ${upgrade.provenance.repository} has uncommitted changes: this upgrade is recorded as not reproducible, and the next one will refuse it.`,
    );
  }
  if (upgrade.outcome.recovered) reporter.info('Rolled back the files an interrupted upgrade had begun to change.');
  return report(reporter, upgrade, Boolean(flags.dryRun));
}

/** `--abort`: the journal of an interrupted upgrade, played back; the tree is as before that upgrade. */
async function abortUpgrade(serviceDir: string, reporter: Reporter): Promise<number> {
  const recovered = await abortInterruptedUpgrade(serviceDir);
  reporter.done(
    recovered
      ? `Put back every file the interrupted upgrade had changed in ${serviceDir}`
      : `No interrupted upgrade in ${serviceDir}: nothing to put back`,
  );
  reporter.result({ ok: true, recovered });
  return EXIT_OK;
}

/** `--quit`: the journal of an interrupted upgrade forgotten; every file stays as it is now. */
async function quitUpgrade(serviceDir: string, reporter: Reporter): Promise<number> {
  const forgotten = await quitInterruptedUpgrade(serviceDir);
  reporter.done(
    forgotten
      ? `Forgot the interrupted upgrade of ${serviceDir}; its files stay as they are now (see \`git status\`)`
      : `No interrupted upgrade in ${serviceDir}: nothing to forget`,
  );
  reporter.result({ ok: true, forgotten });
  return EXIT_OK;
}

/** Tells what happened and answers the exit code: 0, or 3 when conflicts remain. */
function report(reporter: Reporter, { record, version, outcome }: ServiceUpgrade, dryRun: boolean): number {
  const { plan } = outcome;
  const name = String(record.answers.name);
  const target = `${record.template} ${version}`;
  if (outcome.upToDate) {
    reporter.done(`${name} is up to date with ${target}: nothing to change`);
  } else {
    reporter.info(describePlan(plan));
    const count = plan.added.length + plan.changed.length + plan.removed.length + plan.conflicts.length;
    if (plan.conflicts.length) {
      reporter.error(`${name}: ${plan.conflicts.length} conflicting file(s)${dryRun ? ' would remain' : `: ${howToResolve(plan)}`}`);
    } else {
      reporter.done(
        `${name} ${dryRun ? 'would change' : 'changed'} ${count} file(s) to follow ${target}${dryRun ? '; nothing was written' : ': review with `git diff --cached`, then commit'}`,
      );
    }
  }
  const exitCode = plan.conflicts.length ? EXIT_CONFLICTS : EXIT_OK;
  reporter.result({
    ok: exitCode === EXIT_OK,
    exitCode,
    template: { name: record.template, from: record.templateVersion, to: version },
    upToDate: outcome.upToDate,
    dryRun,
    written: outcome.written,
    plan,
  });
  return exitCode;
}

/** The plan as a person reads it: one line per file, grouped by what happens to it. */
function describePlan(plan: UpgradePlan): string {
  const lines: Array<[string, string]> = [
    ...plan.added.map((f): [string, string] => ['added', f]),
    ...plan.changed.map((f): [string, string] => ['changed', f]),
    ...plan.removed.map((f): [string, string] => ['removed', f]),
    ...plan.conflicts.map((c): [string, string] => ['conflict', `${c.path}${conflictNote(c)}`]),
    ...plan.kept.map((f): [string, string] => ['kept', `${f} (the template removed it; you changed it)`]),
    ...plan.stayedDeleted.map((f): [string, string] => ['deleted', `${f} (stays deleted: you deleted it; the template changed it)`]),
  ];
  return lines.map(([label, file]) => `  ${label.padEnd(8)} ${file}`).join('\n');
}

/** What a conflict without markers holds, so nobody looks for markers that are not there. */
function conflictNote(conflict: UpgradePlan['conflicts'][number]): string {
  if (conflict.aside) return ` (moved aside: the other side has a folder ${conflict.aside}/ where this file was)`;
  if (conflict.binary) return " (binary: yours kept; the template's is `git checkout --theirs`)";
  if (!conflict.markers) return " (no markers: yours kept; the template's is `git checkout --theirs`)";
  return '';
}

/** The next step for the conflicts there are: markers to resolve, sides to choose, or both. */
function howToResolve(plan: UpgradePlan): string {
  const withMarkers = plan.conflicts.filter((c) => c.markers).map((c) => c.path);
  const without = plan.conflicts.filter((c) => !c.markers).map((c) => c.path);
  const steps = [
    ...(withMarkers.length ? [`resolve the <<<<<<< yours … >>>>>>> markers in ${withMarkers.join(', ')}`] : []),
    ...(without.length ? [`keep or replace ${without.join(', ')} (see the conflict lines above)`] : []),
  ];
  return `${steps.join('; ')}, \`git add\` them, then commit`;
}
