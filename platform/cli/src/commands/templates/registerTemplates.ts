import type { Command } from 'commander';
import { listTemplateDefinitions, openTemplateSource, templatesAt } from '@idp/scaffold';
import { TEMPLATES_OPTION_HELP } from '../../shared/templatesOption.js';
import { runCommand } from '../../shared/runCommand.js';

export function registerTemplates(program: Command) {
  program
    .command('templates')
    .description('List the templates a service can be created from: ours and any Backstage software template in the source')
    .option('--json', 'print a machine-readable list on stdout')
    .option('--templates <dir>', TEMPLATES_OPTION_HELP)
    .action((flags: { json?: boolean; templates?: string }) =>
      runCommand(flags, async (reporter) => {
        const checkout = await templatesAt(await openTemplateSource(flags.templates));
        const templates = await listTemplateDefinitions(checkout.templatesRoot).finally(() => checkout.release());
        const rows = templates.map(({ name, title, description, version, tags }) => ({ name, title, description, version, tags }));
        if (!flags.json) {
          const width = Math.max(0, ...rows.map((r) => r.name.length));
          const tags = (r: (typeof rows)[number]) => (r.tags.length ? ` [${r.tags.join(', ')}]` : '');
          process.stdout.write(
            `${rows.map((r) => `${r.name.padEnd(width)}  ${r.title} — ${r.description.trim()}${tags(r)}`).join('\n')}\n`,
          );
        }
        reporter.result({ ok: true, templates: rows });
      }),
    );
}
