import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/** A generated file as both doors can describe it: its bytes and whether it is executable. */
export interface GeneratedFile {
  content: Buffer;
  executable: boolean;
}

/** Generated files by their posix path relative to the repository root. */
export type GeneratedFiles = Map<string, GeneratedFile>;

/** The files of a dry-run response (POST /api/scaffolder/v2/dry-run). */
export function filesFromDryRun(directoryContents: Array<{ path: string; executable?: boolean; base64Content: string }>): GeneratedFiles {
  return new Map(
    directoryContents.map(file => [file.path, { content: Buffer.from(file.base64Content, 'base64'), executable: Boolean(file.executable) }]),
  );
}

/** The files under a directory `idp new` wrote: bytes (a link's target for a symlink) and the executable bit. */
export async function filesFromDisk(dir: string): Promise<GeneratedFiles> {
  const files: GeneratedFiles = new Map();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file).split(path.sep).join('/');
    if (entry.isSymbolicLink()) files.set(relative, { content: Buffer.from(await readlink(file)), executable: false });
    else if (entry.isFile()) files.set(relative, { content: await readFile(file), executable: ((await lstat(file)).mode & 0o111) !== 0 });
  }
  return files;
}
