import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InvalidInputError, serviceValues, type PlatformContract } from '@idp/spec';
import {
  isGitUrl,
  loadPlatformContract,
  loadTemplate,
  openServiceRepo,
  openTemplateSource,
  recoverInterruptedUpgrade,
  resolveTemplateCommit,
  templateProvenance,
  templatesAt,
  threeWayUpgrade,
  type TemplateSource,
  type UpgradePlan,
} from '@idp/scaffold';
import type { UpgradeFlags } from '../commands/upgradeFlags.js';
import { EXIT_CONFLICTS } from '../exitCodes.js';
import { parseSetFlags } from './parseSetFlags.js';
import { readServiceRecord, type ServiceRecord } from './readServiceRecord.js';
import { readValuesFile } from './readValuesFile.js';
import { renderService } from './renderService.js';
import type { Reporter } from './reporter.js';

/**
 * `idp upgrade`: base = the recorded render (old template commit, old answers, old contract),
 * ours = the service now, theirs = the new render (newest or --to template, answers with
 * --set/--values, current or --contract contract); merged by git, written only when asked.
 */
export async function upgradeService(dir: string, flags: UpgradeFlags, reporter: Reporter): Promise<number> {
  const serviceDir = path.resolve(dir);
  if (flags.abort) return abortUpgrade(serviceDir, reporter);
  const record = await readServiceRecord(serviceDir);
  const recordedSource = record.source;
  if (!recordedSource?.commit || !recordedSource.reproducible) {
    throw new InvalidInputError('The service', [
      {
        field: '.idp/answers.yaml',
        message: `must record a committed template source to rebuild the merge base, but ${recordedSource ? `${recordedSource.path} had uncommitted changes when ${record.answers.name} was rendered` : 'it records none (made before idp recorded provenance)'}; re-create the service from a committed template (e.g. idp new ${record.template} ${String(record.answers.name ?? 'my-service')} --force) and copy your changes over`,
      },
    ]);
  }
  const source = await openTemplateSource(flags.templates ?? reachable(recordedSource.repository));
  const folder = path.posix.basename(recordedSource.path);
  const toCommit = flags.to ? await resolveTemplateCommit(source, recordedSource.path, flags.to) : undefined;

  const changes = { ...(flags.values ? await readValuesFile(flags.values) : {}), ...parseSetFlags(flags.set) };
  const platform = await loadPlatformContract(flags.contract);
  // Defaults are recomputed from the changed answers (a new gpuType brings its own gpuCount).
  const answers = Object.keys(changes).length ? { ...givenAnswers(record.answers, platform), ...changes } : record.answers;
  const [base, theirs] = await Promise.all([
    renderAt(source, recordedSource.commit, folder, () => record.answers, () => record.platform, () => recordedSource),
    renderAt(source, toCommit, folder, () => answers, () => platform, () => templateProvenance(source, folder, toCommit)),
  ]);
  if (!theirs.provenance.reproducible) {
    reporter.info(`Note: ${theirs.provenance.path} in ${theirs.provenance.repository} has uncommitted changes: this upgrade is recorded as not reproducible, and the next one will refuse it.`);
  }
  reporter.step(`Upgrading ${record.answers.name} from ${record.template} ${record.templateVersion} to ${theirs.version}${flags.dryRun ? ' (dry run)' : ''}`);
  const outcome = await threeWayUpgrade({
    dir: serviceDir,
    base: base.entries,
    theirs: theirs.entries,
    labels: { ours: 'yours', theirs: `${record.template} ${theirs.version}` },
    dryRun: flags.dryRun,
    allowDirty: flags.allowDirty,
  });
  if (outcome.recovered) reporter.info('Rolled back the files an interrupted upgrade had begun to change.');
  return report(reporter, record, theirs.version, outcome, flags);
}

/**
 * The recorded answers less those that only restate a default: an answer is dropped when the spec
 * resolves the same value without it. Answers the current spec rejects are kept as recorded.
 */
