import type { Command } from 'commander';
import { registerNew } from './new.js';
import { registerTemplates } from './templates.js';
import { registerPublish } from './publish.js';
import { registerUpgrade } from './upgrade.js';
import { registerFleet } from './fleet.js';
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
