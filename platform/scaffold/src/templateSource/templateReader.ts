import path from 'node:path';
import type { TemplateProvenance } from '@idp/service-spec';
import { loadTemplateDefinition, type TemplateDefinition } from '../backstageTemplate/templateDefinition.js';
import { gitText } from '../git/runGit.js';
import type { TemplateSource } from './openTemplateSource.js';
import { resolveTemplateCommit } from './resolveTemplateCommit.js';
import { templateProvenance } from './templateProvenance.js';
import { templatesAt, type TemplatesCheckout } from './templatesAt.js';

/**
 * An opened templates source read at commits: each commit's templates unpacked once, each template
 * parsed once and each question git can answer asked once, all kept until release(). One upgrade
 * holds one; a fleet run holds one per source for all its services, so a hundred services behind
 * the same release cost one `git archive` of it, not two hundred.
 */
export interface TemplateReader {
  readonly source: TemplateSource;
  /** The template in `folder` at `commit`; without a commit, a local checkout as it is now (or a URL's newest). */
  definition(commit: string | undefined, folder: string): Promise<TemplateDefinition>;
  /** What a render of `folder` at `commit` records (templateProvenance). */
  provenance(folder: string, commit?: string): Promise<TemplateProvenance>;
  /** A `--to`/`--from` (commit, tag or template version) as a commit (resolveTemplateCommit). */
  resolve(templatePath: string, ref: string, flag?: string): Promise<string>;
  /** Whether the source's history has this commit. */
  hasCommit(commit: string): Promise<boolean>;
  /** Removes the unpacked checkouts; the reader must not be used after. */
  release(): Promise<void>;
}

export function openTemplateReader(source: TemplateSource): TemplateReader {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key) as Promise<T>;
  };
  const checkouts = new Map<string, Promise<TemplatesCheckout>>();
  const checkout = (commit: string | undefined) => {
    const key = commit ?? '';
    if (!checkouts.has(key)) checkouts.set(key, templatesAt(source, commit));
    return checkouts.get(key)!;
  };
  return {
    source,
    definition: (commit, folder) =>
      once(`definition\0${commit ?? ''}\0${folder}`, async () =>
        loadTemplateDefinition(path.join((await checkout(commit)).templatesRoot, folder)),
      ),
    provenance: (folder, commit) => once(`provenance\0${folder}\0${commit ?? ''}`, () => templateProvenance(source, folder, commit)),
    resolve: (templatePath, ref, flag) =>
      once(`resolve\0${templatePath}\0${ref}\0${flag ?? ''}`, () => resolveTemplateCommit(source, templatePath, ref, flag)),
    hasCommit: (commit) =>
      once(`has\0${commit}`, async () =>
        source.packaged
          ? source.packaged.commit === commit
          : source.gitDir !== undefined &&
            gitText(['cat-file', '-e', `${commit}^{commit}`], { cwd: source.gitDir }).then(
              () => true,
              () => false,
            ),
      ),
    async release() {
      const opened = await Promise.allSettled(checkouts.values());
      checkouts.clear();
      memo.clear();
      await Promise.all(opened.map((result) => (result.status === 'fulfilled' ? result.value.release() : undefined)));
    },
  };
}
