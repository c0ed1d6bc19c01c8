import type { Command } from 'commander';
import { registerNew } from './new/registerNew.js';
import { registerTemplates } from './templates/registerTemplates.js';
import { registerPublish } from './publish/registerPublish.js';
import { registerUpgrade } from './upgrade/registerUpgrade.js';
import { registerFleet } from './fleet/registerFleet.js';

/** Every command of `idp`, one registration each. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerNew,
  registerTemplates,
  registerPublish,
  registerUpgrade,
  registerFleet,
];
