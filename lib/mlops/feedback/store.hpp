#pragma once
// The feedback store, `.mlops/feedback.db` (SQLite, local like runs.db): every feedback event
// imported, once. An event is known by its key (FeedbackEvent::key: its id, or a hash of its
// content), so importing the same file twice adds nothing the second time.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/trace/feedback.hpp"

namespace mlops::sql {
class Database;
}

namespace mlops::feedback {

std::filesystem::path store_path(const Repo& repo);

struct ImportSummary {
  std::size_t events = 0;   // read from the files
  std::size_t added = 0;    // new to the store
  std::size_t present = 0;  // already in it (imported before, or twice in the input)
  // Of those, the ids the store holds with other content (a changed vote, two exporters reusing
  // ids): the stored event is kept.
  std::vector<std::string> conflicting;
};

class FeedbackStore {
 public:
  // Opens the store, creating it.
  static Result<FeedbackStore> open(const Repo& repo);
  // Opens the store when feedback was ever imported; nullopt otherwise (nothing is created).
  static Result<std::optional<FeedbackStore>> open_existing(const Repo& repo);
  FeedbackStore(FeedbackStore&&) noexcept;
  ~FeedbackStore();

  // Adds the events that are new, in one transaction: all of them or, on failure, none.
  Result<ImportSummary> add(const std::vector<trace::FeedbackEvent>& events, const std::string& source);
  // Every event, in time order (then key).
  Result<std::vector<trace::FeedbackEvent>> all();

 private:
  explicit FeedbackStore(std::unique_ptr<sql::Database> db);
  std::unique_ptr<sql::Database> db_;
};

// The feedback of the repository around the current folder, for `trace stats` and `monitor`:
// nullopt outside a repository set up with `mlops init`, or when no feedback was ever imported.
Result<std::optional<std::vector<trace::FeedbackEvent>>> repository_feedback();

}  // namespace mlops::feedback
