import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createCatalogConditionalDecision, catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogIngestionManagePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult, isPermission, type PolicyDecision } from '@backstage/plugin-permission-common';
import type { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderActionConditionalDecision,
  createScaffolderTaskConditionalDecision,
  scaffolderActionConditions,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import { ownerSpellings } from './ownerSpellings';

/** The action whose `values.owner` input decides whose service a task creates. */
export const OWNER_CHECKED_ACTION = 'idp:spec:validate';

export type PortalPermissionPolicyOptions = {
  /** Members of these groups may do everything (e.g. `group:default/platform-team`). */
  platformGroups: string[];
  /** The user's entity ref and ownership refs (the user and its groups): the userInfo service. */
  userInfo(credentials: BackstageCredentials): Promise<{ userEntityRef: string; ownershipEntityRefs: string[] }>;
};

/**
 * The portal's permission policy; docs/adr/0012-portal-permissions.md says why.
 *
 * - Platform group members: everything.
 * - Other signed-in users: read the catalog and the templates, run templates for an owner they
 *   belong to (idp:spec:validate's `values.owner` is one of their ownership refs), read and
 *   cancel their own tasks, refresh and unregister entities they own. Not: register or delete
 *   catalog locations or entities (services are registered by idp:catalog:register, as the
 *   scaffolder), manage catalog ingestion,
 *   dry-run arbitrary templates (the template editor), manage templates.
 * - No user (a request without a user token): nothing. Backend plugins calling each other never
 *   reach the policy: Backstage allows service principals before asking it.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  readonly #platformGroups: Set<string>;
  readonly #userInfo: PortalPermissionPolicyOptions['userInfo'];

  constructor(options: PortalPermissionPolicyOptions) {
    this.#platformGroups = new Set(options.platformGroups.map(ref => ref.toLowerCase()));
    this.#userInfo = options.userInfo;
  }

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const { userEntityRef, ownershipEntityRefs } = await this.#userInfo(user.credentials);
    if (ownershipEntityRefs.some(ref => this.#platformGroups.has(ref.toLowerCase()))) return { result: AuthorizeResult.ALLOW };

    const { permission } = request;
    if (isPermission(permission, actionExecutePermission)) {
      // Any action, but idp:spec:validate only for an owner the user belongs to; every platform
      // template validates first, so a task for another team stops before it publishes anything.
      return createScaffolderActionConditionalDecision(permission, {
        anyOf: [
          { not: scaffolderActionConditions.hasActionId({ actionId: OWNER_CHECKED_ACTION }) },
          ...ownershipEntityRefs.flatMap(ownerSpellings).map(owner => scaffolderActionConditions.hasStringProperty({ key: 'values.owner', value: owner })),
        ],
      });
    }
    if (isPermission(permission, taskReadPermission) || isPermission(permission, taskCancelPermission)) {
      return createScaffolderTaskConditionalDecision(permission, scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }));
    }
    if (isPermission(permission, catalogEntityRefreshPermission) || isPermission(permission, catalogEntityDeletePermission)) {
      return createCatalogConditionalDecision(permission, catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }));
    }
    if (
      isPermission(permission, catalogLocationCreatePermission) ||
      isPermission(permission, catalogEntityCreatePermission) ||
      isPermission(permission, catalogIngestionManagePermission) ||
      isPermission(permission, catalogLocationDeletePermission) ||
      isPermission(permission, templateDryRunPermission) ||
      isPermission(permission, templateManagementPermission)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
