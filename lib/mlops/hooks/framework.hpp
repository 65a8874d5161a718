#pragma once
// The pre-commit framework runs a hook in every stage it is installed for when the hook names no
// stages (.pre-commit-hooks.yaml names none: the names differ between pre-commit 3.0 and 3.2+).
// The environment it sets tells the stage: PRE_COMMIT_REMOTE_NAME while pushing,
// PRE_COMMIT_CHECKOUT_TYPE after a checkout, PRE_COMMIT_IS_SQUASH_MERGE after a merge.
namespace mlops::hooks {

bool env_set(const char* name);
// Run by the framework, and pushing.
bool framework_pushing();
// Run by the framework in a stage other than the commit's.
bool framework_not_committing();

}  // namespace mlops::hooks
