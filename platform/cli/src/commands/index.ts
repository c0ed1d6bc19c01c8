import type { Command } from 'commander';
import { registerNew } from './new/registerNew.js';
import { registerTemplates } from './templates/registerTemplates.js';
import { registerPublish } from './publish/registerPublish.js';
import { registerUpgrade } from './upgrade/registerUpgrade.js';
import { registerFleet } from './fleet/registerFleet.js';
import { registerCompletion, registerCompletionCandidates } from './completion/registerCompletion.js';
import { registerConfig } from './config/registerConfig.js';
import { registerDoctor } from './doctor/registerDoctor.js';

export interface CommandRegistration {
  /** The top-level command it adds. */
  readonly name: string;
  readonly register: (program: Command) => void;
  /** It describes its sibling commands, so they are registered with it. */
  readonly needsSiblings?: boolean;
}

/** Every command of `idp`, one registration each. */
export const COMMANDS: readonly CommandRegistration[] = [
  { name: 'new', register: registerNew },
  { name: 'templates', register: registerTemplates },
  { name: 'publish', register: registerPublish },
  { name: 'upgrade', register: registerUpgrade },
  { name: 'fleet', register: registerFleet },
  { name: 'config', register: registerConfig },
  { name: 'doctor', register: registerDoctor },
  { name: 'completion', register: registerCompletion, needsSiblings: true },
  { name: '__complete', register: registerCompletionCandidates },
];

/**
 * The registrations a run needs: only the command `argv` names, since building every command's
 * options costs a few milliseconds of each start; all of them for anything else (no command, root
 * help, `idp help NAME`, a misspelt name commander answers with a suggestion, the completion script).
 */
export function commandsFor(argv: readonly string[]): readonly CommandRegistration[] {
  const named = COMMANDS.find((command) => command.name === argv[0]);
  return named && !named.needsSiblings ? [named] : COMMANDS;
}
