import type { RunOptions } from '@idp/scaffold';

/** A terminal reads the files a template's parameters name from the user's own folders, and the Hub with $HF_TOKEN. */
export function cliModelFiles(): NonNullable<RunOptions['modelFiles']> {
  const hfToken = process.env.HF_TOKEN;
  return { localFiles: { baseDir: process.cwd(), confined: false }, ...(hfToken ? { hfToken } : {}) };
}
