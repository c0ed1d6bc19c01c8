import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createCatalogConditionalDecision, catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
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

/**
 * The actions whose `values.owner` input decides whose service a task creates: the first step of
 * every platform template that publishes (model-service validates, llm-service sizes).
 */
export const OWNER_CHECKED_ACTIONS = ['idp:spec:validate', 'idp:llm:size'] as const;
/** The action whose `service` input (an entity ref) names the service it opens a pull request on. */
export const SERVICE_CHECKED_ACTION = 'idp:service:upgrade';

export type PortalPermissionPolicyOptions = {
  /** Members of these groups may do everything (e.g. `group:default/platform-team`). */
  platformGroups: string[];
  /** The user's entity ref and ownership refs (the user and its groups): the userInfo service. */
  userInfo(credentials: BackstageCredentials): Promise<{ userEntityRef: string; ownershipEntityRefs: string[] }>;
  /** The refs of the Components owned by any of `ownershipEntityRefs` (a catalog query). */
  ownedComponents(ownershipEntityRefs: string[]): Promise<string[]>;
};

/**
 * The portal's permission policy; docs/adr/0012-portal-permissions.md says why.
 *
 * - Platform group members: everything.
 * - Other signed-in users: read the catalog and the templates; run templates for an owner they
 *   belong to and on services they own (#actionConditions); read and cancel their own tasks;
 *   refresh and unregister entities they own. Not: register or delete catalog locations, create
 *   entities (services are registered by idp:catalog:register, as the scaffolder), manage catalog
 *   ingestion, dry-run template text (the template editor), manage templates.
 * - No user (a request without a user token): nothing. Backend plugins calling each other never
 *   reach the policy: Backstage allows service principals before asking it.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  readonly #platformGroups: Set<string>;
  readonly #userInfo: PortalPermissionPolicyOptions['userInfo'];
  readonly #ownedComponents: PortalPermissionPolicyOptions['ownedComponents'];

  constructor(options: PortalPermissionPolicyOptions) {
    this.#platformGroups = new Set(options.platformGroups.map(ref => ref.toLowerCase()));
    this.#userInfo = options.userInfo;
    this.#ownedComponents = options.ownedComponents;
  }

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const { userEntityRef, ownershipEntityRefs } = await this.#userInfo(user.credentials);
    if (ownershipEntityRefs.some(ref => this.#platformGroups.has(ref.toLowerCase()))) return { result: AuthorizeResult.ALLOW };

    const { permission } = request;
    if (isPermission(permission, actionExecutePermission)) {
      return createScaffolderActionConditionalDecision(permission, await this.#actionConditions(ownershipEntityRefs));
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

  /**
   * Any action, but those that act for an owner only for the user's own: idp:spec:validate and
   * idp:llm:size for an owner among the user's ownership refs (every platform template that
   * publishes runs one of them first, so a task for another team stops before anything exists),
   * idp:service:upgrade on a Component the user or one of their groups owns.
   */
  async #actionConditions(ownershipEntityRefs: string[]): Promise<ActionCriteria> {
    const { hasActionId } = scaffolderActionConditions;
    const [first, ...rest] = OWNER_CHECKED_ACTIONS.map(actionId => hasActionId({ actionId }));
    const ownerChecked: [ActionCriteria, ...ActionCriteria[]] = [first!, ...rest];
    const branches: [ActionCriteria, ...ActionCriteria[]] = [
      { allOf: [{ not: hasActionId({ actionId: SERVICE_CHECKED_ACTION }) }, ...ownerChecked.map(criteria => ({ not: criteria }))] },
    ];
    const owners = inputIsOneOf('values.owner', ownershipEntityRefs.flatMap(ownerSpellings));
    if (owners) branches.push({ allOf: [{ anyOf: ownerChecked }, owners] });
    const services = inputIsOneOf('service', await this.#ownedComponents(ownershipEntityRefs));
    if (services) branches.push({ allOf: [hasActionId({ actionId: SERVICE_CHECKED_ACTION }), services] });
    return { anyOf: branches };
  }
}

type ActionCriteria = PermissionCriteria<PermissionCondition<'scaffolder-action'>>;

/** The input at `key` is one of `values`; undefined when there are none (nothing would match). */
function inputIsOneOf(key: string, values: string[]): ActionCriteria | undefined {
  const [first, ...rest] = values.map(value => scaffolderActionConditions.hasStringProperty({ key, value }));
  return first ? { anyOf: [first, ...rest] } : undefined;
}
