// Backstage entity references, `[kind:][namespace/]name`: the owner field's rule, and Backstage's
// own parsing (catalog-model's parseEntityRef) re-stated, because importing catalog-model costs the
// CLI ~180 ms of start-up (it compiles its validators on load). entityRef.test.ts checks it against
// the real function on generated references. The character rules are catalog-model's default validators.
const NAMESPACE = '[a-z0-9]+(?:-+[a-z0-9]+)*';
const NAME = '[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*';

export const OWNER_REF_PATTERN = `^(?:(?:group|user):)?(?:${NAMESPACE}/)?${NAME}$`;
export const ENTITY_NAME_PATTERN = `^${NAME}$`;
export const MAX_ENTITY_NAME_LENGTH = 63;

export interface CompoundEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

type RefInput = string | { kind?: string; namespace?: string; name: string };

/** catalog-model's parseEntityRef: the same results, the same errors. */
export function parseEntityRef(ref: RefInput, context?: { defaultKind?: string; defaultNamespace?: string }): CompoundEntityRef {
  if (!ref) throw new Error('Entity reference must not be empty');
  const parts = typeof ref === 'string' ? splitRefString(ref) : ref;
  const kind = parts.kind ?? context?.defaultKind;
  const namespace = parts.namespace ?? (context?.defaultNamespace || 'default');
  const name = parts.name;
  const textual = () => JSON.stringify(ref);
  if (!kind) throw new Error(`Entity reference ${textual()} had missing or empty kind (e.g. did not start with "component:" or similar)`);
  if (!namespace) throw new Error(`Entity reference ${textual()} had missing or empty namespace`);
  if (!name) throw new Error(`Entity reference ${textual()} had missing or empty name`);
  return { kind, namespace, name };
}

/** An owner reference (OWNER_REF_PATTERN) split with Backstage's defaults, its kind in lower case. */
export function splitEntityRef(ref: string, defaultKind: string): CompoundEntityRef {
  const { kind, namespace, name } = parseEntityRef(ref, { defaultKind });
  return { kind: kind.toLowerCase(), namespace, name };
}

/** `[kind:][namespace/]name`; a '/' before the first ':' means there is no kind. */
function splitRefString(ref: string): { kind?: string; namespace?: string; name: string } {
  const slash = ref.indexOf('/');
  let colon = ref.indexOf(':');
  if (slash !== -1 && slash < colon) colon = -1;
  const kind = colon === -1 ? undefined : ref.slice(0, colon);
  const namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
  const name = ref.slice(Math.max(colon + 1, slash + 1));
  if (kind === '' || namespace === '' || name === '') {
    throw new TypeError(`Entity reference "${ref}" was not on the form [<kind>:][<namespace>/]<name>`);
  }
  return { kind, namespace, name };
}
