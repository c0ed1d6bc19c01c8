import type { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { allowedHostnames } from './allowedHostnames';
import { isAllowedHost } from './isAllowedHost';

/** The slice of an Express middleware this needs (the backend package does not depend on express). */
type HostCheckHandler = (req: { headers: { host?: string } }, res: unknown, next: (error?: Error) => void) => void;

/**
 * Refuses requests whose Host header is not this backend's (DNS rebinding: a page on another
 * site reaching the local, tokenless portal through a hostname that resolves to 127.0.0.1).
 */
export function hostCheck(config: Config): HostCheckHandler {
  const allowed = allowedHostnames(config);
  const expected = [...allowed].join(', ');
  return (req, _res, next) => {
    if (isAllowedHost(req.headers.host, allowed)) {
      next();
      return;
    }
    next(
      new NotAllowedError(
        `Host: the header ${JSON.stringify(req.headers.host ?? '')} does not name this portal; ` +
          `expected one of ${expected} (localhost and the hostnames of backend.baseUrl and app.baseUrl) or an IP address, ` +
          `e.g. Host: localhost:7007`,
      ),
    );
  };
}
