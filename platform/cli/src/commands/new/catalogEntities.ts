import type { BackstageCatalog } from '@idp/github';
import type { Problem } from '@idp/service-spec';
import { type FormPage, formLibraries, isEntityRefField, isRecord, walkFields } from '@idp/scaffold';
import { parseEntityRef } from '@idp/service-spec';

/** A Backstage catalog `idp new --backstage-url` checks entity references against. */
export interface Catalog {
  /** Whether the entity exists; throws (a CatalogError: detail and fix) when the catalog cannot be asked. */
  has(ref: string, options?: { defaultKind?: string; defaultNamespace?: string }): Promise<boolean>;
  readonly url: string;
}

/**
 * The catalog at a Backstage base URL (token from $BACKSTAGE_TOKEN, as for idp publish), through
 * @idp/github's one catalog client: loaded on the first question, so `idp new` without a
 * picker to check never loads it.
 */
export function catalogAt(baseUrl: string, token = process.env.BACKSTAGE_TOKEN): Catalog {
  let catalog: Promise<BackstageCatalog> | undefined;
  const open = async () => (await import('@idp/github')).backstageCatalog({ url: baseUrl, ...(token ? { token } : {}) });
  return {
    url: baseUrl.replace(/\/+$/, ''),
    async has(ref, { defaultKind = 'Group', defaultNamespace } = {}) {
      const { kind, namespace, name } = parseEntityRef(ref, { defaultKind, defaultNamespace });
      // The catalog compares names case-insensitively; lower case is how it spells them in URLs.
      const entityRef = { kind: kind.toLowerCase(), namespace: namespace.toLowerCase(), name: name.toLowerCase() };
      catalog ??= open();
      return (await (await catalog).call((client) => client.getEntityByRef(entityRef))) !== undefined;
    },
  };
}

/**
 * The entity references the form's OwnerPicker/EntityPicker fields hold that the catalog does not
 * have, each named by its parameter: the portal's pickers offer only catalog entities.
 */
export async function catalogProblems(pages: readonly FormPage[], values: Record<string, unknown>, catalog: Catalog): Promise<Problem[]> {
  const { retrieveSchema } = await formLibraries();
  const checks: Array<Promise<Problem | undefined>> = [];
  for (const page of pages) {
    walkFields(retrieveSchema(page.schema, values), page.uiSchema, values, '', (field, uiNode, value) => {
      if (!isEntityRefField(uiNode['ui:field']) || typeof value !== 'string') return;
      checks.push(catalogProblem(field, value, uiNode['ui:options'], catalog));
    });
  }
  return (await Promise.all(checks)).filter((problem): problem is Problem => problem !== undefined);
}

async function catalogProblem(field: string, ref: string, uiOptions: unknown, catalog: Catalog): Promise<Problem | undefined> {
  const options = isRecord(uiOptions) ? uiOptions : {};
  try {
    const found = await catalog.has(ref, {
      defaultKind: typeof options.defaultKind === 'string' ? options.defaultKind : 'Group',
      defaultNamespace: typeof options.defaultNamespace === 'string' ? options.defaultNamespace : undefined,
    });
    return found
      ? undefined
      : { field, message: `names ${ref}, which is not in the catalog at ${catalog.url} (e.g. a group listed there)` };
  } catch (error) {
    return { field, message: `could not be checked against the catalog: ${(error as Error).message}` };
  }
}
