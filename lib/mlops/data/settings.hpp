#pragma once
// The data module's settings in `.mlops/config.yaml` (committed) and `.mlops/config.local.yaml`
// (this machine's; it wins). Unknown keys are left to the modules that own them.
//
//   cache:
//     link: copy           # how data reaches the workspace: copy | reflink | hardlink | symlink
//   gc:
//     grace: 1d            # objects newer than this are never collected (0, 90s, 30m, 12h, 1d, 2w)
//   hooks:
//     checkout: true       # post-checkout/post-merge bring workspace data up to date
//     pre_commit: inform   # data differing from pointers outside the commit: inform | block
//     push_strict: false   # pre-push fails (instead of warning) on data no cache or remote has
#include <chrono>
#include <optional>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/link_mode.hpp"

namespace mlops::data {

enum class PreCommitMode { inform, block };

struct DataSettings {
  LinkMode link = LinkMode::copy;
  std::chrono::seconds gc_grace{24 * 3600};
  bool hooks_checkout = true;
  PreCommitMode pre_commit = PreCommitMode::inform;
  bool push_strict = false;
};

// Malformed values are bad input naming the file and the key.
Result<DataSettings> load_data_settings(const Repo& repo);

// "0", "90s", "30m", "12h", "1d", "2w" (a bare number is seconds); nullopt when malformed.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace mlops::data
