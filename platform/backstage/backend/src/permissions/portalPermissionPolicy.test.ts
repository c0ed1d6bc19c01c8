import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult, type Permission, type PolicyDecision } from '@backstage/plugin-permission-common';
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

const OWNED_COMPONENTS: Record<string, string> = {
  'group:default/ml-team': 'component:default/fraud-detector',
  'group:default/platform-team': 'component:default/platform-portal',
};

const policy = new PortalPermissionPolicy({
  platformGroups: ['group:default/platform-team'],
  async userInfo(credentials: any) {
    const userEntityRef = credentials.principal.userEntityRef;
    return { userEntityRef, ownershipEntityRefs: OWNERSHIP[userEntityRef] ?? [userEntityRef] };
  },
  async ownedComponents(refs) {
    return refs.flatMap(ref => OWNED_COMPONENTS[ref] ?? []);
  },
});

/**
 * Whether a scaffolder-action decision allows `action` with `input`, by the scaffolder's rules:
 * HAS_ACTION_ID compares the action id, HAS_STRING_PROPERTY the string at a dotted input path.
 * (portalPermissions.test.ts runs the same decisions through the real scaffolder.)
 */
function allows(decision: PolicyDecision, action: string, input: Record<string, unknown>): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) return decision.result === AuthorizeResult.ALLOW;
  expect(decision).toMatchObject({ pluginId: 'scaffolder', resourceType: 'scaffolder-action' });
  const evaluate = (criteria: any): boolean => {
    if (criteria.anyOf) return criteria.anyOf.some(evaluate);
    if (criteria.allOf) return criteria.allOf.every(evaluate);
    if (criteria.not) return !evaluate(criteria.not);
    if (criteria.rule === 'HAS_ACTION_ID') return action === criteria.params.actionId;
    if (criteria.rule === 'HAS_STRING_PROPERTY') {
      const value = criteria.params.key.split('.').reduce((at: any, key: string) => at?.[key], input);
      return value === criteria.params.value;
    }
    throw new Error(`unexpected rule ${criteria.rule}`);
  };
  return evaluate(decision.conditions);
}

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

  describe('scaffolder actions (the decision evaluated as the scaffolder evaluates it)', () => {
    const ada = () => decide(actionExecutePermission, 'user:default/ada');

    it.each(['group:default/ml-team', 'group:ml-team', 'default/ml-team', 'ml-team', 'user:default/ada', 'user:ada'])(
      'lets ada validate a service owned by %s',
      async owner => expect(allows(await ada(), 'idp:spec:validate', { values: { owner } })).toBe(true),
    );

    it.each(['group:default/platform-team', 'platform-team', 'user:default/grace', 'ML-Team', undefined])(
      'does not let ada validate a service owned by %s',
      async owner => expect(allows(await ada(), 'idp:spec:validate', { values: { owner } })).toBe(false),
    );

    it('checks the owner of an llm-service at its sizing step as it does at validation', async () => {
      expect(allows(await ada(), 'idp:llm:size', { values: { owner: 'group:default/ml-team' } })).toBe(true);
      expect(allows(await ada(), 'idp:llm:size', { values: { owner: 'group:default/platform-team' } })).toBe(false);
      expect(allows(await ada(), 'idp:llm:size', { values: {} })).toBe(false);
    });

    it('lets ada upgrade a service her team owns, not another', async () => {
      expect(allows(await ada(), 'idp:service:upgrade', { service: 'component:default/fraud-detector' })).toBe(true);
      expect(allows(await ada(), 'idp:service:upgrade', { service: 'component:default/platform-portal' })).toBe(false);
    });

    it('lets a user who owns no service upgrade none', async () => {
      const decision = await decide(actionExecutePermission, 'user:default/nobody');
      expect(allows(decision, 'idp:service:upgrade', { service: 'component:default/fraud-detector' })).toBe(false);
      expect(allows(decision, 'idp:spec:validate', { values: { owner: 'user:default/nobody' } })).toBe(true);
    });

    it.each(['fetch:template', 'publish:github', 'idp:platform:contract', 'idp:catalog:register'])('lets ada run %s', async action => {
      expect(allows(await ada(), action, { values: { owner: 'group:default/platform-team' } })).toBe(true);
    });
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
