import { completionTables } from './completionTables.js';
import type { CompletionCommand } from './completionSpec.js';

/** The fish completion script: the same tables, answered by one function fish calls on <TAB>. */
export function fishCompletion(root: CompletionCommand): string {
  return `# fish completion for idp. Load it:  idp completion fish | source
# (or save it as ~/.config/fish/completions/idp.fish)
${completionTables(root, 'fish')}
function __idp_complete
  set -l tokens (commandline -opc)
  set -e tokens[1]
  set -l cur (commandline -ct)
  set -l idp_path ''
  set -l expect 0
  set -l positional 0
  set -l first ''
  for word in $tokens
    if test $expect = 1
      set expect 0
      continue
    end
    if string match -q -- '-*' $word
      if not string match -q -- '*=*' $word; and test -n "$(_idp_value_kind "$idp_path" $word)"
        set expect 1
      end
      continue
    end
    if test $positional = 0; and contains -- $word (string split ' ' -- (_idp_subcommands "$idp_path" ''))
      set idp_path (string trim -- "$idp_path $word")
      continue
    end
    set positional (math $positional + 1)
    test $positional = 1; and set first $word
  end
  set -l kind
  if test $expect = 1
    set kind (_idp_value_kind "$idp_path" $tokens[-1])
  else if string match -q -- '-*' "$cur"
    set kind "choice:"(_idp_options "$idp_path" '')
  else if test $positional = 0; and test -n "$(_idp_subcommands "$idp_path" '')"
    set kind "choice:"(_idp_subcommands "$idp_path" '')
  else
    set kind (_idp_positional_kind "$idp_path" $positional)
  end
  switch "$kind"
    case file
      __fish_complete_path "$cur"
    case dir
      __fish_complete_directories "$cur"
    case template
      idp __complete templates 2>/dev/null
    case set
      idp __complete set "$cur" "$first" 2>/dev/null
    case 'choice:*'
      string split ' ' -- (string replace 'choice:' '' -- $kind)
  end
end
complete -c idp -f -a '(__idp_complete)'
`;
}
