# bash completion for mlops. Install: source this file from ~/.bashrc, or copy it to
# /usr/share/bash-completion/completions/mlops. Candidates come from `mlops __complete`, which
# walks the binary's own command tree, so this script never falls behind the commands.
_mlops() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\n'
  local candidates
  candidates=$(mlops __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null | cut -f1)
  COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
  # No command or flag fits: complete file names (data paths, pointer files).
  if [[ ${#COMPREPLY[@]} -eq 0 ]]; then
    compopt -o default 2>/dev/null
  fi
}
complete -F _mlops mlops
