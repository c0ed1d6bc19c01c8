import path from 'node:path';
import type { RenderedEntry } from '../renderTemplate.js';
import { TemplateError } from '../renderTemplate.js';

/**
 * The scaffolder's workspace directory, in memory: what the steps of one run have written so far.
 * Writes follow the file-system calls the Backstage actions make (fs-extra's outputFile, copy,
 * ensureDir), so a later step sees exactly what it would see on disk, and nothing touches the
 * disk until the one atomic write at the end.
 */
export class Workspace {
  readonly #entries = new Map<string, RenderedEntry>();
  /** Every directory a written path lies in. */
  readonly #parents = new Set<string>();

  /** Whether a file, link or directory (explicit, or the parent of anything written) is at `relative`. */
  exists(relative: string): boolean {
    return relative === '' || this.#entries.has(relative) || this.#parents.has(relative);
  }

  isFile(relative: string): boolean {
    return this.#entries.get(relative)?.kind === 'file';
  }

  /**
   * Writes one entry. A text file written over an existing one keeps that file's mode (writeFile's
   * mode applies only when it creates the file); a copy (exactMode) sets the source's mode.
   */
  write(entry: RenderedEntry): void {
    this.#refuseThroughFile(entry.path);
    for (let dir = path.posix.dirname(entry.path); dir !== '.'; dir = path.posix.dirname(dir)) this.#parents.add(dir);
    const existing = this.#entries.get(entry.path);
    if (entry.kind === 'dir') {
      if (existing && existing.kind !== 'dir') {
        throw new TemplateError(`Cannot create the directory ${entry.path}: a file is already there`);
      }
      this.#entries.set(entry.path, entry);
      return;
    }
    if (existing?.kind === 'dir' || (!existing && this.exists(entry.path))) {
      throw new TemplateError(`Cannot write ${entry.path}: a directory is already there`);
    }
    if (entry.kind === 'file' && !entry.exactMode && existing?.kind === 'file') {
      this.#entries.set(entry.path, { ...entry, mode: existing.mode, exactMode: existing.exactMode });
      return;
    }
    this.#entries.delete(entry.path);
    this.#entries.set(entry.path, entry);
  }

  /** Everything written, in the order written (directories before their contents for the writer). */
  entries(): RenderedEntry[] {
    return [...this.#entries.values()];
  }

  /** A file or link cannot have children: refuse a path that goes through one. */
  #refuseThroughFile(relative: string) {
    for (let dir = path.posix.dirname(relative); dir !== '.'; dir = path.posix.dirname(dir)) {
      const at = this.#entries.get(dir);
      if (at && at.kind !== 'dir') throw new TemplateError(`Cannot write ${relative}: ${dir} is a file, not a directory`);
    }
  }
}
