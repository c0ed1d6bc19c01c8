import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  githubHosts,
  InvalidInputError,
  serviceValues,
  type PlatformContract,
  type ResolveOptions,
  type TemplateProvenance,
} from '@idp/service-spec';
import { formPages } from '../backstageTemplate/formPages.js';
import { parseParameterFlags } from '../backstageTemplate/parseParameterFlags.js';
import { recordedVersion, runTemplate } from '../backstageTemplate/runTemplate.js';
import type { TemplateDefinition } from '../backstageTemplate/templateDefinition.js';
import type { ModelFileAccess } from '../llm/readModelFiles.js';
import { loadPlatformContract } from '../loadPlatformContract.js';
import type { RenderedEntry } from '../renderTemplate.js';
import { isGitUrl, openTemplateSource } from '../templateSource/openTemplateSource.js';
import { openTemplateReader, type TemplateReader } from '../templateSource/templateReader.js';
import type { MergeLabels } from './mergeTrees.js';
import { readServiceRecord, readServiceRecordAt, type ServiceRecord } from './readServiceRecord.js';
import { mergeIntoCommit, threeWayUpgrade, type CommitUpgradeOutcome, type UpgradeOutcome } from './threeWayUpgrade.js';

export interface UpgradeServiceOptions {
  /** Templates source (path or git URL); default: the one the service records, when reachable. */
  templates?: string;
  /**
   * An opened templates source its owner keeps and releases (a fleet run, over many services);
   * instead of `templates`.
   */
  reader?: TemplateReader;
  /** Template commit or version to move to; default: the newest. */
  to?: string;
  /**
   * Template commit or version the service was made from, for services that do not record it
   * (made before idp recorded provenance); default: the recorded commit.
   */
  from?: string;
  /** Changed answers (--values). */
  changes?: Record<string, unknown>;
  /** Changed answers as `--set key=value`, typed by the new template's parameters (its one grammar). */
  set?: readonly string[];
  /** Contract file; default: $IDP_PLATFORM_CONTRACT or the platform default. */
  contract?: string;
  /** GitHub Enterprise hosts a changed repoUrl may name (the recorded one's host is always allowed). */
  enterpriseHosts?: readonly string[];
  dryRun?: boolean;
  allowDirty?: boolean;
  /** Where the templates' steps may read the files their answers name (an llm-service's config.json); none: URLs only. */
  modelFiles?: ModelFileAccess;
}

export interface ServiceUpgrade<Outcome = UpgradeOutcome> {
  record: ServiceRecord;
  /** The template version and provenance the service moves to. */
  version: string;
  provenance: TemplateProvenance;
  outcome: Outcome;
}

/**
 * One service to its newest template and contract — base = the recorded render (old template
 * commit, old answers, old contract), ours = the service now, theirs = the new render — merged by
 * threeWayUpgrade. `idp upgrade` calls this; a fleet run calls upgradeServiceCommit.
 */
export async function upgradeServiceRepo(dir: string, options: UpgradeServiceOptions = {}): Promise<ServiceUpgrade> {
  const serviceDir = path.resolve(dir);
  const record = await readServiceRecord(serviceDir);
  return withRenders(record, options, async (renders) => ({
    ...renders,
    outcome: await threeWayUpgrade({
      dir: serviceDir,
      base: renders.base,
      theirs: renders.theirs,
      labels: renders.labels,
      dryRun: options.dryRun,
      allowDirty: options.allowDirty,
    }),
  }));
}

/**
 * The same upgrade of the service at the top of `commit` in the repository `gitDir`, merged into a
 * tree and never checked out: a fleet run's clone commits that tree as it is.
 */
export async function upgradeServiceCommit(
  gitDir: string,
  commit: string,
  options: Omit<UpgradeServiceOptions, 'dryRun' | 'allowDirty'> & {
    /** The service's record at `commit`, when the caller has read it already (serviceRecordFrom). */
    record?: ServiceRecord;
  } = {},
): Promise<ServiceUpgrade<CommitUpgradeOutcome>> {
  const record = options.record ?? (await readServiceRecordAt(gitDir, commit));
  return withRenders(record, options, async (renders) => ({
    ...renders,
    outcome: await mergeIntoCommit({ gitDir, commit, base: renders.base, theirs: renders.theirs, labels: renders.labels }),
  }));
}

interface Renders {
  record: ServiceRecord;
  version: string;
  provenance: TemplateProvenance;
  base: RenderedEntry[];
  theirs: RenderedEntry[];
  labels: MergeLabels;
}

/** Both sides of the merge rendered, for `merge`; the templates reader is released after, unless the caller owns it. */
async function withRenders<T>(record: ServiceRecord, options: UpgradeServiceOptions, merge: (renders: Renders) => Promise<T>): Promise<T> {
  const reader = options.reader ?? openTemplateReader(await openTemplateSource(options.templates ?? reachable(record.source?.repository)));
  try {
    return await merge(await renderSides(record, reader, options));
  } finally {
    if (!options.reader) await reader.release();
  }
}

