import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { hostCheck } from './hostCheck';
import { withoutStackTraces } from './withoutStackTraces';

/**
 * Backstage's root HTTP router with two changes, for local use and production alike:
 *
 * - requests for another Host are refused before any route sees them (hostCheck);
 * - error responses never carry stack traces. Backstage includes them whenever NODE_ENV is
 *   `development`, which `backstage-cli package start` sets when it is unset, so callers would see the
 *   backend's absolute file paths. Each plugin's router has its own error handler, so the stacks
 *   are removed where every JSON error response passes: res.json. The log keeps every 5xx with its stack.
 */
export const portalRootHttpRouter = rootHttpRouterServiceFactory({
  configure(context) {
    const { app, config } = context;
    // First, so that every error response below it, the host check's own included, loses its stack.
    app.use((_req, res, next) => {
      const json = res.json.bind(res);
      res.json = body => json(res.statusCode >= 400 ? withoutStackTraces(body) : body);
      next();
    });
    app.use(hostCheck(config));
    context.applyDefaults();
  },
});
