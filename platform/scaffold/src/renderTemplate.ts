import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import globby from 'globby';
import { isBinaryFile } from 'isbinaryfile';
import { createTemplateRenderer, type TemplateValue } from 'nunjitsu';
import { createDefaultFilters, DEFAULT_SCM_HOSTS } from './filters.js';
import { readOnce } from './keptTemplates.js';

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
  /** `{{ }}` tags and the values under `cookiecutter` rather than `values`, as for fetch:cookiecutter templates. */
  cookiecutterCompat?: boolean;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  /** SCM hosts the parseRepoUrl/projectSlug filters accept, beyond Backstage's defaults. */
  scmHosts?: Readonly<Record<string, string>>;
}

/**
 * What is already in the directory a skeleton renders into (earlier steps' files), and whether
 * entries replace it: fetch:template skips an entry whose path exists unless `replace` is set.
 */
export interface RenderTarget {
  exists(relativePath: string): boolean;
  replace?: boolean;
}

export class TemplateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

// Backstage lists entries with globby 11 and exactly these options.
const LIST_OPTIONS = { dot: true, onlyFiles: false, markDirectories: true, followSymbolicLinks: false } as const;

/** A skeleton read into memory once, to render any number of times. */
export interface Skeleton {
  readonly dir: string;
  readonly entries: readonly SkeletonEntry[];
  readonly renderOptions: RenderOptions;
}

type SkeletonEntry =
  | { location: string; kind: 'dir'; renderContents: boolean }
  | { location: string; kind: 'symlink'; renderContents: boolean; linkTarget: string }
  | { location: string; kind: 'binary'; renderContents: boolean; content: Buffer; mode: number }
  | { location: string; kind: 'text'; renderContents: boolean; text: string; mode: number };

/**
 * Reads a skeleton the way Backstage's fetch:template lists it (plugin-scaffolder-backend 4.x,
 * templateActionHandler): globby's entries, copy-only patterns, the template file extension, and
 * which files are binary or symlinks.
 */
export function loadSkeleton(templateDir: string, options: RenderOptions = {}): Promise<Skeleton> {
  return readOnce(templateDir, `skeleton\0${JSON.stringify(options)}`, () => readSkeleton(templateDir, options));
}

async function readSkeleton(templateDir: string, options: RenderOptions): Promise<Skeleton> {
  const extension = resolveExtension(options);
  const locations = await globby('**/*', { cwd: templateDir, ...LIST_OPTIONS });
  const copyOnly = new Set(await globby(options.copyWithoutTemplating ?? [], { cwd: templateDir, ...LIST_OPTIONS }));
  // Each file read once, synchronously: a skeleton is small, and a cold `idp new` would otherwise
  // wait on a few hundred thread-pool round trips. isBinaryFile looks at the first 512 bytes either way.
  const entries = await Promise.all(
    locations.map(async (location): Promise<SkeletonEntry> => {
      const renderContents = extension ? path.extname(location) === extension : !copyOnly.has(location);
      if (location.endsWith('/')) return { location, kind: 'dir', renderContents };
      const source = path.join(templateDir, location);
      const stats = lstatSync(source);
      if (stats.isSymbolicLink()) return { location, kind: 'symlink', renderContents, linkTarget: readlinkSync(source) };
      const content = readFileSync(source);
      if (await isBinaryFile(content, content.length))
        return { location, kind: 'binary', renderContents, content, mode: stats.mode & 0o7777 };
      return { location, kind: 'text', renderContents, text: content.toString('utf-8'), mode: stats.mode & 0o7777 };
    }),
  );
  return { dir: templateDir, entries, renderOptions: options };
}

/**
 * Renders a loaded skeleton with Backstage's rules: paths and contents rendered with nunjitsu as
 * fetch:template configures it, conditional entries skipped with their subtree, binaries and
 * symlinks copied, "first writer wins" for entries that render to one path (or to a path the
 * target already has, unless it asks to replace). Writes nothing.
 */
