import { ServiceSpec } from '@idp/spec';

/**
 * Why a service name is refused, in the words `idp new` uses: the whole spec is checked with
 * only the name given (every other field has a default), so rules beyond a JSON Schema pattern
 * — a name whose Python package would be a keyword, or shadow a module — apply in the form too.
 */
export function serviceNameProblems(name: string): string[] {
  const parsed = ServiceSpec.safeParse({ name });
  if (parsed.success) return [];
  return parsed.error.issues.filter(issue => issue.path[0] === 'name').map(issue => issue.message);
}
