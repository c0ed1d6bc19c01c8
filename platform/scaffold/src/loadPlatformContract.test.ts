import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTRACT_FILE, loadPlatformContract } from './index.js';
import { tempDir } from '../test/fixtureTemplate.js';

describe('loadPlatformContract', () => {
  it('parses a file once per version, hands out copies, and sees every change', async () => {
    const file = path.join(await tempDir(), 'contract.yaml');
    const base = await readFile(DEFAULT_CONTRACT_FILE, 'utf-8');
    await writeFile(file, base);
    const first = await loadPlatformContract(file);
    first.github.org = 'mutated';
    expect((await loadPlatformContract(file)).github.org).toBe('acme');
    await writeFile(file, base.replace('org: acme', 'org: globex'));
    expect((await loadPlatformContract(file)).github.org).toBe('globex');
    // The same size: the change time tells.
    await writeFile(file, base.replace('org: acme', 'org: zeta'));
    expect((await loadPlatformContract(file)).github.org).toBe('zeta');
  });
});
