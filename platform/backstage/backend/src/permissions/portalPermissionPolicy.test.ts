import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult, type Permission } from '@backstage/plugin-permission-common';
import {
  actionExecutePermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { PortalPermissionPolicy } from './portalPermissionPolicy';

const OWNERSHIP: Record<string, string[]> = {
  'user:default/ada': ['user:default/ada', 'group:default/ml-team'],
  'user:default/grace': ['user:default/grace', 'group:default/platform-team'],
};

const policy = new PortalPermissionPolicy({
  platformGroups: ['group:default/platform-team'],
  async userInfo(credentials: any) {
    const userEntityRef = credentials.principal.userEntityRef;
    return { userEntityRef, ownershipEntityRefs: OWNERSHIP[userEntityRef] ?? [userEntityRef] };
  },
});

const decide = (permission: Permission, userEntityRef?: string) =>
  policy.handle({ permission }, userEntityRef ? { credentials: mockCredentials.user(userEntityRef), info: { userEntityRef, ownershipEntityRefs: [] } } : undefined);

describe('PortalPermissionPolicy', () => {
  it('allows the platform group everything, including what others may not do', async () => {
    for (const permission of [catalogLocationCreatePermission, templateDryRunPermission, actionExecutePermission, taskReadPermission]) {
      expect(await decide(permission, 'user:default/grace')).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('allows nothing without a signed-in user', async () => {
    expect(await decide(catalogEntityReadPermission)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(taskCreatePermission)).toEqual({ result: AuthorizeResult.DENY });
  });

  it.each([
    ['register a catalog location', catalogLocationCreatePermission],
    ['delete a catalog location', catalogLocationDeletePermission],
    ['create catalog entities', catalogEntityCreatePermission],
    ['manage catalog ingestion', catalogIngestionManagePermission],
    ['dry-run an arbitrary template', templateDryRunPermission],
    ['manage templates', templateManagementPermission],
  ])('does not let another user %s', async (_what, permission) => {
    expect(await decide(permission, 'user:default/ada')).toEqual({ result: AuthorizeResult.DENY });
  });

  it.each([
    ['read the catalog', catalogEntityReadPermission],
    ['read template parameters', templateParameterReadPermission],
    ['create tasks', taskCreatePermission],
  ])('lets any user %s', async (_what, permission) => {
    expect(await decide(permission, 'user:default/ada')).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets a user run idp:spec:validate only for an owner among their ownership refs, every other action freely', async () => {
    const decision = await decide(actionExecutePermission, 'user:default/ada');
    expect(decision).toMatchObject({ result: AuthorizeResult.CONDITIONAL, pluginId: 'scaffolder', resourceType: 'scaffolder-action' });
    const { anyOf } = (decision as any).conditions;
    expect(anyOf[0]).toEqual({ not: { rule: 'HAS_ACTION_ID', resourceType: 'scaffolder-action', params: { actionId: 'idp:spec:validate' } } });
    const owners = anyOf.slice(1).map((c: any) => {
      expect(c).toMatchObject({ rule: 'HAS_STRING_PROPERTY', params: { key: 'values.owner' } });
      return c.params.value;
    });
    expect(owners).toEqual(['user:default/ada', 'user:ada', 'group:default/ml-team', 'group:ml-team', 'default/ml-team', 'ml-team']);
  });

  it('lets a user read their own tasks only, and change only entities they own', async () => {
    expect(await decide(taskReadPermission, 'user:default/ada')).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_TASK_OWNER', params: { createdBy: ['user:default/ada'] } },
    });
    expect(await decide(catalogEntityDeletePermission, 'user:default/ada')).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: ['user:default/ada', 'group:default/ml-team'] } },
    });
  });
});
