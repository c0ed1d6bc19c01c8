// Builds the V8 startup snapshot of idp for the Node.js running this script (docs/adr/0013):
//   node scripts/buildSnapshot.cjs [PREFIX IDENTITY]
// writes PREFIX.blob and PREFIX.stamp (IDENTITY: the node binary and install bin/idp compares; a
// stamp "failed IDENTITY" stops retries until either changes). bin/idp runs it in the background
// when it finds no snapshot; the postinstall runs it without arguments, for the installing user.
// One build at a time per snapshot: PREFIX.lock holds the builder's pid (several first runs, or a
// first run beside the postinstall, would otherwise each spend seconds of CPU on the same blob).
// Never fails: without a snapshot idp is as correct, only slower to start.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { cacheHome } = require('./cacheHome.cjs');

const pkg = path.join(__dirname, '..');
const launcher = path.join(pkg, 'bin', 'idp');

function say(text) {
  process.stderr.write(`idp: ${text}\n`);
}

/** Where bin/idp looks, and what it compares, for the node running this script. */
function defaults() {
  const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf-8')).version;
  const answer = spawnSync('sh', [launcher, '__startup_identity'], {
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
    encoding: 'utf-8',
  });
  if (answer.status !== 0 || !answer.stdout.trim()) throw new Error('could not identify the node binary');
  return [path.join(cacheHome(), 'idp', 'startup', `idp-${version}`), answer.stdout];
}

/** A build started this long ago is taken for dead even if its pid now names another process. */
const LOCK_EXPIRES_MS = 10 * 60 * 1000;

/**
 * Takes PREFIX.lock for this process (created exclusively, so of two builders one wins); false when
 * a live build holds it. A lock whose builder died (killed, machine restarted) is taken over.
 */
function lock(file) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (holderAlive(file)) return false;
    fs.rmSync(file, { force: true });
  }
  return false;
}

function holderAlive(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf-8'));
    if (Date.now() - fs.statSync(file).mtimeMs > LOCK_EXPIRES_MS || !(pid > 0)) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid is alive but another user's; ENOENT: the holder just finished.
    return error.code === 'EPERM' || error.code === 'ENOENT';
  }
}

function build(prefix, identity) {
  fs.mkdirSync(path.dirname(prefix), { recursive: true });
  const lockFile = `${prefix}.lock`;
  if (!lock(lockFile)) return;
  try {
    buildLocked(prefix, identity);
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function buildLocked(prefix, identity) {
  const scratch = fs.mkdtempSync(`${prefix}.building-`);
  try {
    // The warm-up reads only the packaged templates and contract: no user config, no IDP_* variables.
    // It unpacks the templates into the user's cache, where later runs find them (and their skeletons
    // in the snapshot, by path).
    const env = { PATH: process.env.PATH ?? '', HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: cacheHome(), NO_COLOR: '1' };
    const blob = path.join(scratch, 'idp.blob');
    // Without Node's code cache for its own modules: 5.6 of a 12.9 MB blob, which every run read and
    // copied before idp started (about 40 ms here); the modules idp runs are in the heap already.
    const config = path.join(scratch, 'snapshot.json');
    fs.writeFileSync(config, JSON.stringify({ builder: path.join(pkg, 'dist', 'idp.cjs'), withoutCodeCache: true }));
    const built = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot-config', config], {
      cwd: scratch,
      env,
      encoding: 'utf-8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (built.status !== 0) {
      fs.writeFileSync(`${prefix}.stamp`, `failed ${identity}`);
      return say(`no startup snapshot (idp starts slower): ${built.stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    // Blob first, stamp last, each by rename: a reader never pairs a stamp with a partial blob.
    fs.renameSync(blob, `${prefix}.blob`);
    fs.writeFileSync(path.join(scratch, 'stamp'), identity);
    fs.renameSync(path.join(scratch, 'stamp'), `${prefix}.stamp`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  if (Number(process.versions.node.split('.')[0]) < 22) throw new Error(`Node.js ${process.version} is older than 22`);
  const [prefix, identity] = process.argv.length >= 4 ? process.argv.slice(2, 4) : defaults();
  build(prefix, identity);
} catch (error) {
  say(`no startup snapshot (idp starts slower): ${error.message}`);
}
