import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { filesFromDisk, type GeneratedFiles } from './generatedFiles';
import { repoRoot } from './repoRoot';
import { v8StartFlags } from '@idp/cli/scripts/v8StartFlags.mjs';

export interface IdpRender {
  /** What `idp new` wrote. */
  files: GeneratedFiles;
  /** The form values it ran the steps with (--json's `parameters`): what the portal's form would submit. */
  parameters: Record<string, unknown>;
  /** The whole --json result. */
  result: any;
}

/**
 * Runs the built `idp new` as a person would — a fresh process, answers in a --values file,
 * --yes — and reads back what it wrote. The CLI must be built (`npm run build`).
 */
export async function renderWithIdp(templateDir: string, answers: Record<string, unknown>, extraArgs: string[] = []): Promise<IdpRender> {
  const bin = path.join(repoRoot(), 'platform/cli/bin/idp.js');
  if (!existsSync(path.join(repoRoot(), 'platform/cli/dist-bundle/main.js'))) {
    throw new Error('platform/cli is not bundled: run `npm run build` first (npm test does)');
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'idp-parity-'));
  try {
    const valuesFile = path.join(scratch, 'answers.json');
    await writeFile(valuesFile, JSON.stringify(answers));
    const out = path.join(scratch, 'out');
    // Asynchronously: the backend it may talk to (--backstage-url) runs in this process.
    const run = await new Promise<{ status: number; stdout: string; stderr: string }>(resolve => {
      // With the V8 flags the installed launcher starts `idp new` with (speed only, never behaviour).
      const idpArgs = ['new', templateDir, '--yes', '--values', valuesFile, '--out', out, '--json', ...extraArgs];
      const args = [...v8StartFlags(idpArgs), bin, ...idpArgs];
      execFile(process.execPath, args, { encoding: 'utf-8', env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
        resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    if (run.status !== 0) throw new Error(`idp new exited ${run.status}:\n${run.stderr}\n${run.stdout}`);
    const result = JSON.parse(run.stdout);
    return { files: await filesFromDisk(out), parameters: result.parameters, result };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
