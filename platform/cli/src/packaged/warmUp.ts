import path from 'node:path';
import { listTemplateDefinitions } from '@idp/scaffold';
import { main } from '../main.js';
import { packagedTemplates } from './unpackTemplates.js';

/**
 * What the startup snapshot holds beyond compiled code: each packaged template rendered once
 * (a dry run, so its skeleton, nunjitsu's parsed templates, the parsed contract and the spec's
 * JSON Schema are in memory) and the commands' help built. The templates are unpacked where the
 * user's later runs find them (the snapshot is built with the user's cache, see buildSnapshot.cjs).
 * Explicit flags: the installing user's config file and environment play no part. Output is
 * swallowed; nothing is written.
 */
export async function warmUp(packageDir: string): Promise<void> {
  const templates = packagedTemplates(packageDir);
  const contract = path.join(packageDir, 'platform/contracts/default.yaml');
  const saved = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  const failures = new Set<string>();
  try {
    for (const template of await listTemplateDefinitions(templates)) {
      const args = ['new', template.name, 'warm-up', '--yes', '--dry-run', '--json', '--templates', templates, '--contract', contract];
      // A template whose parameters have no defaults to stand on (llm-service needs its model) refuses
      // a bare --yes with exit 2 after its form and rules ran: warm enough. Anything else is a fault.
      const code = await main(args);
      if (code !== 0 && code !== 2) failures.add(template.name);
    }
    await main(['templates', '--json', '--templates', templates]);
    for (const command of ['new', 'templates', 'publish', 'upgrade', 'config', 'doctor', 'completion']) await main([command, '--help']);
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = undefined;
  }
  if (failures.size) throw new Error(`the packaged templates ${[...failures].join(', ')} did not render`);
}
