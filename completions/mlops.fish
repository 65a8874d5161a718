# fish completion for mlops. Install: copy to ~/.config/fish/completions/mlops.fish.
# Candidates ("name<TAB>description") come from `mlops __complete`; file names are offered too.
function __mlops_complete
    set -l tokens (commandline -opc) (commandline -ct)
    mlops __complete $tokens[2..-1] 2>/dev/null
end
complete -c mlops -a '(__mlops_complete)'
