import { z } from 'zod';
import { DNS_1123_PATTERN } from './names.js';
import { isReservedKey, reservedKeyRule } from './reservedKeys.js';

export const MAX_TEAM_NAME_LENGTH = 63;
export const TEAM_NAME_RULE =
  'must be a Kubernetes namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (e.g. ml-team)';

/**
 * A team's name is its Kubernetes namespace (docs/adr/0004): infra's `teams` create it, the
 * contract's `teamQuotas` are keyed by it and a service's owner maps onto it (`teamNamespace`), so
 * all three take this one rule.
 */
export const TeamName = z
  .string({ error: (issue) => (issue.input === undefined ? `is required and ${TEAM_NAME_RULE}` : `must be text and ${TEAM_NAME_RULE}`) })
  .regex(new RegExp(DNS_1123_PATTERN), TEAM_NAME_RULE)
  .max(MAX_TEAM_NAME_LENGTH, TEAM_NAME_RULE)
  // Team names are keys too (teamQuotas), and those two cannot be held as data.
  .refine((name) => !isReservedKey(name), reservedKeyRule('ml-team'));

/**
 * The Kubernetes namespace of an owner (infra's TeamNamespace): its entity name in lower case with
 * '.' and '_' as '-', so `user:default/jane.doe` deploys to `jane-doe`. Undefined when that is not
 * a team name.
 */
export function teamNamespace(ownerName: string): string | undefined {
  const namespace = ownerName.toLowerCase().replace(/[._]/g, '-');
  return TeamName.safeParse(namespace).success ? namespace : undefined;
}
