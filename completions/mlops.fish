# fish completion for mlops. Install: copy to ~/.config/fish/completions/mlops.fish.
# Candidates ("name<TAB>description") come from `mlops __complete`: commands, flags, and values
# from the store (run ids, models, versions, stages, metric keys). When it has none, file names.
function __mlops_complete
    set -l tokens (commandline -opc) (commandline -ct)
    set -l candidates (mlops __complete $tokens[2..-1] 2>/dev/null)
    if test (count $candidates) -gt 0
        printf '%s\n' $candidates
    else
        __fish_complete_path (commandline -ct)
    end
end
complete -c mlops -f -a '(__mlops_complete)'
