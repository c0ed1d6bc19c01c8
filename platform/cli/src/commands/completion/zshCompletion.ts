import { completionTables } from './completionTables.js';
import type { CompletionCommand } from './completionSpec.js';

/** The zsh completion script: the same tables as bash, answered with compadd and _files. */
export function zshCompletion(root: CompletionCommand): string {
  return `#compdef idp
# zsh completion for idp. Load it from ~/.zshrc:  source <(idp completion zsh)
${completionTables(root, 'sh')}
_idp_candidates() {
  case "$1" in
    template) idp __complete templates 2>/dev/null ;;
    set) idp __complete set "$2" "$3" 2>/dev/null ;;
    choice:*) print -rl -- \${=1#choice:} ;;
  esac
}
_idp() {
  local cur="\${words[CURRENT]}" idp_path="" expect="" first="" word kind
  local -i positional=0 i
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if [[ -n "$expect" ]]; then expect=""; continue; fi
    if [[ "$word" == -* ]]; then
      [[ "$word" != *=* && -n "$(_idp_value_kind "$idp_path" "$word")" ]] && expect=1
      continue
    fi
    if (( positional == 0 )) && [[ " $(_idp_subcommands "$idp_path" '') " == *" $word "* ]]; then
      idp_path="\${idp_path:+$idp_path }$word"
      continue
    fi
    positional+=1
    (( positional == 1 )) && first="$word"
  done
  if [[ -n "$expect" ]]; then
    kind="$(_idp_value_kind "$idp_path" "\${words[CURRENT-1]}")"
  elif [[ "$cur" == -* ]]; then
    kind="choice:$(_idp_options "$idp_path" '')"
  elif (( positional == 0 )) && [[ -n "$(_idp_subcommands "$idp_path" '')" ]]; then
    kind="choice:$(_idp_subcommands "$idp_path" '')"
  else
    kind="$(_idp_positional_kind "$idp_path" "$positional")"
  fi
  local -a candidates
  case "$kind" in
    file) _files ;;
    dir) _files -/ ;;
    set)
      candidates=("\${(@f)$(_idp_candidates set "$cur" "$first")}")
      # A field name ends in "=": no space after it, its value follows.
      compadd -S '' -- \${(M)candidates:#*=}
      compadd -- \${candidates:#*=} ;;
    template|choice:*)
      candidates=("\${(@f)$(_idp_candidates "$kind" "$cur")}")
      compadd -- $candidates ;;
  esac
}
if (( $+functions[compdef] )); then
  compdef _idp idp
else
  autoload -Uz compinit && compinit && compdef _idp idp
fi
`;
}
