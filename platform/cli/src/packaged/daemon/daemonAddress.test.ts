import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { daemonAddress } from './daemonAddress.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'idp-address-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// Any folder with a dist/idp.cjs stands for an install.
const packageDir = path.join(scratch, 'package');
mkdirSync(path.join(packageDir, 'dist'), { recursive: true });
writeFileSync(path.join(packageDir, 'dist', 'idp.cjs'), '// the bundle');

function runtimeDir(name: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("the daemon's address", () => {
  it('is a socket in a folder only this user can enter, made 0700 under $XDG_RUNTIME_DIR', () => {
    const runtime = runtimeDir('runtime');
    const address = daemonAddress(packageDir, { XDG_RUNTIME_DIR: runtime });
    expect(address?.dir).toBe(path.join(runtime, 'idp'));
    expect(address?.socket).toMatch(new RegExp(`^${path.join(runtime, 'idp')}/idp-[0-9a-f]{20}\\.sock$`));
    expect(daemonAddress(packageDir, { XDG_RUNTIME_DIR: runtime })).toEqual(address);
  });

  it('differs under other start-up settings of Node.js (NODE_OPTIONS, time zone, locale)', () => {
    const runtime = runtimeDir('settings');
    const plain = daemonAddress(packageDir, { XDG_RUNTIME_DIR: runtime })?.socket;
    for (const extra of [{ NODE_OPTIONS: '--max-old-space-size=512' }, { TZ: 'Asia/Tokyo' }, { LC_ALL: 'de_DE.UTF-8' }]) {
      expect(daemonAddress(packageDir, { XDG_RUNTIME_DIR: runtime, ...extra })?.socket).not.toBe(plain);
    }
    expect(daemonAddress(packageDir, { XDG_RUNTIME_DIR: runtime, GITHUB_TOKEN: 'anything' })?.socket).toBe(plain);
  });

  it('differs for another `node` first on PATH (another binary, a shim or a wrapper)', () => {
    const runtime = runtimeDir('nodes');
    const bin = runtimeDir('bin');
    writeFileSync(path.join(bin, 'node'), '#!/bin/sh\nexec node "$@"\n', { mode: 0o755 });
    const plain = daemonAddress(packageDir, { XDG_RUNTIME_DIR: runtime, PATH: '' })?.socket;
    const wrapped = daemonAddress(packageDir, { XDG_RUNTIME_DIR: runtime, PATH: bin })?.socket;
    expect(wrapped).toBeDefined();
    expect(wrapped).not.toBe(plain);
  });

  it('is refused when others can enter the folder, it belongs to someone else, or it is a link', () => {
    const open = runtimeDir('open');
    mkdirSync(path.join(open, 'idp'), { mode: 0o755 });
    chmodSync(path.join(open, 'idp'), 0o755);
    expect(daemonAddress(packageDir, { XDG_RUNTIME_DIR: open })).toBeUndefined();

    const linked = runtimeDir('linked');
    symlinkSync(runtimeDir('elsewhere'), path.join(linked, 'idp'));
    expect(daemonAddress(packageDir, { XDG_RUNTIME_DIR: linked })).toBeUndefined();

    if (process.getuid?.() === 0) {
      const foreign = runtimeDir('foreign');
      mkdirSync(path.join(foreign, 'idp'), { mode: 0o700 });
      chownSync(path.join(foreign, 'idp'), 65534, 65534);
      expect(daemonAddress(packageDir, { XDG_RUNTIME_DIR: foreign })).toBeUndefined();
    }
  });

  it('is none when the socket path would be too long for the system', () => {
    const deep = runtimeDir('x'.repeat(100));
    expect(daemonAddress(packageDir, { XDG_RUNTIME_DIR: deep })).toBeUndefined();
  });
});
