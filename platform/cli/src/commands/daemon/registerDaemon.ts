import type { Command } from 'commander';
import { runCommand } from '../../shared/runCommand.js';

export function registerDaemon(program: Command) {
  const daemon = program
    .command('daemon')
    .description('The background process of the installed idp that serves `idp new --yes` warm (IDP_DAEMON=0 turns it off)');
  daemon
    .command('status')
    .description("Show whether this user's idp daemon runs, since when and how much it has served")
    .option('--json', 'print a machine-readable result on stdout')
    .action((flags: { json?: boolean }) =>
      runCommand(flags, async (reporter) => (await import('./controlDaemon.js')).daemonStatus(reporter)),
    );
  daemon
    .command('stop')
    .description("Stop this user's idp daemon (the next `idp new --yes` starts a new one)")
    .option('--json', 'print a machine-readable result on stdout')
    .action((flags: { json?: boolean }) =>
      runCommand(flags, async (reporter) => (await import('./controlDaemon.js')).stopDaemon(reporter)),
    );
}
