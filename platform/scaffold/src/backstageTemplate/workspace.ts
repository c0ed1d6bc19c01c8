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

  /** The entry at `relative`, if a file or link is there (not a directory). */
  read(relative: string): RenderedEntry | undefined {
    return this.#entries.get(relative);
  }

  /** Workspace paths of every file, link and explicit directory, in the order written. */
  paths(): string[] {
    return [...this.#entries.keys()];
  }

  /** Removes `relative` and everything under it, as fs-extra's remove does; nothing there is no error. */
  remove(relative: string): void {
    for (const key of [...this.#entries.keys()]) {
      if (relative === '' || key === relative || key.startsWith(`${relative}/`)) this.#entries.delete(key);
    }
    this.#rebuildParents();
  }

  /**
   * Moves `from` (and what is under it) to `to`, as fs-extra's move does: an existing destination
   * is refused unless `overwrite`, which removes it first.
   */
  move(from: string, to: string, overwrite: boolean): void {
    if (!this.exists(from) || from === '') throw new TemplateError(`Cannot move ${from || '.'}: nothing is there`);
    if (this.exists(to)) {
      if (!overwrite) throw new TemplateError(`Cannot move ${from} to ${to}: dest already exists.`);
      this.remove(to);
    }
    const moved = [...this.#entries.values()].filter((e) => e.path === from || e.path.startsWith(`${from}/`));
    this.remove(from);
    for (const entry of moved) this.write({ ...entry, path: to + entry.path.slice(from.length) });
  }

  #rebuildParents() {
    this.#parents.clear();
    for (const key of this.#entries.keys()) {
      for (let dir = path.posix.dirname(key); dir !== '.'; dir = path.posix.dirname(dir)) this.#parents.add(dir);
    }
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
