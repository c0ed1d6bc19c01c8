import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIdp } from './runIdp.js';

// Reproducers of an adversarial run against `idp new`: each must end in exit 2 naming the field.
const scratch = () => mkdtemp(path.join(tmpdir(), 'idp-hostile-'));

function problemsOf(result: { status: number | null; stdout: string; stderr: string }) {
  expect(result.status, result.stderr).toBe(2);
  return JSON.parse(result.stdout).problems as Array<{ field: string; message: string }>;
}

describe('idp new refuses unprintable free text', () => {
  it('rejects ESC in modelUri instead of writing it raw into README.md', async () => {
    const dir = await scratch();
    const result = runIdp(['new', 'model-service', 'esc', '--yes', '--json', '--set', 'modelUri=s3://models/\u001b[2J', '--out', path.join(dir, 'esc')]);
    expect(problemsOf(result)).toEqual([{ field: 'modelUri', message: expect.stringContaining('U+001B') }]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects lone UTF-16 surrogates in description and modelUri from a values file', async () => {
    const dir = await scratch();
    const values = path.join(dir, 'values.json');
    // JSON's \u escapes are the one way to hand a lone surrogate to the CLI.
    await writeFile(values, '{"name": "halves", "description": "bad \\ud800 half", "modelUri": "s3://m/\\udfff"}');
    const result = runIdp(['new', 'model-service', '--yes', '--json', '--values', values, '--out', path.join(dir, 'halves')]);
    const problems = problemsOf(result);
    expect(problems.map((p) => p.field).sort()).toEqual(['description', 'modelUri']);
    for (const p of problems) expect(p.message).toMatch(/surrogate/);
    expect(await readdir(dir)).toEqual(['values.json']);
  });
});
