import { fieldProblems, parseEntityRef } from '@idp/service-spec';
import { isRecord } from './templateDefinition.js';

/** The integrations a run knows: SCM host → integration type (github, gitlab, …). */
export type ScmHosts = Readonly<Record<string, string>>;

// Kubernetes object names, the rule of the portal's EntityNamePicker (catalog-model's
// KubernetesValidatorFunctions.isValidObjectName).
const OBJECT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const MAX_OBJECT_NAME_LENGTH = 63;

/** The field extensions that take an entity reference, and the kinds each offers when the template names none. */
const ENTITY_REF_FIELDS: Readonly<Record<string, string[] | undefined>> = {
  OwnerPicker: ['Group', 'User'],
  EntityPicker: undefined,
  MyGroupsPicker: ['Group'],
  OwnedEntityPicker: undefined,
};

export function isEntityRefField(uiField: unknown): boolean {
  return typeof uiField === 'string' && uiField in ENTITY_REF_FIELDS;
}

/**
 * Why a value is not one the portal's field extension would accept, or undefined when it is: the
 * terminal's equivalent of the extension's own validation (EntityNamePicker, ServiceName, RepoUrlPicker) or of
 * what its picker lets a person choose (the kinds an entity picker offers, the hosts, owners and
 * repositories a RepoUrlPicker allows).
 */
export function fieldExtensionProblem(uiField: unknown, uiOptions: unknown, value: unknown, scmHosts: ScmHosts): string | undefined {
  if (value === undefined || typeof uiField !== 'string') return undefined;
  const options = isRecord(uiOptions) ? uiOptions : {};
  if (uiField === 'EntityNamePicker') return entityNameProblem(value);
  // The portal app's ServiceName field runs @idp/service-spec's name rules (ServiceNameField.tsx): so does the terminal.
  if (uiField === 'ServiceName') return fieldProblems('name', value)[0];
  if (uiField === 'RepoUrlPicker') return repoUrlProblem(value, options, scmHosts);
  if (isEntityRefField(uiField)) return entityRefProblem(value, options, ENTITY_REF_FIELDS[uiField]);
  return undefined;
}

function entityNameProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length <= MAX_OBJECT_NAME_LENGTH && OBJECT_NAME.test(value)) return undefined;
  return 'must start and end with a letter or digit and contain only letters, digits, "-", "_" and "."; at most 63 characters (EntityNamePicker, e.g. my-service)';
}

function entityRefProblem(value: unknown, options: Record<string, unknown>, defaultKinds: string[] | undefined): string | undefined {
  const example = 'e.g. group:default/team-a';
  if (typeof value !== 'string') return `must be an entity reference [kind:][namespace/]name (${example})`;
  let kind: string;
  try {
    kind = parseEntityRef(value, { defaultKind: stringOption(options.defaultKind) ?? 'Group' }).kind;
  } catch {
    return `must be an entity reference [kind:][namespace/]name (${example})`;
  }
  const allowed = allowedKinds(options) ?? defaultKinds;
  if (allowed && !allowed.some((k) => k.toLowerCase() === kind.toLowerCase())) {
    return `must be a reference to a ${allowed.join(' or ')}, but names a ${kind} (${example})`;
  }
  return undefined;
}

function allowedKinds(options: Record<string, unknown>): string[] | undefined {
  const fromFilter = [options.catalogFilter]
    .flat()
    .flatMap((filter) => (isRecord(filter) && filter.kind !== undefined ? [filter.kind].flat() : []))
    .map(String);
  if (fromFilter.length) return fromFilter;
  return Array.isArray(options.allowedKinds) ? options.allowedKinds.map(String) : undefined;
}

function repoUrlProblem(value: unknown, options: Record<string, unknown>, scmHosts: ScmHosts): string | undefined {
  const allowedHosts = Array.isArray(options.allowedHosts) ? options.allowedHosts.map(String) : undefined;
  const example = `e.g. ${allowedHosts?.[0] ?? 'github.com'}?owner=acme&repo=my-service`;
  let url: URL;
  try {
    url = new URL(`https://${String(value)}`);
  } catch {
    return `must be a repository location HOST?owner=OWNER&repo=REPO (${example})`;
  }
  const { host, searchParams } = url;
  if (allowedHosts && !allowedHosts.includes(host))
    return `must be on one of the allowed hosts ${allowedHosts.join(', ')}, not ${host} (${example})`;
  const type = scmHosts[host];
  if (!type) {
    return `names ${host}, which has no SCM integration here (known: ${Object.keys(scmHosts).join(', ')}); use one of those hosts (${example})`;
  }
  const missing: string[] = [];
  if (type === 'bitbucketCloud' || type === 'bitbucketServer') {
    if (type === 'bitbucketCloud' && !searchParams.get('workspace')) missing.push('workspace');
    if (!searchParams.get('project')) missing.push('project');
  } else if (type === 'azure') {
    if (!searchParams.get('project')) missing.push('project');
  } else if (type !== 'gerrit' && !searchParams.get('owner')) missing.push('owner');
  if (!searchParams.get('repo')) missing.push('repo');
  if (missing.length) return `is an incomplete repository location: ${missing.join(' and ')} not provided (${example})`;
  const oneOf = (option: unknown, actual: string | null, what: string) =>
    Array.isArray(option) && option.length && !option.map(String).includes(actual ?? '')
      ? `must have ${what} one of ${option.join(', ')}, not ${actual}`
      : undefined;
  return oneOf(options.allowedOwners, searchParams.get('owner'), 'owner') ?? oneOf(options.allowedRepos, searchParams.get('repo'), 'repo');
}

function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
