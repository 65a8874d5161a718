// DVC's own files, as `mlops import dvc` reads them from a repository somebody else wrote: `.dvc`
// files, `dvc.lock` (with the stage folders of the dvc.yaml after a NUL byte), `.dir` manifests
// (which must format and parse back to the same entries), `.dvc/config`, and the lexical join that
// keeps every out inside the repository. The first byte picks.
#include <algorithm>
#include <cstdlib>

#include "fuzz.hpp"
#include "mlops/interop/dvc_config.hpp"
#include "mlops/interop/dvc_file.hpp"

namespace {

using namespace mlops::interop;

// A manifest that parsed must survive the canonical form DVC names directories by.
void check_manifest_round_trip(std::string_view text) {
  auto entries = parse_dir_manifest(text, "fuzz.dir");
  if (!entries) return;
  auto again = parse_dir_manifest(format_dir_manifest(*entries), "fuzz.dir");
  if (!again) std::abort();
  auto key = [](const DvcDirEntry& e) { return std::pair(e.relpath, e.md5); };
  std::vector<std::pair<std::string, std::string>> before, after;
  for (const auto& e : *entries) before.push_back(key(e));
  for (const auto& e : *again) after.push_back(key(e));
  std::sort(before.begin(), before.end());
  std::sort(after.begin(), after.end());
  if (before != after) std::abort();
}

// Every out a parser accepts must be inside the repository.
void check_outs(const mlops::Result<std::vector<DvcOut>>& outs) {
  if (!outs) return;
  for (const auto& out : *outs) {
    if (out.path.empty() || out.path == "." || out.path.starts_with('/') || out.path == ".." ||
        out.path.starts_with("../"))
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto text = mlops::fuzz::text(data + 1, size - 1);
  auto nul = text.find('\0');
  auto first = text.substr(0, nul);
  auto second = nul == std::string_view::npos ? std::string_view() : text.substr(nul + 1);
  switch (data[0] % 5) {
    case 0:
      check_outs(parse_dvc_file(text, "data/fuzz.csv.dvc"));
      break;
    case 1: {
      auto wdirs = stage_wdirs_of_dvc_yaml(second, "dvc.yaml");
      check_outs(parse_dvc_lock(first, "dvc.lock", wdirs ? *wdirs : decltype(wdirs)::value_type{}));
      break;
    }
    case 2:
      check_manifest_round_trip(text);
      break;
    case 3: {
      DvcConfig config;
      (void)parse_dvc_config(text, ".dvc/config", "/repo/.dvc", config);
      break;
    }
    default:
      if (auto joined = join_inside(first, second);
          joined && (joined->starts_with('/') || joined->starts_with("../"))) {
        std::abort();
      }
  }
  return 0;
}
