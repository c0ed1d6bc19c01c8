import { parseEntityRef } from '@backstage/catalog-model';

/**
 * Every way the template's `owner` field can name `ref` (a full ref such as `group:default/ml-team`,
 * as ownership refs always are): the catalog reads `spec.owner` with kind Group and namespace
 * default when they are left out, so `ml-team`, `group:ml-team` and `default/ml-team` mean the same
 * group. The scaffolder can only compare strings exactly, hence the list. Other letter cases are not
 * listed: a differently cased owner is refused rather than guessed.
 */
export function ownerSpellings(ref: string): string[] {
  const { kind, namespace, name } = parseEntityRef(ref);
  const spellings = [`${kind}:${namespace}/${name}`];
  if (namespace === 'default') spellings.push(`${kind}:${name}`);
  if (kind === 'group') {
    spellings.push(`${namespace}/${name}`);
    if (namespace === 'default') spellings.push(name);
  }
  return spellings;
}
