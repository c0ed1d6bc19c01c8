import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
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
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig, userInfo: coreServices.userInfo },
      async init({ policy, config, userInfo }) {
        const platformGroups = config.getOptionalStringArray('idp.platformGroups') ?? ['group:default/platform-team'];
        policy.setPolicy(new PortalPermissionPolicy({ platformGroups, userInfo: credentials => userInfo.getUserInfo(credentials) }));
      },
    });
  },
});
