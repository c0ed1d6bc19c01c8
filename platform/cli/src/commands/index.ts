import type { Command } from 'commander';
import { registerNew } from './new/registerNew.js';
import { registerTemplates } from './templates/registerTemplates.js';
import { registerPublish } from './publish/registerPublish.js';
import { registerUpgrade } from './upgrade/registerUpgrade.js';
import { registerFleet } from './fleet/registerFleet.js';
import { registerCompletion } from './completion/registerCompletion.js';
import { registerConfig } from './config/registerConfig.js';
import { registerDoctor } from './doctor/registerDoctor.js';

/** Every command of `idp`, one registration each. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerNew,
  registerTemplates,
  registerPublish,
  registerUpgrade,
  registerFleet,
  registerConfig,
  registerDoctor,
  registerCompletion,
];
