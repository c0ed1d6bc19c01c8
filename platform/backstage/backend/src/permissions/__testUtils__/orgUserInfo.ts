import { readFileSync } from 'node:fs';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { parseAllDocuments } from 'yaml';

/**
 * The userInfo service as production's sign-in leaves it: a user's ownership refs are the user and
 * the groups it is a member of (Backstage's catalog sign-in resolver puts those in the token).
 * Here they are read from an org file's User entities (`spec.memberOf`), for mock tokens.
 */
export function orgUserInfoServiceFactory(orgFile: string) {
  const memberOf = new Map<string, string[]>();
  for (const doc of parseAllDocuments(readFileSync(orgFile, 'utf-8'))) {
    const entity = doc.toJS();
    if (entity?.kind !== 'User') continue;
    const groups = (entity.spec?.memberOf ?? []).map((group: string) => `group:default/${group}`);
    memberOf.set(`user:default/${entity.metadata.name}`, groups);
  }
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: any) {
        const userEntityRef: string = credentials.principal.userEntityRef;
        return { userEntityRef, ownershipEntityRefs: [userEntityRef, ...(memberOf.get(userEntityRef) ?? [])] };
      },
    }),
  });
}
