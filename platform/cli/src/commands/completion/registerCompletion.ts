import { Argument, type Command } from 'commander';
import { runCommand } from '../../shared/runCommand.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

export function registerCompletion(program: Command) {
  program
    .command('completion')
    .description('Print the shell completion script (commands, flags, template names, --set fields)')
    .addArgument(new Argument('<shell>', 'the shell: bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      "\nLoad it:\n  bash  echo 'source <(idp completion bash)' >> ~/.bashrc\n  zsh   echo 'source <(idp completion zsh)' >> ~/.zshrc\n  fish  idp completion fish > ~/.config/fish/completions/idp.fish",
    )
    .action((shell: (typeof SHELLS)[number], _flags: unknown, command: Command) =>
      runCommand({}, async () => {
        const { completionScript } = await import('./completionScript.js');
        process.stdout.write(completionScript(shell, command.parent ?? program));
      }),
    );
}

/** What the scripts ask on <TAB>: one candidate per line, nothing on stderr. */
export function registerCompletionCandidates(program: Command) {
  program
    .command('__complete', { hidden: true })
    .argument('<kind>', 'templates or set')
    .argument('[partial]', 'the word being completed', '')
    .argument('[first]', "the command's first argument: a template (idp new) or a service folder (idp upgrade)", '')
    .action(async (kind: string, partial: string, first: string) => {
      const { completionCandidates } = await import('./completionCandidates.js');
      const candidates = await completionCandidates(kind, partial, first).catch(() => []);
      if (candidates.length) process.stdout.write(`${candidates.join('\n')}\n`);
    });
}
