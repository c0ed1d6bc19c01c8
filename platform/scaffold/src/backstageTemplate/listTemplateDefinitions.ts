import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadTemplateDefinition, type TemplateDefinition } from './templateDefinition.js';

// Folders no template lives in; a template's own folder is not searched further either (its
// skeleton may well hold a template.yaml of its own).
const SKIPPED = new Set(['node_modules', '.git']);
const MAX_DEPTH = 4;

/**
 * Every Backstage template under a folder: each folder with a template.yaml of kind Template, at
 * any depth up to four (templates/<name>/, scaffolder-templates/<name>/, <name>/ …), sorted by
 * name. Files that are not templates are passed over.
 */
export async function listTemplateDefinitions(root: string): Promise<TemplateDefinition[]> {
  const found: TemplateDefinition[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    if (entries.some((entry) => entry.isFile() && entry.name === 'template.yaml')) {
      const definition = await loadTemplateDefinition(dir).catch(() => undefined);
      if (definition) found.push(definition);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    const folders = entries.filter((entry) => entry.isDirectory() && !SKIPPED.has(entry.name));
    await Promise.all(folders.map((entry) => visit(path.join(dir, entry.name), depth + 1)));
  };
  await visit(root, 0);
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
}
