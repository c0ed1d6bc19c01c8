// A child for kill.e2e.test.ts: writes rendered entries with the writer `idp new` uses (with
// --force when the fourth argument says so) and, at the staging step numbered by its third
// argument, says "paused" and waits to be killed there.
import { readFileSync } from 'node:fs';

const { writeAtomically } = await import(new URL('../../scaffold/dist/writeAtomically.js', import.meta.url).href);
const [entriesFile, target, pauseAt, force] = process.argv.slice(2);
const entries = JSON.parse(readFileSync(entriesFile, 'utf-8')).map((e) =>
  e.kind === 'file' ? { ...e, content: Buffer.from(e.content, 'base64') } : e,
);
let step = 0;
await writeAtomically(entries, target, {
  force: force === 'force',
  onStep: (name) => {
    if (step++ !== Number(pauseAt)) return undefined;
    process.stdout.write(`paused at ${name}\n`);
    return new Promise(() => setInterval(() => {}, 60_000)); // keeps the process alive until the kill
  },
});
process.stdout.write('finished without pausing\n');
