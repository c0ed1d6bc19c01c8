import type { Command } from 'commander';
import { listTemplates } from '@idp/scaffold';
import { templatesRoot } from '../helpers/findTemplate.js';
import { runCommand } from '../helpers/runCommand.js';

export function registerTemplates(program: Command) {
  program
    .command('templates')
    .description('List the templates a service can be created from')
    .option('--json', 'print a machine-readable list on stdout')
    .option('--templates <dir>', 'templates folder (default: $IDP_TEMPLATES_DIR or the repository templates/)')
    .action((flags: { json?: boolean; templates?: string }) =>
      runCommand(flags, async (reporter) => {
        const templates = await listTemplates(templatesRoot(flags.templates));
        const rows = templates.map(({ name, title, description, version }) => ({ name, title, description, version }));
        if (!flags.json) {
          const width = Math.max(0, ...rows.map((r) => r.name.length));
          process.stdout.write(rows.map((r) => `${r.name.padEnd(width)}  ${r.title} — ${r.description}`).join('\n') + '\n');
        }
        reporter.result({ ok: true, templates: rows });
      }),
    );
}
