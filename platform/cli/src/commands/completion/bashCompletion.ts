import { completionTables } from './completionTables.js';
import type { CompletionCommand } from './completionSpec.js';

/**
 * The bash completion script: the command tree as lookup tables, and one function that reads the
 * line up to the cursor. Template names and `--set` fields come from `idp __complete` at the time
 * of the <TAB>, so they follow the configured templates and the template's own parameters (its
 * name or the service folder is the command's first argument).
 */
export function bashCompletion(root: CompletionCommand): string {
  return `# bash completion for idp. Load it from ~/.bashrc:  source <(idp completion bash)
${completionTables(root, 'sh')}
_idp_candidates() {
  case "$1" in
    template) idp __complete templates 2>/dev/null ;;
    set) idp __complete set "$2" "$3" 2>/dev/null ;;
    choice:*) printf '%s\\n' \${1#choice:} ;;
  esac
}
_idp() {
  # The words up to the cursor, split on blanks only: "--set gpuType=nv" stays one word.
  local line="\${COMP_LINE:0:COMP_POINT}"
  local -a words
  read -ra words <<< "$line"
  [[ "$line" =~ [[:space:]]$ || \${#words[@]} -eq 0 ]] && words+=("")
  local cur="\${words[\${#words[@]}-1]}"
  local path="" expect="" positional=0 first="" word kind i
  for ((i = 1; i < \${#words[@]} - 1; i++)); do
    word="\${words[i]}"
    if [[ -n "$expect" ]]; then expect=""; continue; fi
    if [[ "$word" == -* ]]; then
      [[ "$word" != *=* && -n "$(_idp_value_kind "$path" "$word")" ]] && expect=1
      continue
    fi
    if [[ $positional -eq 0 && " $(_idp_subcommands "$path" '') " == *" $word "* ]]; then
      path="\${path:+$path }$word"
      continue
    fi
    positional=$((positional + 1))
    [[ $positional -eq 1 ]] && first="$word"
  done
  if [[ -n "$expect" ]]; then
    kind="$(_idp_value_kind "$path" "\${words[\${#words[@]}-2]}")"
  elif [[ "$cur" == -* ]]; then
    kind="choice:$(_idp_options "$path" '')"
  elif [[ $positional -eq 0 && -n "$(_idp_subcommands "$path" '')" ]]; then
    kind="choice:$(_idp_subcommands "$path" '')"
  else
    kind="$(_idp_positional_kind "$path" "$positional")"
  fi
  COMPREPLY=()
  case "$kind" in
    file) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    dir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    template|set|choice:*) mapfile -t COMPREPLY < <(compgen -W "$(_idp_candidates "$kind" "$cur" "$first")" -- "$cur") ;;
  esac
  # bash splits words at "=" too: it replaces only the part of cur after the last one.
  local replaced="\${COMP_WORDS[COMP_CWORD]}" strip=0
  [[ "$cur" == *=* ]] && strip=$((\${#cur} - \${#replaced}))
  for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]="\${COMPREPLY[i]:strip}"; done
  [[ \${#COMPREPLY[@]} -eq 1 && "\${COMPREPLY[0]}" == *= ]] && compopt -o nospace 2>/dev/null
  return 0
}
complete -F _idp idp
`;
}
