import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONTRACT_FILE } from '@idp/scaffold';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from './context.js';
import { upgradeFingerprint } from './upgradeFingerprint.js';

const scratch = mkdtempSync(join(tmpdir(), 'idp-fingerprint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const status: ServiceStatus = {
  repository: 'northwind/churn-model',
  service: 'churn-model',
  template: 'model-service',
  version: '0.1.0',
  state: 'behind',
  target: { commit: 'fe'.repeat(20), version: '0.2.0' },
};

describe('upgradeFingerprint', () => {
  it('follows the contract file as it is now: a contract changed since an upgrade is not "this upgrade already"', async () => {
    // The portal is one long-lived process: the fingerprint must not be remembered per path.
    const file = join(scratch, 'contract.yaml');
    const original = readFileSync(DEFAULT_CONTRACT_FILE, 'utf-8');
    writeFileSync(file, original);
    const before = await upgradeFingerprint(status, file);
    expect(before).toMatch(new RegExp(`^template ${'fe'.repeat(20)} contract [0-9a-f]{16}$`));
    expect(await upgradeFingerprint(status, file)).toBe(before);

    writeFileSync(file, original.replace(/^(\s*org:\s*)\S+/m, '$1northwind-platform'));
    const after = await upgradeFingerprint(status, file);
    expect(after).not.toBe(before);
    expect(after.startsWith(`template ${'fe'.repeat(20)} contract `)).toBe(true);
  });
});
