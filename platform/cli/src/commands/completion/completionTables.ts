import { allCommands, type CompletionCommand, type ValueKind } from './completionSpec.js';

/**
 * The four lookups every shell script answers from — subcommands of a path, options of a path,
 * what an option takes, what a positional slot takes — as `case` (bash, zsh) or `switch` (fish)
 * functions, each called with two words. Keys are "<path> " (subcommands, options), "<path> <option>"
 * and "<path> <index>", the root's path being empty.
 */
export function completionTables(root: CompletionCommand, dialect: 'sh' | 'fish'): string {
  const commands = allCommands(root);
  const path = (command: CompletionCommand) => command.path.join(' ');
  const tables: Array<[name: string, rows: Array<[keys: string[], answer: string]>]> = [
    [
      '_idp_subcommands',
      commands.filter((c) => c.subcommands.length).map((c) => [[`${path(c)} `], c.subcommands.map((s) => s.path.at(-1)).join(' ')]),
    ],
    ['_idp_options', commands.map((c) => [[`${path(c)} `], c.options.flatMap((o) => o.names).join(' ')])],
    [
      '_idp_value_kind',
      commands.flatMap((c) =>
        c.options.filter((o) => o.value).map((o): [string[], string] => [o.names.map((name) => `${path(c)} ${name}`), kindWord(o.value!)]),
      ),
    ],
    [
      '_idp_positional_kind',
      commands.flatMap((c) => c.positionals.map((kind, index): [string[], string] => [[`${path(c)} ${index}`], kindWord(kind)])),
    ],
  ];
  return tables.map(([name, rows]) => (dialect === 'sh' ? shFunction(name, rows) : fishFunction(name, rows))).join('\n');
}

/** A value kind as one word: `file`, `set`, `choice:bash zsh fish`… */
function kindWord(kind: ValueKind): string {
  return kind.kind === 'choice' ? `choice:${kind.choices.join(' ')}` : kind.kind;
}

function shFunction(name: string, rows: Array<[string[], string]>): string {
  const cases = rows.map(([keys, answer]) => `    ${keys.map(shQuote).join('|')}) printf '%s\\n' ${shQuote(answer)} ;;`);
  return `${name}() {\n  case "$1 $2" in\n${cases.join('\n')}\n  esac\n}\n`;
}

function fishFunction(name: string, rows: Array<[string[], string]>): string {
  const cases = rows.map(([keys, answer]) => `    case ${keys.map(fishQuote).join(' ')}\n      echo ${fishQuote(answer)}`);
  return `function ${name}\n  switch "$argv[1] $argv[2]"\n${cases.join('\n')}\n  end\nend\n`;
}

export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
