// Backstage's parseEntityRef (catalog-model), re-stated: importing catalog-model costs the CLI
// ~180 ms of start-up (it compiles its validators on load). entityRef.test.ts checks this against
// the real function on generated references.

export interface CompoundEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

type RefInput = string | { kind?: string; namespace?: string; name: string };

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
