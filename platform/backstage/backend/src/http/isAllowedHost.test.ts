import { isAllowedHost } from './isAllowedHost';

describe('isAllowedHost', () => {
  const allowed = new Set(['localhost', 'portal.example.com']);

  it.each(['portal.example.com', 'Portal.Example.COM:443', 'portal.example.com.', 'localhost:7007', '127.0.0.1:7007', '10.1.2.3', '[::1]:7007'])(
    'accepts %s',
    host => expect(isAllowedHost(host, allowed)).toBe(true),
  );

  it.each([
    ['a rebinding hostname', 'evil.example:7007'],
    ['a look-alike suffix', 'portal.example.com.evil.example'],
    ['a subdomain of localhost', 'rebind.localhost:7007'],
    ['a host with credentials', 'evil.example@localhost'],
    ['a host with a path', 'localhost/evil'],
    ['a malformed IPv6 address', '[zz::1]:7007'],
    ['an empty header', ''],
    ['no header', undefined],
  ])('refuses %s', (_what, host) => expect(isAllowedHost(host, allowed)).toBe(false));
});
