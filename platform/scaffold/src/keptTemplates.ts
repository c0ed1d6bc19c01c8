import path from 'node:path';

/**
 * Folders whose templates never change while they are declared (the installed CLI's unpacked
 * templates, named by their archive's digest; a template commit unpacked for an upgrade): what is
 * read from under them (skeletons, template.yaml definitions) is read once and kept, so a startup
 * snapshot holds it already read and a fleet run reads each template commit once, not per service.
 */
const unchangingRoots: string[] = [];
const kept = new Map<string, Promise<unknown>>();

/**
 * Declares `dir` unchanging; the function returned forgets it and what was kept from under it
 * (call it before the folder is removed, so nothing read from it outlives it).
 */
export function keepSkeletonsUnder(dir: string): () => void {
  const root = dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
  if (!unchangingRoots.includes(root)) unchangingRoots.push(root);
  return () => {
    const at = unchangingRoots.indexOf(root);
    if (at >= 0) unchangingRoots.splice(at, 1);
    for (const key of kept.keys()) if (key.startsWith(root)) kept.delete(key);
  };
}

/** Whether dir lies under a folder declared by keepSkeletonsUnder. */
export function neverChanges(dir: string): boolean {
  return unchangingRoots.some((root) => dir.startsWith(root));
}

/** `read()` of something under `dir`, once per `key` while dir never changes; every time otherwise. A failed read is not kept. */
export function readOnce<T>(dir: string, key: string, read: () => Promise<T>): Promise<T> {
  if (!neverChanges(dir)) return read();
  const name = `${dir}${path.sep}\0${key}`;
  let value = kept.get(name) as Promise<T> | undefined;
  if (!value) {
    value = read();
    kept.set(name, value);
    value.catch(() => kept.delete(name));
  }
  return value;
}
