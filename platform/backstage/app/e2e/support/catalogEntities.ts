import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './paths';

export interface EntitySummary {
  kind: string;
  name: string;
  title?: string;
}

/** The platform's own entities, read from the repository's catalog-info.yaml. */
export async function platformEntities(): Promise<EntitySummary[]> {
  const text = await readFile(join(REPO_ROOT, 'catalog-info.yaml'), 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as { kind?: string; metadata?: { name?: string; title?: string } } | null)
    .filter((doc): doc is { kind: string; metadata: { name: string; title?: string } } => !!doc?.kind && !!doc.metadata?.name)
    .map((doc) => ({ kind: doc.kind, name: doc.metadata.name, ...(doc.metadata.title ? { title: doc.metadata.title } : {}) }));
}
