import { isIP } from 'node:net';

// A Host header: a name, an IPv4 address or a bracketed IPv6 address, then an optional port.
const HOST_HEADER = /^(?:\[(?<ipv6>[0-9a-f:.]+)\]|(?<name>[a-z0-9.-]+))(?::\d{1,5})?$/i;

/**
 * Whether a request's Host header names this backend. DNS rebinding makes a browser send the
 * attacker's own hostname (evil.example:7007) to a backend on the victim's machine, so only
 * configured hostnames pass. An IP address cannot be rebound and is what health probes and
 * in-cluster callers send, so it passes too. The port is not compared: the hostname decides.
 */
export function isAllowedHost(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  const match = hostHeader?.match(HOST_HEADER);
  if (!match?.groups) return false;
  const { ipv6, name } = match.groups;
  if (ipv6 !== undefined) return isIP(ipv6) === 6;
  const hostname = name!.toLowerCase().replace(/\.$/, '');
  return allowed.has(hostname) || isIP(hostname) === 4;
}
