import net from 'node:net';
import { createSpecializedBackend } from '@backstage/backend-app-api';
import { discoveryServiceFactory } from '@backstage/backend-defaults/discovery';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock, actionsServiceMock, metricsServiceMock, tracingServiceMock } from '@backstage/backend-test-utils/alpha';
import { portalRootHttpRouter } from '../http/portalRootHttpRouter';

export type PortalBackend = { port: number; baseUrl: string; stop(): Promise<void> };

/**
 * Starts a backend in-process like startTestBackend (mock auth, logger, database...), but with
 * the portal's own root router and discovery on a real port: startTestBackend insists on its own
 * root router. `config` is merged under backend.baseUrl and backend.listen for that port;
 * `features` may replace any of the mock services.
 */
export async function startPortalBackend(options: { config?: Record<string, any>; features: BackendFeature[] }): Promise<PortalBackend> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const config = { ...options.config, backend: { ...options.config?.backend, baseUrl, listen: { host: '127.0.0.1', port } } };
  const backend = createSpecializedBackend({
    defaultServiceFactories: [
      mockServices.auth.factory(),
      mockServices.auditor.factory(),
      mockServices.cache.factory(),
      mockServices.database.factory(),
      mockServices.events.factory(),
      mockServices.httpAuth.factory(),
      mockServices.httpRouter.factory(),
      mockServices.lifecycle.factory(),
      mockServices.logger.factory(),
      mockServices.permissions.factory(),
      mockServices.permissionsRegistry.factory(),
      mockServices.rootHealth.factory(),
      mockServices.rootLifecycle.factory(),
      mockServices.rootLogger.factory(),
      mockServices.scheduler.factory(),
      mockServices.urlReader.factory(),
      mockServices.userInfo.factory(),
      mockServices.rootConfig.factory({ data: config }),
      actionsRegistryServiceMock.factory(),
      actionsServiceMock.factory(),
      metricsServiceMock.factory(),
      tracingServiceMock.factory(),
      discoveryServiceFactory,
      portalRootHttpRouter,
    ],
  });
  for (const feature of options.features) backend.add(feature);
  await backend.start();
  return { port, baseUrl, stop: () => backend.stop() };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
