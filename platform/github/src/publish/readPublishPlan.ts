import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseRepoLocation, resolveService, splitEntityRef, type PlatformContract, type ResolvedService } from '@idp/service-spec';
import { CONTRACT_ENV_VAR, loadPlatformContract } from '@idp/scaffold';
import { ciJobNames } from './ciJobNames.js';
import { workflowVariables } from './workflowVariables.js';

export const ANSWERS_FILE = '.idp/answers.yaml';
export const CATALOG_FILE = 'catalog-info.yaml';
/** The contract `idp new` and `idp upgrade` rendered the service with. */
export const RECORDED_CONTRACT_FILE = '.idp/platform.json';
export const VISIBILITIES = ['private', 'internal', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Everything publishing a service needs to know, read once from its directory. */
export interface PublishPlan {
  dir: string;
  template: { name: string; version: string };
  service: ResolvedService;
  platform: PlatformContract;
  host: string;
  org: string;
  repo: string;
  description: string;
  visibility: Visibility;
  topics: string[];
  /** Status checks main requires: the job names of .github/workflows/ci.yml. */
  requiredChecks: string[];
  /** The owner entity: a group maps to a GitHub team slug, a user to a GitHub login. */
  owner: { kind: 'group' | 'user'; name: string };
  variables: Record<string, string>;
}

export interface ReadPlanOptions {
  /** A platform contract file, as `idp new --contract`. */
  contractFile?: string;
  visibility?: Visibility;
  env?: NodeJS.ProcessEnv;
}

// Derived values `idp new` may record next to the answers; the spec recomputes them.
const DERIVED_FIELDS = ['pythonPackage'];

/** Reads DIR/.idp/answers.yaml, validates it with the spec and the platform contract, and plans. */
export async function readPublishPlan(dirArg: string, options: ReadPlanOptions = {}): Promise<PublishPlan> {
  const dir = resolve(dirArg);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new Error(`${dir} is not a directory: pass the directory \`idp new\` created (e.g. idp publish ./fraud-detector)`);
  const record = await readAnswers(dir);
  const platform = await loadPlatformContract(options.contractFile || recordedContract(dir, options.env), options.env);
  // `idp new` checked the host against the integrations it knew; publish talks to the host the
  // answers name (or --github-url), so that host is one it may use.
  const recorded = typeof record.answers.repoUrl === 'string' ? parseRepoLocation(record.answers.repoUrl) : undefined;
  const service = resolveService(record.answers, platform, { enterpriseHosts: typeof recorded === 'object' ? [recorded.host] : [] });
  const location = parseRepoLocation(service.repoUrl);
  if (typeof location === 'string') throw new Error(`${ANSWERS_FILE}: repoUrl ${location}`);
  const ownerRef = splitEntityRef(service.owner, 'group');
  if (ownerRef.kind !== 'group' && ownerRef.kind !== 'user') {
    throw new Error(`${ANSWERS_FILE}: owner "${service.owner}" must be a group or user reference (e.g. group:default/ml-team)`);
  }
  const visibility = options.visibility ?? 'private';
  if (!VISIBILITIES.includes(visibility))
    throw new Error(`--visibility must be one of ${VISIBILITIES.join(', ')} (e.g. --visibility private)`);
  return {
    dir,
    template: record.template,
    service,
    platform,
    host: location.host,
    org: location.owner,
    repo: location.repo,
    description: service.description,
    visibility,
    topics: serviceTopics(record.template.name),
    requiredChecks: await ciJobNames(dir),
    owner: { kind: ownerRef.kind, name: ownerRef.name },
    variables: workflowVariables(platform),
  };
}

/**
 * The contract the service was last rendered with (`.idp/platform.json`, which `idp upgrade`
 * moves), unless $IDP_PLATFORM_CONTRACT names one: the variables publish sets then match the
 * registry and clusters its overlays deploy to.
 */
function recordedContract(dir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const recorded = join(dir, RECORDED_CONTRACT_FILE);
  return env[CONTRACT_ENV_VAR] || !existsSync(recorded) ? undefined : recorded;
}

/**
 * The topics the portal's publish:github step sets (templates/model-service/template.yaml), so a
 * service published from the terminal looks the same: ml-model plus the template name.
 */
export function serviceTopics(templateName: string): string[] {
  // GitHub topics: lower-case letters, digits and '-', at most 50 characters.
  return [
    ...new Set(
      ['ml-model', templateName].map((t) =>
        t
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '-')
          .slice(0, 50),
      ),
    ),
  ];
}

async function readAnswers(dir: string): Promise<{ template: { name: string; version: string }; answers: Record<string, unknown> }> {
  const file = join(dir, ANSWERS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(
      `${file} is missing: \`idp publish\` publishes a directory made by \`idp new\`, which records the template and answers there`,
    );
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  const record = (data ?? {}) as Record<string, unknown>;
  const template = record.template as Record<string, unknown> | string | undefined;
  const name = typeof template === 'string' ? template : template?.name;
  const version = typeof template === 'string' ? record.templateVersion : template?.version;
  if (typeof name !== 'string' || !name)
    throw new Error(`${file}: template.name must name the template (e.g. template: { name: model-service, version: 0.1.0 })`);
  if (typeof version !== 'string' || !version)
    throw new Error(`${file}: template.version must be the template version (e.g. template: { name: ${name}, version: 0.1.0 })`);
  const answers = record.answers ?? record.values;
  if (!answers || typeof answers !== 'object' || Array.isArray(answers)) {
    throw new Error(
      `${file}: answers must map spec fields to values (e.g. answers: { name: fraud-detector, owner: group:default/ml-team })`,
    );
  }
  const spec = Object.fromEntries(Object.entries(answers as Record<string, unknown>).filter(([key]) => !DERIVED_FIELDS.includes(key)));
  return { template: { name, version }, answers: spec };
}
