import { mockServices } from '@backstage/backend-test-utils';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCatalogRegisterAction } from './catalogRegister';

// The default contract's organisation is acme, on github.com.

describe('idp:catalog:register', () => {
  function setUp(entities: any[] = []) {
    const addLocation = jest.fn(async (request: any, _options: any) => ({
      location: { id: 'l1', type: request.type, target: request.target },
      entities: request.dryRun ? entities : [],
    }));
    const catalog = { addLocation } as unknown as CatalogService;
    const auth = mockServices.auth({ pluginId: 'scaffolder' });
    const action = createCatalogRegisterAction({ catalog, auth, githubHosts: ['github.com'] });
    return { action, addLocation };
  }

  const entity = (kind: string, name: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, namespace: 'default' } });

  it('registers the repository root catalog-info.yaml as the scaffolder, not as the user', async () => {
    const { action, addLocation } = setUp([entity('Location', 'generated-abc'), entity('API', 'fraud-detector-oip'), entity('Component', 'fraud-detector')]);
    const ctx = createMockActionContext({ input: { repoContentsUrl: 'https://github.com/acme/fraud-detector/blob/main' } as any });
    await action.handler(ctx);

    const target = 'https://github.com/acme/fraud-detector/blob/main/catalog-info.yaml';
    expect(addLocation.mock.calls.map(([request]) => request)).toEqual([
      { type: 'url', target },
      { type: 'url', target, dryRun: true },
    ]);
    for (const [, { credentials }] of addLocation.mock.calls) {
      expect(credentials.principal).toMatchObject({ type: 'service', subject: 'plugin:scaffolder' });
    }
    expect(ctx.output).toHaveBeenCalledWith('entityRef', 'component:default/fraud-detector');
    expect(ctx.output).toHaveBeenCalledWith('catalogInfoUrl', target);
  });

  it('registers nothing outside the platform organisation', async () => {
    const { action, addLocation } = setUp();
    const ctx = createMockActionContext({ input: { repoContentsUrl: 'https://github.com/someone-else/x/blob/main' } as any });
    await expect(action.handler(ctx)).rejects.toThrow(/^repoContentsUrl: must be a repository of the platform's GitHub organisation acme/);
    expect(addLocation).not.toHaveBeenCalled();
  });
});
