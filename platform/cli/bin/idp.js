#!/usr/bin/env node
// The idp command. Checked before anything loads: the platform needs Node 22 or 24 (see docs/adr).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `idp needs Node.js 22 or 24, but this is ${process.version}.\n` +
      `Run it from the repository root with \`npx idp ...\` after the set-up script, which uses the project's Node 24.\n`,
  );
  process.exit(1);
}
// Cache compiled code on disk: most of a cold start is compiling the modules it loads.
(await import('node:module')).enableCompileCache?.();
// A reader that stops early (`idp templates | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../dist-bundle/main.js');
process.exitCode = await main(process.argv.slice(2));
