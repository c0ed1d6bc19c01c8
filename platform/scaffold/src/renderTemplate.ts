import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import globby from 'globby';
import { isBinaryFile } from 'isbinaryfile';
import { createTemplateRenderer, type TemplateValue } from 'nunjitsu';
import { createDefaultFilters, DEFAULT_SCM_HOSTS } from './filters.js';

/** One entry of a rendered template, in memory, before anything is written. */
export type RenderedEntry =
  | { kind: 'dir'; path: string }
  // Text files are written with their mode under the umask, binaries copied with it exactly (as fs-extra does).
  | { kind: 'file'; path: string; content: Buffer; mode: number; exactMode?: boolean }
  | { kind: 'symlink'; path: string; linkTarget: string };

/** The inputs of Backstage's fetch:template that change how a skeleton renders. */
export interface RenderOptions {
  copyWithoutTemplating?: string[];
  templateFileExtension?: boolean | string;
  /** SCM hosts the parseRepoUrl/projectSlug filters accept, beyond Backstage's defaults. */
  scmHosts?: Readonly<Record<string, string>>;
}

export class TemplateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

// Backstage lists entries with globby 11 and exactly these options.
const LIST_OPTIONS = { dot: true, onlyFiles: false, markDirectories: true, followSymbolicLinks: false } as const;

/**
 * Renders a skeleton the way Backstage's fetch:template does (plugin-scaffolder-backend 4.x,
 * templateActionHandler): same entry list, same path and content rendering, same skip rules, same
 * "first writer wins" for entries that render to one path. Writes nothing.
 */
export async function renderTemplate(
  templateDir: string,
  values: Record<string, unknown>,
  options: RenderOptions = {},
): Promise<RenderedEntry[]> {
  const extension = resolveExtension(options);
  const entries = await globby('**/*', { cwd: templateDir, ...LIST_OPTIONS });
  const copyOnly = new Set(await globby(options.copyWithoutTemplating ?? [], { cwd: templateDir, ...LIST_OPTIONS }));
  const renderer = createTemplateRenderer({
    filters: createDefaultFilters({ ...DEFAULT_SCM_HOSTS, ...options.scmHosts }),
    globals: {},
    allowRegexExecution: true,
  });
  const context = renderer.prepareContext({ values: values as TemplateValue });
  const render = (source: string, where: string) => {
    try {
      return renderer.render(source, context);
    } catch (error) {
      throw new TemplateError(`Cannot render ${where}: ${(error as Error).message}`, { cause: error });
    }
  };

  const produced = new Set<string>();
  const result: RenderedEntry[] = [];
  for (const location of entries) {
    let renderContents: boolean;
    let outputPath = location;
    if (extension) {
      renderContents = path.extname(outputPath) === extension;
      if (renderContents) outputPath = outputPath.slice(0, -extension.length);
    } else {
      renderContents = !copyOnly.has(location);
    }
    outputPath = render(outputPath, `the path of ${location}`);
    // An empty segment marks a conditional entry that rendered to nothing: skip it and, since
    // its children's paths then start with '/' or contain '//', its subtree.
    if (outputPath === '' || outputPath.startsWith('/') || outputPath.includes('//')) continue;
    const relative = safeRelativePath(outputPath, location);
    if (produced.has(relative)) continue;

    if (location.endsWith('/')) {
      result.push({ kind: 'dir', path: relative });
    } else {
      const source = path.join(templateDir, location);
      const stats = await lstat(source);
      if (stats.isSymbolicLink()) {
        result.push({ kind: 'symlink', path: relative, linkTarget: await readlink(source) });
      } else if (await isBinaryFile(source)) {
        result.push({ kind: 'file', path: relative, content: await readFile(source), mode: stats.mode & 0o7777, exactMode: true });
      } else {
        const text = await readFile(source, 'utf-8');
        const content = renderContents ? render(text, location) : text;
        result.push({ kind: 'file', path: relative, content: Buffer.from(content, 'utf-8'), mode: stats.mode & 0o7777 });
      }
    }
    markProduced(produced, relative);
  }
  return result;
}

function resolveExtension({ templateFileExtension, copyWithoutTemplating }: RenderOptions): string | undefined {
  if (copyWithoutTemplating && !Array.isArray(copyWithoutTemplating)) {
    throw new TemplateError('Fetch action input copyWithoutTemplating must be an Array');
  }
  if (!templateFileExtension) return undefined;
  if (copyWithoutTemplating) {
    throw new TemplateError('Fetch action input extension incompatible with copyWithoutTemplating and cookiecutterCompat');
  }
  const extension = templateFileExtension === true ? '.njk' : templateFileExtension;
  return extension.startsWith('.') ? extension : `.${extension}`;
}

/** The output path, normalised, or an error when it would leave the target (as resolveSafeChildPath). */
function safeRelativePath(outputPath: string, location: string): string {
  if (outputPath.includes('\0')) {
    throw new TemplateError(`The template entry ${location} renders to a path with a NUL character, which no file system accepts`);
  }
  const normalised = path.posix.normalize(outputPath).replace(/\/+$/, '');
  if (normalised === '.' || normalised === '..' || normalised.startsWith('../') || path.isAbsolute(normalised)) {
    throw new TemplateError(`The template entry ${location} renders to "${outputPath}", which is outside the target directory`);
  }
  return normalised;
}

/** Once a path is written, it and its parent directories exist: later entries for them are skipped. */
function markProduced(produced: Set<string>, relative: string) {
  for (let p = relative; p !== '.' && p !== ''; p = path.posix.dirname(p)) produced.add(p);
}
