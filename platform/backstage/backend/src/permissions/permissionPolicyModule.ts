import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ownedComponents } from './ownedComponents';
import { PortalPermissionPolicy } from './portalPermissionPolicy';

/**
 * Installs the portal's permission policy in the permission plugin. Its platform groups come
 * from `idp.platformGroups` (default: group:default/platform-team). The policy only decides when
 * `permission.enabled` is true: production; locally everything is allowed (see app-config.yaml).
 */
export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'idp-policy',
  register({ registerInit }) {
    registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ policy, config, userInfo, auth, catalog }) {
        const platformGroups = config.getOptionalStringArray('idp.platformGroups') ?? ['group:default/platform-team'];
        policy.setPolicy(
          new PortalPermissionPolicy({
            platformGroups,
            userInfo: credentials => userInfo.getUserInfo(credentials),
            ownedComponents: ownershipEntityRefs => ownedComponents(catalog, auth, ownershipEntityRefs),
          }),
        );
      },
    });
  },
});