export function renderSkeleton(skeleton: Skeleton, values: Record<string, unknown> | undefined, target?: RenderTarget): RenderedEntry[] {
  const extension = resolveExtension(skeleton.renderOptions);
  const render = fetchRenderer(skeleton.renderOptions, values);

  const produced = new Set<string>();
  const result: RenderedEntry[] = [];
  for (const entry of skeleton.entries) {
    let outputPath = entry.location;
    if (extension && entry.renderContents) outputPath = outputPath.slice(0, -extension.length);
    outputPath = render(outputPath, `the path of ${entry.location}`);
    // An empty segment marks a conditional entry that rendered to nothing: skip it and, since
    // its children's paths then start with '/' or contain '//', its subtree.
    if (outputPath === '' || outputPath.startsWith('/') || outputPath.includes('//')) continue;
    const relative = safeRelativePath(outputPath, entry.location);
    if (!target?.replace && (produced.has(relative) || target?.exists(relative))) continue;
    if (entry.kind === 'dir') result.push({ kind: 'dir', path: relative });
    else if (entry.kind === 'symlink') result.push({ kind: 'symlink', path: relative, linkTarget: entry.linkTarget });
    else if (entry.kind === 'binary')
      result.push({ kind: 'file', path: relative, content: entry.content, mode: entry.mode, exactMode: true });
    else {
      const content = entry.renderContents ? render(entry.text, entry.location) : entry.text;
      result.push({ kind: 'file', path: relative, content: Buffer.from(content, 'utf-8'), mode: entry.mode });
    }
    markProduced(produced, relative);
  }
  return result;
}

/**
 * A text renderer as fetch:template and fetch:template:file configure nunjitsu: the default
 * filters, the values under `values` (or `cookiecutter`), and the whitespace options. Text without
 * a tag opener is returned as it is, without the engine.
 */
export function fetchRenderer(
  options: RenderOptions,
  values: Record<string, unknown> | undefined,
): (source: string, where: string) => string {
  const { cookiecutterCompat, trimBlocks, lstripBlocks, scmHosts } = options;
  const renderer = createTemplateRenderer({
    filters: createDefaultFilters({ ...DEFAULT_SCM_HOSTS, ...scmHosts }),
    globals: {},
    allowRegexExecution: true,
    cookiecutterCompat,
    trimBlocks,
    lstripBlocks,
  });
  const context = renderer.prepareContext({ [cookiecutterCompat ? 'cookiecutter' : 'values']: values as TemplateValue });
  return (source, where) => {
    if (isPlainText(source, cookiecutterCompat)) return source;
    try {
      return renderer.render(source, context);
    } catch (error) {
      throw new TemplateError(`Cannot render ${where}: ${(error as Error).message}`, { cause: error });
    }
  };
}

/** Reads and renders a skeleton in one go. */
export async function renderTemplate(
  templateDir: string,
  values: Record<string, unknown>,
  options: RenderOptions = {},
): Promise<RenderedEntry[]> {
  return renderSkeleton(await loadSkeleton(templateDir, options), values);
}

/**
 * Text with no tag opener (and no stray comment closer, which nunjitsu rejects) renders to itself;
 * skipping the engine for it keeps renders fast. plainText.test.ts proves the equivalence on
 * generated text.
 */
export function isPlainText(source: string, cookiecutterCompat = false): boolean {
  const opener = cookiecutterCompat ? '{{' : '${{';
  return !source.includes(opener) && !source.includes('{%') && !source.includes('{#') && !source.includes('#}');
}

function resolveExtension(options: RenderOptions): string | undefined {
  const { templateFileExtension, copyWithoutTemplating } = options;
  if (copyWithoutTemplating && !Array.isArray(copyWithoutTemplating)) {
    throw new TemplateError('Fetch action input copyWithoutTemplating must be an Array');
  }
  if (!templateFileExtension) return undefined;
  if (copyWithoutTemplating || options.cookiecutterCompat) {
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
