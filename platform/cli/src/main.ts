import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { commandsFor } from './commands/index.js';
import { EXIT_FAILURE, EXIT_INVALID_INPUT, EXIT_OK } from './exitCodes.js';
import { applyUserConfig } from './shared/applyUserConfig.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf-8')) as { version: string };

/** Parses argv and runs one command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('idp')
    .description('The internal developer platform for ML model services: create, then publish')
    .version(version, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run `idp --help` for usage)')
    .hook('preAction', applyUserConfig);
  for (const { register } of commandsFor(argv)) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return error.code === 'commander.executeSubCommandAsync' ? EXIT_FAILURE : EXIT_INVALID_INPUT;
    }
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    return EXIT_FAILURE;
  }
}
