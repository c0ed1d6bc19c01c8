// `npm run pack:cli`: the npm package of the idp command, installable without this repository and
// without a registry (`npm install -g ./idp-cli-<version>.tgz --offline`). Everything it runs is
// bundled (no dependencies to fetch); the templates and the default contract travel inside, at the
// paths they have here, so the code finds them the same way. See docs/adr/0013-cli-distribution.md.
//
// Usage: node platform/cli/scripts/packCli.mjs [--out DIR]   (after `npm run build`; default DIR: dist/)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nunjitsuOnce } from './nunjitsuOnce.mjs';
import { LONG_COMMANDS, SHORT_COMMAND_V8_FLAGS } from './v8StartFlags.mjs';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = path.resolve(cliDir, '../..');
const outIndex = process.argv.indexOf('--out');
const outDir = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : path.join(repoRoot, 'dist'));
const cli = JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf-8'));

// Lazily loaded bundles beside dist/idp.cjs, the bare imports that load them, and what of the
// bundle the import is (node-plop is imported for its default export). The form libraries
// (react-jsonschema-form's utilities and ajv: only templates that are not ours need them, see
// formLibraries.ts) are one bundle, so ajv-errors extends the very ajv the validator made; kept out
// of dist/idp.cjs, their 480 kB of source is not in the startup snapshot every run reads.
const SIBLINGS = {
  'node-plop': { file: 'prompts.cjs', take: '.default' },
  '@idp/github': { file: 'github.cjs', take: '' },
  '@rjsf/utils': { file: 'forms.cjs', take: '.utils' },
  '@rjsf/validator-ajv8': { file: 'forms.cjs', take: '.validatorAjv8' },
  'ajv-errors': { file: 'forms.cjs', take: '.ajvErrors' },
};
const FORMS_ENTRY = [
  "export * as utils from '@rjsf/utils';",
  "export * as validatorAjv8 from '@rjsf/validator-ajv8';",
  "import ajvErrors from 'ajv-errors';",
  'export { ajvErrors };',
].join('\n');
// In a CommonJS bundle import.meta.url is this file's URL.
const BANNER = "const __idpModuleUrl = require('node:url').pathToFileURL(__filename).href;";
// What loads a sibling bundle (with the compile cache on, from the snapshot too).
const LOAD_SIBLING = path.join(cliDir, 'dist/packaged/loadSibling.js');
// Same input, same bytes: names sorted, no owners, one fixed time.
const DETERMINISTIC_TAR = ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=1985-10-26 08:15Z'];
const COMMON = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  // import() cannot run inside a startup snapshot: every import() becomes a require().
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__idpModuleUrl' },
  banner: { js: BANNER },
  logLevel: 'warning',
  legalComments: 'none',
  // No comments or indentation (names stay, for readable stack traces): the source is kept in the
  // startup snapshot, and one non-ASCII character in a comment would store all of it at two bytes
  // a character.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
};

