// Backstage entity references as an owner field takes them: `[kind:][namespace/]name`.
// The character rules are Backstage's (catalog-model's default validators).
const KIND = '[a-zA-Z][a-zA-Z0-9]*';
const NAMESPACE = '[a-z0-9]+(?:-+[a-z0-9]+)*';
const NAME = '[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*';

export const OWNER_REF_PATTERN = `^(?:(?:group|user):)?(?:${NAMESPACE}/)?${NAME}$`;
export const ENTITY_NAME_PATTERN = `^${NAME}$`;
export const MAX_ENTITY_NAME_LENGTH = 63;

export interface CompoundRef {
  kind: string;
  namespace: string;
  name: string;
}

/** Splits a reference, with Backstage's defaults for the parts left out. */
export function splitEntityRef(ref: string, defaultKind: string): CompoundRef {
  const match = new RegExp(`^(?:(${KIND}):)?(?:(${NAMESPACE})/)?(.+)$`).exec(ref);
  if (!match) throw new Error(`not an entity reference: ${ref}`);
  return { kind: (match[1] ?? defaultKind).toLowerCase(), namespace: match[2] ?? 'default', name: match[3]! };
}
