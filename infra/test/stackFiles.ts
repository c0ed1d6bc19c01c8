import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The example stack files of a project directory, as { stack: config map } keyed like Pulumi's. */
export function exampleStacks(dir: URL): Record<string, Record<string, unknown>> {
  const stacks: Record<string, Record<string, unknown>> = {};
  for (const file of readdirSync(dir)) {
    const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
    if (match) stacks[match[1]!] = (parse(readFileSync(new URL(file, dir), 'utf8')) as { config: Record<string, unknown> }).config;
  }
  return stacks;
}

/** What `pulumi.runtime.allConfig()` returns for a stack file: structured values as JSON, scalars as strings. */
export function asPulumiConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : String(value)]),
  );
}
