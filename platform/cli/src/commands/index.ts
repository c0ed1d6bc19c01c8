import type { Command } from 'commander';
import { registerNew } from './new.js';
import { registerTemplates } from './templates.js';
import { registerPublish } from './publish.js';
import { registerUpgrade } from './upgrade.js';
import { registerFleet } from './fleet.js';

/** Every command of `idp`, one registration each. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerNew,
  registerTemplates,
  registerPublish,
  registerUpgrade,
  registerFleet,
];
