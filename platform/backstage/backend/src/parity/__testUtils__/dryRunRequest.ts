import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/** The body of POST /api/scaffolder/v2/dry-run, as the template editor sends it. */
export interface DryRunRequest {
  template: unknown;
  values: Record<string, unknown>;
  directoryContents: Array<{ path: string; base64Content: string }>;
}

/**
 * A dry-run request for a template directory: its template.yaml and every file beside it (what
 * its fetch steps read, wherever their urls point), with paths relative to the template, as the
 * template editor uploads a local template folder.
 */
export async function dryRunRequest(templateDir: string, values: Record<string, unknown>): Promise<DryRunRequest> {
  const manifest = await readFile(path.join(templateDir, 'template.yaml'));
  const directoryContents: DryRunRequest['directoryContents'] = [];
  for (const entry of await readdir(templateDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    directoryContents.push({
      path: path.relative(templateDir, file).split(path.sep).join('/'),
      base64Content: (await readFile(file)).toString('base64'),
    });
  }
  return { template: parse(manifest.toString('utf-8')), values, directoryContents };
}

/** POSTs a template directory's dry-run to a running backend: the status and the parsed answer. */
export async function postDryRun(baseUrl: string, templateDir: string, values: Record<string, unknown>) {
  const response = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(await dryRunRequest(templateDir, values)),
  });
  return { status: response.status, body: (await response.json()) as any };
}
