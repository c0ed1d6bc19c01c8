import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandRegistration, commandsFor } from './index.js';

function programWith(registrations: readonly CommandRegistration[]): Command {
  const program = new Command('idp');
  for (const { register } of registrations) register(program);
  return program;
}

describe('a run registers only the command it names', () => {
  it('each registration adds exactly the command it is named for', () => {
    for (const registration of COMMANDS) {
      expect(programWith([registration]).commands.map((command) => command.name())).toEqual([registration.name]);
    }
  });

  it('a command registered alone is the same command as among all of them (its help, byte for byte)', () => {
    const all = programWith(COMMANDS);
    for (const registration of COMMANDS.filter((r) => !r.needsSiblings)) {
      const alone = programWith(commandsFor([registration.name, '--help']));
      expect(alone.commands).toHaveLength(1);
      const helpOf = (program: Command) => {
        const command = program.commands.find((c) => c.name() === registration.name)!;
        return [command, ...command.commands].map((c) => c.helpInformation()).join('\n');
      };
      expect(helpOf(alone)).toBe(helpOf(all));
    }
  });

  it('registers every command when the run names none, asks for root help, misspells one or wants the completion script', () => {
    for (const argv of [[], ['--help'], ['help', 'new'], ['nwe', 'model-service'], ['completion', 'bash'], ['-v']]) {
      expect(commandsFor(argv), argv.join(' ')).toBe(COMMANDS);
    }
  });
});
