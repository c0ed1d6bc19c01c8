import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * Backstage's mock auth service, except that a token a plugin gets on behalf of a user names the
 * plugin as the user's actor, as the real auth service does. The permission backend relies on it:
 * it refuses resource permissions without a resourceRef from a user calling it directly, and the
 * mock would make every plugin's request on a user's behalf look like one.
 */
export const actorKeepingMockAuthServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const getPluginRequestToken = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const { principal } = options.onBehalfOf as { principal: { type: string; userEntityRef?: string } };
      if (principal.type !== 'user' || !principal.userEntityRef) return getPluginRequestToken(options);
      return { token: mockCredentials.user.token(principal.userEntityRef, { actor: { subject: `plugin:${plugin.getId()}` } }) };
    };
    return auth;
  },
});
