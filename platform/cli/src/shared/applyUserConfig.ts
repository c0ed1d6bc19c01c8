import { type Command, CommanderError } from 'commander';
import { EXIT_INVALID_INPUT } from '../exitCodes.js';

// `idp upgrade` and `idp fleet` default to the source each service records: a configured
// templates source must not replace that.
const TEMPLATES_FROM_CONFIG = new Set(['new', 'templates', 'doctor']);

/**
 * Commander's preAction hook: fills each option a person left out from the user config file
 * (never over the environment, which the commands read themselves, nor over a flag).
 */
export async function applyUserConfig(_program: Command, command: Command): Promise<void> {
  const { readUserConfig, SETTINGS, SETTING_NAMES } = await import('./userConfig.js');
  const owned = SETTING_NAMES.filter((name) => command.options.some((option) => option.attributeName() === name));
  if (owned.length === 0) return;
  let config: ReturnType<typeof readUserConfig>;
  try {
    config = readUserConfig();
  } catch (error) {
    // Reported as every command reports bad input, then the command does not run.
    const { runCommand } = await import('./runCommand.js');
    await runCommand(command.opts(), async () => {
      throw error;
    });
    throw new CommanderError(EXIT_INVALID_INPUT, 'idp.userConfig', (error as Error).message);
  }
  for (const name of owned) {
    if (command.getOptionValue(name) !== undefined) continue;
    if (name === 'templates' && !TEMPLATES_FROM_CONFIG.has(command.name())) continue;
    const fromEnv = process.env[SETTINGS[name].env];
    if (fromEnv) {
      // Only IDP_BACKSTAGE_URL is read nowhere else; the commands read the other variables themselves.
      if (name === 'backstageUrl') command.setOptionValueWithSource(name, fromEnv, 'env');
      continue;
    }
    const fromFile = config.fromFile[name];
    if (fromFile !== undefined) command.setOptionValueWithSource(name, fromFile, 'config');
  }
}
