import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseYaml } from './parseYaml.js';
import type { RenderOptions } from './renderTemplate.js';

/** What the CLI needs from a template.yaml: where its skeleton is and how fetch:template renders it. */
export interface TemplateInfo {
  name: string;
  title: string;
  description: string;
  version: string;
  dir: string;
  skeletonDir: string;
  renderOptions: RenderOptions;
}

interface TemplateStep {
  action?: string;
  input?: { url?: string; copyWithoutTemplating?: string[]; templateFileExtension?: boolean | string };
}

interface TemplateDoc {
  metadata?: { name?: string; title?: string; description?: string; annotations?: Record<string, string> };
  spec?: { steps?: TemplateStep[] };
}

// Parsed template.yaml files by their text: a process (a fleet run, the CLI's startup snapshot)
// that meets the same text again reads only what it needs from it.
const parsedDocs = new Map<string, TemplateDoc>();

/** Reads templates/<name>/template.yaml and its (single) fetch:template step. */
export async function loadTemplate(templateDir: string): Promise<TemplateInfo> {
  const file = path.join(templateDir, 'template.yaml');
  const text = await readFile(file, 'utf-8');
  let doc = parsedDocs.get(text);
  if (!doc) {
    doc = parseYaml(text) as TemplateDoc;
    parsedDocs.set(text, doc);
  }
  const fetch = doc.spec?.steps?.find((step) => step.action === 'fetch:template');
  if (!fetch?.input?.url) throw new Error(`${file} has no fetch:template step with an input url`);
  const skeletonDir = path.resolve(templateDir, fetch.input.url);
  if (!skeletonDir.startsWith(path.resolve(templateDir) + path.sep)) {
    throw new Error(`${file}: fetch:template url ${fetch.input.url} must be a directory inside the template`);
  }
  return {
    name: doc.metadata?.name ?? path.basename(templateDir),
    title: doc.metadata?.title ?? doc.metadata?.name ?? path.basename(templateDir),
    description: doc.metadata?.description ?? '',
    version: doc.metadata?.annotations?.['idp.dev/template-version'] ?? '0.0.0',
    dir: templateDir,
    skeletonDir,
    renderOptions: {
      copyWithoutTemplating: Array.isArray(fetch.input.copyWithoutTemplating)
        ? [...fetch.input.copyWithoutTemplating]
        : fetch.input.copyWithoutTemplating,
      templateFileExtension: fetch.input.templateFileExtension,
    },
  };
}

/** Every template under a templates/ directory (each a folder with a template.yaml). */
export async function listTemplates(templatesRoot: string): Promise<TemplateInfo[]> {
  const names = (await readdir(templatesRoot)).sort();
  const templates: TemplateInfo[] = [];
  for (const name of names) {
    const dir = path.join(templatesRoot, name);
    const isTemplate = await stat(path.join(dir, 'template.yaml')).then(
      () => true,
      () => false,
    );
    if (isTemplate) templates.push(await loadTemplate(dir));
  }
  return templates;
}
