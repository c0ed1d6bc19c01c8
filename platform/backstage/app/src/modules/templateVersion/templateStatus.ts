/** The annotations a service made by idp carries (the model-service skeleton's catalog-info.yaml). */
export const TEMPLATE_ANNOTATION = 'idp.dev/template';
export const TEMPLATE_VERSION_ANNOTATION = 'idp.dev/template-version';

export type TemplateStatus =
  | { kind: 'up-to-date'; version: string }
  | { kind: 'behind'; version: string; newest: string; releasesBehind: number }
  | { kind: 'unknown'; version: string; reason: string };

/** Dotted numeric versions (0.1.0), compared part by part; anything else is not comparable. */
function parseVersion(version: string): number[] | undefined {
  return /^\d+(\.\d+)*$/.test(version) ? version.split('.').map(Number) : undefined;
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/**
 * Where a service stands against the newest release of its template. `released` lists the
 * versions the template's changelog knows, to count how many releases behind it is.
 */
export function templateStatus(version: string, newest: string | undefined, released: readonly string[] = []): TemplateStatus {
  if (!newest) return { kind: 'unknown', version, reason: 'the template is not in the catalog' };
  const [ours, theirs] = [parseVersion(version), parseVersion(newest)];
  if (!ours || !theirs) return { kind: 'unknown', version, reason: `versions ${version} and ${newest} cannot be compared` };
  if (compareVersions(ours, theirs) >= 0) return { kind: 'up-to-date', version };
  const between = released.map(parseVersion).filter((v): v is number[] => !!v && compareVersions(v, ours) > 0 && compareVersions(v, theirs) <= 0);
  return { kind: 'behind', version, newest, releasesBehind: Math.max(1, between.length) };
}