/** Bare imports answered by a sibling bundle, loaded on first use. */
const siblingBundles = {
  name: 'idp-sibling-bundles',
  setup(b) {
    const filter = new RegExp(
      `^(${Object.keys(SIBLINGS)
        .map((name) => name.replace('/', '\\/'))
        .join('|')})$`,
    );
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'idp-sibling' }));
    b.onLoad({ filter: /.*/, namespace: 'idp-sibling' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(LOAD_SIBLING)}).loadSibling(${JSON.stringify(SIBLINGS[args.path].file)})${SIBLINGS[args.path].take};`,
      loader: 'js',
      resolveDir: cliDir,
    }));
  },
};

/**
 * zod's error messages in its 50 other languages (400 kB of the bundle, all of it in the startup
 * snapshot): the CLI speaks English, so each one answers with the English messages.
 */
const englishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/][^\\/]+\.js$/ }, (args) => {
      const name = path.basename(args.path);
      return name === 'en.js' || name === 'index.js' ? undefined : { contents: "export { default } from './en.js';", loader: 'js' };
    });
  },
};

/** @idp/service-spec and @idp/scaffold as the main bundle left them (src/packaged/packagedEntry.ts). */
const sharedModules = {
  name: 'idp-shared-modules',
  setup(b) {
    b.onResolve({ filter: /^@idp\/(service-spec|scaffold)$/ }, (args) => ({ path: args.path, namespace: 'idp-shared' }));
    b.onLoad({ filter: /.*/, namespace: 'idp-shared' }, (args) => ({
      contents: `module.exports = globalThis[Symbol.for('idp.sharedModules')][${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};

function git(args) {
  const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf-8' });
  return result.status === 0 ? result.stdout.trim() : '';
}

/** Where the packaged templates came from: what a render records as its provenance. */
async function packagedSource(templateNames) {
  const { templateDigest, loadTemplateDefinition } = await import('@idp/scaffold');
  const clean = git(['status', '--porcelain', '--', 'templates']) === '' && git(['rev-parse', '--is-inside-work-tree']) === 'true';
  const repository = typeof cli.repository === 'string' ? cli.repository : (cli.repository?.url ?? '');
  const versions = {};
  const digests = {};
  for (const name of templateNames) {
    const dir = path.join(repoRoot, 'templates', name);
    versions[name] = (await loadTemplateDefinition(dir)).version;
    digests[name] = await templateDigest(dir);
  }
  return {
    package: `${cli.name}@${cli.version}`,
    // A render records this repository and commit, so `idp upgrade --templates <repository>` finds it.
    repository: repository.replace(/^git\+/, ''),
    commit: clean ? git(['rev-parse', 'HEAD']) : '',
    templatesPath: 'templates',
    versions,
    digests,
  };
}

const staging = mkdtempSync(path.join(tmpdir(), 'idp-pack-'));
const pkg = path.join(staging, 'package');
try {
  cpSync(path.join(cliDir, 'package'), pkg, { recursive: true });
  const launcher = path.join(pkg, 'bin', 'idp');
  writeFileSync(
    launcher,
    readFileSync(launcher, 'utf-8')
      .replace('@IDP_VERSION@', cli.version)
      .replace('@IDP_LONG_COMMANDS@', LONG_COMMANDS.join(' | '))
      .replace('@IDP_SHORT_COMMAND_V8_FLAGS@', SHORT_COMMAND_V8_FLAGS.join(' ')),
  );
  chmodSync(launcher, 0o755);

  await build({
    ...COMMON,
    absWorkingDir: cliDir,
    entryPoints: ['dist/packaged/packagedEntry.js'],
    outfile: path.join(pkg, 'dist', 'idp.cjs'),
    plugins: [nunjitsuOnce, siblingBundles, englishOnly],
  });
  await build({
    ...COMMON,
    absWorkingDir: cliDir,
    entryPoints: ['@idp/github'],
    outfile: path.join(pkg, 'dist', 'github.cjs'),
    plugins: [sharedModules],
  });
  await build({ ...COMMON, absWorkingDir: cliDir, entryPoints: ['node-plop'], outfile: path.join(pkg, 'dist', 'prompts.cjs') });
  await build({
    ...COMMON,
    absWorkingDir: cliDir,
    stdin: { contents: FORMS_ENTRY, resolveDir: path.join(repoRoot, 'platform/scaffold'), loader: 'js' },
    outfile: path.join(pkg, 'dist', 'forms.cjs'),
  });

  // Templates as released (tests and release notes stay here), and the default contract.
  const templateNames = readdirSync(path.join(repoRoot, 'templates')).filter((name) =>
    existsSync(path.join(repoRoot, 'templates', name, 'template.yaml')),
  );
  for (const name of templateNames) {
    cpSync(path.join(repoRoot, 'templates', name), path.join(pkg, 'templates', name), {
      recursive: true,
      filter: (source) => path.relative(path.join(repoRoot, 'templates', name), source).split(path.sep)[0] !== 'test',
    });
  }
  writeFileSync(path.join(pkg, 'templates', '.idp-source.json'), `${JSON.stringify(await packagedSource(templateNames), null, 2)}\n`);
  // An archive, not a folder: npm renames each .gitignore it installs (src/packaged/unpackTemplates.ts).
  // Named by its digest: the folder it unpacks to is too, so a cache never serves other templates.
  const archive = path.join(pkg, 'templates.tar');
  execFileSync('tar', [...DETERMINISTIC_TAR, '-cf', archive, '-C', pkg, 'templates']);
  const digest = createHash('sha256').update(readFileSync(archive)).digest('hex').slice(0, 16);
  renameSync(archive, path.join(pkg, `templates-${digest}.tar`));
  rmSync(path.join(pkg, 'templates'), { recursive: true });
  mkdirSync(path.join(pkg, 'platform', 'contracts'), { recursive: true });
  cpSync(path.join(repoRoot, 'platform/contracts/default.yaml'), path.join(pkg, 'platform/contracts/default.yaml'));

  writeFileSync(
    path.join(pkg, 'package.json'),
    `${JSON.stringify(
      {
        name: cli.name,
        version: cli.version,
        description: cli.description,
        // Installed from a tarball or an internal registry; never the public one by accident.
        private: true,
        license: 'UNLICENSED',
        engines: cli.engines,
        os: ['linux', 'darwin'],
        bin: { idp: 'bin/idp' },
        scripts: { postinstall: 'node scripts/buildSnapshot.cjs' },
      },
      null,
      2,
    )}\n`,
  );

  // `idp --help` as commander prints it off a terminal, for bin/idp.cjs to print without loading the bundle.
  const help = spawnSync(process.execPath, [path.join(pkg, 'dist', 'idp.cjs'), '--help'], { encoding: 'utf-8', cwd: staging });
  if (help.status !== 0 || !help.stdout.includes('Usage: idp')) throw new Error(`idp --help failed in the package: ${help.stderr}`);
  writeFileSync(path.join(pkg, 'dist', 'help.txt'), help.stdout);

  // tar, not `npm pack`: npm never packs a .gitignore and applies each one's rules to its folder.
  // npm installs any gzipped tar of package/.
  mkdirSync(outDir, { recursive: true });
  const tarball = path.join(outDir, `${cli.name.replace(/^@/, '').replace('/', '-')}-${cli.version}.tgz`);
  execFileSync('tar', [...DETERMINISTIC_TAR, '-czf', tarball, '-C', staging, 'package']);
  process.stdout.write(`${tarball}\n`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
