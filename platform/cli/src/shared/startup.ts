/** How this process started: the repository's bin, or the installed package with or without its startup snapshot. */
export type StartupMode = 'repository' | 'package' | 'snapshot';

/** Set once by the package's entry (src/packaged/); read by `idp doctor`. */
export const startup: { mode: StartupMode; packageDir?: string } = { mode: 'repository' };