function givenAnswers(recorded: Record<string, unknown>, platform: PlatformContract): Record<string, unknown> {
  const resolve = (answers: Record<string, unknown>) => {
    try {
      return serviceValues(answers, platform) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const full = resolve(recorded);
  if (!full) return recorded;
  const given = { ...recorded };
  for (const key of Object.keys(recorded)) {
    const { [key]: _dropped, ...without } = given;
    if (isDeepStrictEqual(resolve(without)?.[key], full[key])) delete given[key];
  }
  return given;
}

/** `--abort`: the journal of an interrupted upgrade, played back; the tree is as before that upgrade. */
async function abortUpgrade(serviceDir: string, reporter: Reporter): Promise<number> {
  const recovered = await recoverInterruptedUpgrade(await openServiceRepo(serviceDir));
  reporter.done(recovered ? `Put back every file the interrupted upgrade had changed in ${serviceDir}` : `No interrupted upgrade in ${serviceDir}: nothing to put back`);
  reporter.result({ ok: true, recovered });
  return 0;
}

/** The recorded repository when this machine can reach it; otherwise the platform default. */
function reachable(repository: string): string | undefined {
  return isGitUrl(repository) || existsSync(repository) ? repository : undefined;
}

async function renderAt(
  source: TemplateSource,
  commit: string | undefined,
  folder: string,
  answers: () => Record<string, unknown>,
  platform: () => ServiceRecord['platform'],
  provenance: () => ServiceRecord['source'] | Promise<ServiceRecord['source']>,
) {
  const checkout = await templatesAt(source, commit);
  try {
    const template = await loadTemplate(path.join(checkout.templatesRoot, folder));
    const recorded = (await provenance())!;
    const { entries } = await renderService(template, answers(), platform(), recorded);
    return { entries, version: template.version, provenance: recorded };
  } finally {
    await checkout.release();
  }
}

/** Tells what happened and answers the exit code: 0, or 3 when conflicts remain. */
function report(reporter: Reporter, record: ServiceRecord, version: string, outcome: Awaited<ReturnType<typeof threeWayUpgrade>>, flags: UpgradeFlags): number {
  const { plan } = outcome;
  const name = String(record.answers.name);
  if (outcome.upToDate) {
    reporter.done(`${name} is up to date with ${record.template} ${version}: nothing to change`);
  } else {
    reporter.info(describePlan(plan));
    const verb = flags.dryRun ? 'would change' : 'changed';
    const count = plan.added.length + plan.changed.length + plan.removed.length + plan.conflicts.length;
    if (plan.conflicts.length) {
      reporter.error(`${name}: ${plan.conflicts.length} conflicting file(s)${flags.dryRun ? ' would remain' : ': resolve the <<<<<<< yours … >>>>>>> markers, `git add` them, then commit'}`);
    } else {
      reporter.done(`${name} ${verb} ${count} file(s) to follow ${record.template} ${version}${flags.dryRun ? '; nothing was written' : ': review with `git diff --cached`, then commit'}`);
    }
  }
  reporter.result({
    ok: plan.conflicts.length === 0,
    exitCode: plan.conflicts.length ? EXIT_CONFLICTS : 0,
    template: { name: record.template, from: record.templateVersion, to: version },
    upToDate: outcome.upToDate,
    dryRun: Boolean(flags.dryRun),
    written: outcome.written,
    plan,
  });
  return plan.conflicts.length ? EXIT_CONFLICTS : 0;
}

/** The plan as a person reads it: one line per file, grouped by what happens to it. */
export function describePlan(plan: UpgradePlan): string {
  const groups: Array<[string, string[]]> = [
    ['added', plan.added],
    ['changed', plan.changed],
    ['removed', plan.removed],
    ['conflict', plan.conflicts.map((c) => (c.binary ? `${c.path} (binary: yours kept; the template's is stage 3)` : c.path))],
    ['kept (the template removed it; you changed it)', plan.kept],
    ['stays deleted (you deleted it; the template changed it)', plan.stayedDeleted],
  ];
  return groups.flatMap(([label, files]) => files.map((file) => `  ${label.padEnd(8)} ${file}`)).join('\n');
}
