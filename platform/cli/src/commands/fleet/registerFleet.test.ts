import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FLEET_CONCURRENCY } from '@idp/github';
import { registerFleet } from './registerFleet.js';

describe('idp fleet --concurrency', () => {
  it('says the default the fleet functions use, in status and upgrade alike', () => {
    const program = new Command();
    registerFleet(program);
    const fleet = program.commands.find((command) => command.name() === 'fleet')!;
    for (const name of ['status', 'upgrade']) {
      const option = fleet.commands.find((command) => command.name() === name)!.options.find((o) => o.long === '--concurrency')!;
      expect(option.description).toContain(`(default ${DEFAULT_FLEET_CONCURRENCY})`);
    }
  });
});
