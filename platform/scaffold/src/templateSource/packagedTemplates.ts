import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The file `npm run pack:cli` writes into the templates folder of the `idp` package: where those
 * templates were packed from. Its presence makes the folder a packaged source, read without git
 * (docs/adr/0013-cli-distribution.md).
 */
export const PACKAGED_SOURCE_FILE = '.idp-source.json';

/** What a packaged templates folder says about itself. */
export interface PackagedSource {
  /** The package that carries the templates, e.g. @idp/cli@0.1.0. */
  readonly package: string;
  /**
   * What a render records as its repository: the platform repository's git URL when the pack
   * knew it, else npm:<package>.
   */
  readonly repository: string;
  /** The platform repository commit the templates were packed from; empty when it had changes. */
  readonly commit: string;
  /** The templates folder in that repository (posix separators), e.g. templates. */
  readonly templatesPath: string;
  /** Each template's version as packed, by folder name: what `--to`/`--from` may name. */
  readonly versions: Readonly<Record<string, string>>;
  /** Each template's digest as packed (templateDigest), by folder name. */
  readonly digests: Readonly<Record<string, string>>;
}

/** The packaged-source record of a templates folder, or undefined for any other folder. */
export function readPackagedSource(templatesRoot: string): PackagedSource | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(templatesRoot, PACKAGED_SOURCE_FILE), 'utf-8');
  } catch {
    return undefined;
  }
  const data = JSON.parse(text) as Partial<PackagedSource>;
  return {
    package: String(data.package ?? ''),
    repository: String(data.repository || `npm:${data.package ?? 'unknown'}`),
    commit: String(data.commit ?? ''),
    templatesPath: String(data.templatesPath || 'templates'),
    versions: { ...(data.versions ?? {}) },
    digests: { ...(data.digests ?? {}) },
  };
}
