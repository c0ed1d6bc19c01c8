import type { Command } from 'commander';

/** What the shell offers after an option or in a positional slot. */
export type ValueKind =
  | { kind: 'none' }
  | { kind: 'file' }
  | { kind: 'dir' }
  | { kind: 'template' }
  | { kind: 'set' }
  | { kind: 'choice'; choices: readonly string[] };

export interface CompletionOption {
  /** Every spelling, e.g. ['-y', '--yes']. */
  readonly names: readonly string[];
  readonly description: string;
  /** Undefined for a flag that takes no value. */
  readonly value?: ValueKind;
}

/** One command of the tree as the shells see it: its path (`fleet status`), children, options, positionals. */
export interface CompletionCommand {
  readonly path: readonly string[];
  readonly description: string;
  readonly subcommands: readonly CompletionCommand[];
  readonly options: readonly CompletionOption[];
  readonly positionals: readonly ValueKind[];
}

// What an option's or argument's value is, by its name: one table for the three shells.
const VALUE_KINDS: Record<string, ValueKind> = {
  set: { kind: 'set' },
  values: { kind: 'file' },
  contract: { kind: 'file' },
  out: { kind: 'dir' },
  templates: { kind: 'dir' },
  template: { kind: 'template' },
  dir: { kind: 'dir' },
};

/** The command tree commander knows, as completion data (hidden commands and options left out). */
export function completionSpec(command: Command, path: readonly string[] = []): CompletionCommand {
  const visible = command.commands.filter((child) => !(child as unknown as { _hidden: boolean })._hidden);
  const options: CompletionOption[] = command.options
    .filter((option) => !option.hidden)
    .map((option) => ({
      names: [option.short, option.long].filter((name): name is string => Boolean(name)),
      description: option.description,
      ...(option.required || option.optional
        ? {
            value: option.argChoices
              ? { kind: 'choice', choices: option.argChoices }
              : (VALUE_KINDS[option.attributeName()] ?? { kind: 'none' }),
          }
        : {}),
    }));
  options.push({ names: ['-h', '--help'], description: 'display help for command' });
  return {
    path,
    description: command.description(),
    subcommands: visible.map((child) => completionSpec(child, [...path, child.name()])),
    options,
    positionals: command.registeredArguments.map((argument) =>
      argument.argChoices ? { kind: 'choice', choices: argument.argChoices } : (VALUE_KINDS[argument.name()] ?? { kind: 'none' }),
    ),
  };
}

/** Every command of the tree, the root first. */
export function allCommands(root: CompletionCommand): CompletionCommand[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}
