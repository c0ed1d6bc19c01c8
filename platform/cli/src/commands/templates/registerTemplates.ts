import type { Command } from 'commander';
import { listTemplates, openTemplateSource, templatesAt } from '@idp/scaffold';
import { TEMPLATES_OPTION_HELP } from '../../shared/templatesOption.js';
import { runCommand } from '../../shared/runCommand.js';

export function registerTemplates(program: Command) {
  program
    .command('templates')
    .description('List the templates a service can be created from')
    .option('--json', 'print a machine-readable list on stdout')
    .option('--templates <dir>', TEMPLATES_OPTION_HELP)
    .action((flags: { json?: boolean; templates?: string }) =>
      runCommand(flags, async (reporter) => {
        const checkout = await templatesAt(await openTemplateSource(flags.templates));
        const templates = await listTemplates(checkout.templatesRoot).finally(() => checkout.release());
        const rows = templates.map(({ name, title, description, version }) => ({ name, title, description, version }));
        if (!flags.json) {
          const width = Math.max(0, ...rows.map((r) => r.name.length));
          process.stdout.write(`${rows.map((r) => `${r.name.padEnd(width)}  ${r.title} — ${r.description}`).join('\n')}\n`);
        }
        reporter.result({ ok: true, templates: rows });
      }),
    );
}
