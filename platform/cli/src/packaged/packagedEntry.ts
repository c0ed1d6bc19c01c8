// The entry of the installed package's bundle (dist/idp.cjs, built by scripts/packCli.mjs). Run by
// bin/idp.cjs as plain JavaScript, or by `node --build-snapshot` at install time: then it warms up
// and the snapshot's main function runs each later `idp` (docs/adr/0013-cli-distribution.md).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import * as scaffold from '@idp/scaffold';
import * as spec from '@idp/service-spec';
import { main } from '../main.js';
import { type StartupMode, startup } from '../shared/startup.js';
import { SHARED_MODULES } from './sharedModules.js';
import { packagedTemplates } from './unpackTemplates.js';
import { warmUp } from './warmUp.js';

// dist/github.cjs (publishing, fleets) is a bundle of its own, loaded when a command needs it;
// it takes these two from here so there is one InvalidInputError class, one zod, one contract cache.
(globalThis as Record<symbol, unknown>)[SHARED_MODULES] = { '@idp/service-spec': spec, '@idp/scaffold': scaffold };

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function prepare(mode: StartupMode): void {
  startup.mode = mode;
  startup.packageDir = packageDir;
  scaffold.setPackagedTemplates(() => packagedTemplates(packageDir));
}

async function run(argv: string[], mode: StartupMode): Promise<void> {
  prepare(mode);
  // A reader that stops early (`idp templates | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(argv);
  // The command is done: end here instead of letting Node free the heap page by page (about 10 ms
  // of a 250 ms run from the snapshot). Only once the output is all written (a pipe on macOS is
  // written asynchronously); otherwise the process ends as usual when it is.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}

if (v8.startupSnapshot?.isBuildingSnapshot()) {
  // `node --snapshot-blob … -- ARGS`: argv is [node, ...ARGS].
  v8.startupSnapshot.setDeserializeMainFunction(() => run(process.argv.slice(1), 'snapshot'));
  warmUp(packageDir).catch((error: Error) => {
    process.stderr.write(`idp: the startup snapshot's warm-up failed: ${error.stack}\n`);
    process.exit(1);
  });
} else {
  // `node bin/idp.cjs ARGS`.
  void run(process.argv.slice(2), 'package');
}
