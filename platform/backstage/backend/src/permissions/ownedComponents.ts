import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The refs of the Components owned by any of `ownershipEntityRefs`, asked as the calling plugin:
 * the question is what exists, not what the user may read.
 */
export async function ownedComponents(catalog: CatalogService, auth: AuthService, ownershipEntityRefs: string[]): Promise<string[]> {
  const { items } = await catalog.getEntities(
    { filter: { kind: 'Component', 'relations.ownedBy': ownershipEntityRefs }, fields: ['kind', 'metadata.namespace', 'metadata.name'] },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items.map(entity => stringifyEntityRef(entity));
}
