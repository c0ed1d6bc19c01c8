import { PYTHON_KEYWORDS, PYTHON_RESERVED_MODULES } from './pythonNames.js';

/**
 * The longest suffix the templates append to a service name to name a Kubernetes object
 * (e.g. `<name>-allow-ingress`). Object names are DNS-1035 labels of at most 63 characters, so a
 * service name may use 63 minus this. The delivery tests render every object and check the cap.
 */
export const LONGEST_NAME_SUFFIX = '-allow-monitoring';
export const MAX_SERVICE_NAME_LENGTH = 63 - LONGEST_NAME_SUFFIX.length;

/** DNS-1035 label: lower-case letters, digits and '-', starting with a letter, not ending with '-'. */
export const DNS_1035_PATTERN = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/** DNS-1123 label (namespaces, service accounts): like DNS-1035, but may start with a digit. */
export const DNS_1123_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** The Python package a service's code lives in: the service name with '-' as '_'. */
export function pythonPackageName(serviceName: string): string {
  return serviceName.replace(/-/g, '_');
}

/** Why a service name cannot become a Python package, or undefined when it can. */
export function pythonPackageProblem(serviceName: string): string | undefined {
  const pkg = pythonPackageName(serviceName);
  if (PYTHON_KEYWORDS.has(pkg)) return `its Python package "${pkg}" would be a Python keyword`;
  if (PYTHON_RESERVED_MODULES.has(pkg)) {
    return `its Python package "${pkg}" would shadow the module "${pkg}" the service imports`;
  }
  return undefined;
}
