import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { idpCacheDir } from './idpCacheDir.js';

/**
 * Requires a bundle that sits beside the package's main one (dist/prompts.cjs, dist/github.cjs) the
 * first time a command needs it (scripts/packCli.mjs routes their imports here). With a full
 * require: inside the startup snapshot the bundle's own require knows built-ins only. The compile
 * cache is turned on first: bin/idp.cjs did so before the main bundle loaded, a run from the
 * snapshot did not, and a sibling is 0.6–1.3 MB of JavaScript to compile. node:module is taken
 * here, not imported, so the snapshot holds none of its state and a run that loads no sibling
 * never pays for it. Node.js 22.0–22.2 have no getBuiltinModule (the bundle's require serves), and
 * 22.0 no compile cache: there a sibling only loads slower.
 */
export function loadSibling(file: string): unknown {
  const nodeModule = process.getBuiltinModule?.('node:module') ?? (require('node:module') as typeof import('node:module'));
  nodeModule.enableCompileCache?.(path.join(idpCacheDir(), 'compile-cache'));
  return nodeModule.createRequire(fileURLToPath(import.meta.url))(`./${file}`);
}