async function renderSides(record: ServiceRecord, reader: TemplateReader, options: UpgradeServiceOptions): Promise<Renders> {
  const { source } = reader;
  const templatePath =
    record.source?.path ?? (source.templatesPath === '.' ? record.template : `${source.templatesPath}/${record.template}`);
  const folder = path.posix.basename(templatePath);
  const recorded: TemplateProvenance = options.from
    ? {
        repository: source.repository,
        path: templatePath,
        commit: await reader.resolve(templatePath, options.from, '--from'),
        reproducible: true,
      }
    : await requireRecordedCommit(reader, requireReproducible(record), options.templates ?? options.reader?.source.repository);
  const toCommit = options.to ? await reader.resolve(templatePath, options.to) : undefined;
  const platform = await loadPlatformContract(options.contract);
  // The service already lives on its recorded host: that host stays valid for both renders.
  const recordedHost = /^([^?]+)\?/.exec(String(record.answers.repoUrl ?? ''))?.[1];
  const resolveOptions = { enterpriseHosts: [...(options.enterpriseHosts ?? []), ...(recordedHost ? [recordedHost] : [])] };
  // Defaults are recomputed from the changed answers (a new gpuType brings its own gpuCount).
  const answersFor = (definition: TemplateDefinition) => {
    const changes = { ...options.changes, ...parseParameterFlags(options.set ?? [], formPages(definition.parameters)) };
    return Object.keys(changes).length ? { ...givenAnswers(record.answers, platform, resolveOptions), ...changes } : record.answers;
  };
  const [base, theirs] = await Promise.all([
    // A service made before the contract was recorded is taken to have been made with today's.
    renderAt(
      reader,
      recorded.commit,
      folder,
      () => record.answers,
      record.platform ?? platform,
      async () => recorded,
      resolveOptions,
      options.modelFiles,
    ),
    renderAt(reader, toCommit, folder, answersFor, platform, () => reader.provenance(folder, toCommit), resolveOptions, options.modelFiles),
  ]);
  return {
    record,
    version: theirs.version,
    provenance: theirs.provenance,
    base: base.entries,
    theirs: theirs.entries,
    labels: { ours: 'yours', theirs: `${record.template} ${theirs.version}`, base: `${record.template} ${record.templateVersion}` },
  };
}

/** The recorded repository when this machine can reach it; otherwise the platform default. */
function reachable(repository: string | undefined): string | undefined {
  return repository && (isGitUrl(repository) || existsSync(repository)) ? repository : undefined;
}

/** The recorded source, when a commit alone reproduces the service's first render. */
function requireReproducible(record: ServiceRecord): TemplateProvenance {
  const recorded = record.source;
  if (recorded?.commit && recorded.reproducible) return recorded;
  const name = String(record.answers.name ?? 'my-service');
  throw new InvalidInputError('The service', [
    {
      field: '.idp/answers.yaml',
      message: recorded
        ? `must record a committed template source to rebuild the merge base, but ${recorded.path} had uncommitted changes when ${name} was rendered; pass the template commit or version it is closest to (e.g. idp upgrade --from ${record.templateVersion})`
        : `must record the template source to rebuild the merge base, but ${name} was made before idp recorded it; pass the template version or commit it was made from (e.g. idp upgrade --from ${record.templateVersion})`,
    },
  ]);
}

/**
 * The recorded commit must be in the source that rebuilds the base: when the recorded repository is
 * not on this machine idp falls back to its default templates, which may not have it, and git's own
 * "not a tree object" would say nothing about why.
 */
async function requireRecordedCommit(reader: TemplateReader, recorded: TemplateProvenance, templates: string | undefined) {
  const { source } = reader;
  const found = await reader.hasCommit(recorded.commit);
  if (found) return recorded;
  const commit = recorded.commit.slice(0, 12);
  const where =
    templates !== undefined
      ? `--templates ${source.repository} does not have it`
      : recorded.repository === source.repository
        ? `${recorded.repository} does not have it`
        : `${recorded.repository} is not on this machine and the default templates (${source.repository}) do not have it`;
  throw new InvalidInputError('The service', [
    {
      field: templates !== undefined ? '--templates' : '.idp/answers.yaml source.repository',
      message: `must be a templates repository holding commit ${commit}, the one ${recorded.path} was rendered from, but ${where} (pass the repository the service was made from, e.g. idp upgrade --templates https://github.com/acme/idp-templates.git)`,
    },
  ]);
}

/**
 * The recorded answers less those that only restate a default: an answer is dropped when the spec
 * resolves the same value without it. Answers the current spec rejects are kept as recorded.
 */
function givenAnswers(recorded: Record<string, unknown>, platform: PlatformContract, options: ResolveOptions): Record<string, unknown> {
  const resolve = (answers: Record<string, unknown>) => {
    try {
      return serviceValues(answers, platform, options) as Record<string, unknown>;
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

/** One side of the merge: the template at a commit, run by the runner with these answers, contract and provenance. */
async function renderAt(
  reader: TemplateReader,
  commit: string | undefined,
  folder: string,
  answersFor: (definition: TemplateDefinition) => Record<string, unknown>,
  platform: PlatformContract,
  provenance: () => Promise<TemplateProvenance>,
  resolveOptions: ResolveOptions,
  modelFiles: ModelFileAccess | undefined,
) {
  const definition = await reader.definition(commit, folder);
  const recorded = await provenance();
  // Every GitHub host a repoUrl may name (the contract's, GitHub Enterprise's, the recorded one's).
  const scmHosts = Object.fromEntries(githubHosts(platform.github.host, resolveOptions.enterpriseHosts).map((host) => [host, 'github']));
  const { entries } = await runTemplate(definition, answersFor(definition), {
    scmHosts,
    contract: async () => platform,
    provenance: async () => recorded,
    ...(modelFiles ? { modelFiles } : {}),
  });
  return { entries, version: recordedVersion(definition, recorded), provenance: recorded };
}
