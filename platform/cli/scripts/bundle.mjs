// Bundles the CLI's hot path (commands, spec, scaffold, zod, nunjitsu, yaml, globby) into a few
// files: a cold `idp new` spends most of its time resolving and compiling modules, and a bundle
// halves that (bench/cli-new.mjs measures it). Prompts (node-plop) and publishing (@idp/github)
// stay ordinary imports, loaded only by the commands that use them.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { nunjitsuOnce } from './nunjitsuOnce.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: packageDir,
  entryPoints: ['dist/main.js'],
  outdir: 'dist-bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  external: ['node-plop', '@idp/github'],
  plugins: [nunjitsuOnce],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __idpCreateRequire } from 'node:module'; const require = __idpCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
