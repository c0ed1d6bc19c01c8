import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder a fleet run works in (clones, renders), and how to remove it. */
export interface ScratchFolder {
  readonly dir: string;
  release(): Promise<void>;
}

const PREFIX = 'idp-fleet-';
// idp-fleet-<pid>-<mkdtemp's six characters>: the pid says whether the run that made it still lives.
const OWN_FOLDER = /^idp-fleet-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * Makes this run's scratch folder under `base` (default: the temporary folder), first removing the
 * ones runs of this user left when they were killed (their process is gone): a SIGKILL leaves its
 * clones and renders behind, and the next run sweeps them.
 */
export async function openScratchFolder(base = tmpdir()): Promise<ScratchFolder> {
  await sweepAbandoned(base);
  const dir = await mkdtemp(join(base, `${PREFIX}${process.pid}-`));
  return { dir, release: () => rm(dir, { recursive: true, force: true }) };
}

async function sweepAbandoned(base: string): Promise<void> {
  const names = await readdir(base).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(OWN_FOLDER.exec(name)?.[1] ?? Number.NaN);
      if (!Number.isInteger(pid) || isRunning(pid)) return;
      const dir = join(base, name);
      const info = await lstat(dir).catch(() => undefined);
      // Only this user's folders (the temporary folder is shared), never through a symlink.
      if (!info?.isDirectory() || info.uid !== process.getuid?.()) return;
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }),
  );
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
