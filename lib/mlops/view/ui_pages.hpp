#pragma once
// The pages of `mlops ui` (ui_app.hpp routes to them): Runs, Compare, Run, Models, Drift. Each opens the store
// for itself, reads, and renders; nothing writes.
#include <string_view>

#include "mlops/core/repo.hpp"
#include "mlops/view/page.hpp"
#include "mlops/view/ui_app.hpp"

namespace mlops::view {

// "/?where=EXPR&sort=KEY&columns=K,K&page=N": the runs table of `runs list`, filtered with the
// filter language (a malformed filter is shown with its caret, status 400), sorted by a column's
// link, the columns chosen (default: the metrics that vary, then the params that vary, at most
// kDefaultColumns, the others named), runs selected for Compare.
UiResponse runs_page(const Repo& repo, const UiRequest& request);
// "/compare?id=A&id=B...": the Compare view of the runs, each linked to its Run page.
UiResponse compare_page(const Repo& repo, const UiRequest& request);
// "/run/ID": the Run view; it reloads itself every 5 s while the run is running.
UiResponse run_page(const Repo& repo, std::string_view id);
// "/models": every model's stages, versions with lineage, and history (from the git tags).
UiResponse models_page(const Repo& repo);
// "/drift": the drift reports kept in the store (`drift check --keep`), newest first.
UiResponse drift_page(const Repo& repo);
// "/drift/ID": one kept report: its verdict, column table, and each column's distributions.
UiResponse drift_report_page(const Repo& repo, std::string_view id);
UiResponse error_page(int status, std::string_view title, std::string_view message);

// A page of the ui (its navigation first), as a response.
UiResponse ui_html_response(int status, Page page);
// "a=1&b=x%20y": a query string, each key and value percent-encoded.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace mlops::view
