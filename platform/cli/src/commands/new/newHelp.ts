import type { Command } from 'commander';
import { InvalidInputError } from '@idp/service-spec';
import { openTemplateSource, templatesAt } from '@idp/scaffold';
import type { NewFlags } from './newFlags.js';
import { describeParameters } from './describeParameters.js';
import { findTemplateDefinition } from './findTemplateDefinition.js';

/**
 * `idp new --help [TEMPLATE]`: the command's help, then the template's parameters when one is
 * named. Without --help, a missing template is a usage error (exit 2).
 */
export async function newHelp(command: Command, templateName: string | undefined, flags: NewFlags): Promise<void> {
  if (!flags.help) {
    throw new InvalidInputError('The arguments', [
      {
        field: 'template',
        message: 'is required: a template name (see idp templates) or a template folder (e.g. idp new model-service fraud-detector)',
      },
    ]);
  }
  process.stdout.write(command.helpInformation());
  if (templateName === undefined) return;
  const checkout = await templatesAt(await openTemplateSource(flags.templates));
  try {
    const definition = await findTemplateDefinition(templateName, checkout.templatesRoot);
    process.stdout.write(`\n${describeParameters(definition)}`);
  } finally {
    await checkout.release();
  }
}
