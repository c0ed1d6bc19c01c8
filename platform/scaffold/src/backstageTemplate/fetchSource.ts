import { realpathSync } from 'node:fs';
import path from 'node:path';
import { TemplateError } from '../renderTemplate.js';

/**
 * Where a fetch step's `url` points on disk. Backstage reads a relative url from the template's
 * own location (here: its folder) and refuses one that leaves it; an absolute URL (anything
 * `new URL()` accepts) it downloads through its integrations, which `idp` does not: it runs
 * templates from a folder or repository it has, and says so rather than fetching elsewhere.
 */
export function fetchSource(templateDir: string, url: unknown, stepLabel: string): string {
  if (typeof url !== 'string') {
    throw new TemplateError(
      `Step ${stepLabel}: input url must be a string (e.g. url: ./skeleton), but is ${JSON.stringify(url) ?? 'missing'}`,
    );
  }
  if (URL.canParse(url)) {
    throw new TemplateError(
      `Step ${stepLabel}: url ${url} is a remote location; idp renders only what the template folder holds. Clone that repository and pass its folder (e.g. url: ./skeleton beside template.yaml, or idp new ./path/to/template)`,
    );
  }
  const base = realpathSync(templateDir);
  const resolved = path.resolve(base, url);
  const real = realPathOrSelf(resolved);
  const relative = path.relative(base, real);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new TemplateError(
      `Step ${stepLabel}: url ${url} points outside the template folder ${templateDir}: Relative path is not allowed to refer to a directory outside its parent`,
    );
  }
  // As the template names it, not its real path: a skeleton kept under keepSkeletonsUnder is found by that name.
  return path.resolve(templateDir, url);
}

function realPathOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
