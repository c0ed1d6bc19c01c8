import { createBackend } from '@backstage/backend-defaults';
import { portalRootHttpRouter } from './http/portalRootHttpRouter';
import { authFeatures, catalogFeatures, permissionFeatures, scaffolderFeatures, searchFeatures, techdocsFeatures } from './features';

const backend = createBackend();
// Refuses other Host headers (DNS rebinding) and keeps stack traces out of error responses.
backend.add(portalRootHttpRouter);
for (const feature of [...authFeatures, ...permissionFeatures, ...catalogFeatures, ...scaffolderFeatures, ...techdocsFeatures, ...searchFeatures]) {
  backend.add(feature);
}
// Serves the built frontend (platform/backstage/app) on the backend's port.
backend.add(import('@backstage/plugin-app-backend'));
backend.start();
