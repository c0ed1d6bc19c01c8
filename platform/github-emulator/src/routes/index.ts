import { contentsRoutes } from './contents.js';
import type { RouteHandler } from './http.js';
import { orgAndUserRoutes } from './orgsAndUsers.js';
import { pullRoutes } from './pulls.js';
import { repositoryRoutes } from './repositories.js';
import { settingsRoutes } from './settings.js';

export { API_PREFIX } from './http.js';

/** Every REST operation the emulator serves, by its operationId in GitHub's OpenAPI description. */
export const ROUTES: Record<string, RouteHandler> = {
  ...orgAndUserRoutes,
  ...repositoryRoutes,
  ...settingsRoutes,
  ...contentsRoutes,
  ...pullRoutes,
};
