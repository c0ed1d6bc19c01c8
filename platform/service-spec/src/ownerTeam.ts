import { splitEntityRef } from './entityRef.js';
import type { Problem } from './problems.js';
import { teamNamespace } from './teamName.js';

/**
 * The owner as stored (in full, `group:default/ml-team`, as the portal's OwnerPicker gives it) and
 * the team namespace a service deploys to, or the problem with a name that gives none.
 */
export function ownerTeam(ownerRef: string): { owner: string; namespace?: string; problem?: Problem } {
  const { kind, namespace: entityNamespace, name } = splitEntityRef(ownerRef, 'group');
  const owner = `${kind}:${entityNamespace}/${name}`;
  const namespace = teamNamespace(name);
  if (namespace) return { owner, namespace };
  return {
    owner,
    problem: {
      field: 'owner',
      message: `must name a team whose name gives its Kubernetes namespace (letters, digits, "-", "_", "."), but "${name}" does not (e.g. group:default/ml-team)`,
    },
  };
}
