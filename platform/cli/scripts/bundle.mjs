// Bundles the CLI's hot path (commands, spec, scaffold, zod, nunjitsu, yaml, globby) into a few
// files: a cold `idp new` spends most of its time resolving and compiling modules, and a bundle
// halves that (bench/cli-new.mjs measures it). Prompts (node-plop) stay an ordinary import.
// Publishing and fleets (@idp/github) are chunks of the bundle, loaded only by the commands that
// use them: bundled, they share its one @idp/scaffold, zod and nunjitsu (parsed once, see
// nunjitsuOnce.mjs) instead of loading a second, unmemoised copy from node_modules.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nunjitsuOnce } from './nunjitsuOnce.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// A fresh folder: chunks of earlier builds would otherwise pile up beside the ones in use.
rmSync(new URL('../dist-bundle', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: packageDir,
  entryPoints: ['dist/main.js'],
  outdir: 'dist-bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  external: ['node-plop'],
  plugins: [nunjitsuOnce],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __idpCreateRequire } from 'node:module'; const require = __idpCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
