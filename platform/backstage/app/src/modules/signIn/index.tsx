import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/** The sign-in page, offering the providers the backend has for this environment. */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const [{ SignInPage }, { configApiRef, useApi }, { signInProviders }] = await Promise.all([
        import('@backstage/core-components'),
        import('@backstage/core-plugin-api'),
        import('./signInProviders'),
      ]);
      return props => {
        const environment = useApi(configApiRef).getOptionalString('auth.environment');
        return <SignInPage {...props} providers={signInProviders(environment)} />;
      };
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
