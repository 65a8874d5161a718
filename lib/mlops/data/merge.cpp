#include "mlops/data/merge.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <map>

#include "mlops/data/cache.hpp"
#include "mlops/data/remote.hpp"

namespace mlops::data {

ManifestMerge merge_manifests(const Manifest& base, const Manifest& ours, const Manifest& theirs) {
  std::map<std::string, std::array<const ManifestEntry*, 3>> files;
  for (const auto* m : {&base, &ours, &theirs}) {
    std::size_t side = m == &base ? 0 : m == &ours ? 1 : 2;
    for (const auto& e : *m) files[e.path][side] = &e;
  }
  auto same = [](const ManifestEntry* a, const ManifestEntry* b) {
    return a == b || (a && b && *a == *b) || (!a && !b);
  };
  ManifestMerge result;
  for (const auto& [path, sides] : files) {
    auto [o, a, b] = sides;
    const ManifestEntry* taken = nullptr;
    if (same(a, b) || same(o, b)) {
      taken = a;  // both the same, or only ours changed it
    } else if (same(o, a)) {
      taken = b;  // only theirs changed it
    } else {
      result.conflicts.push_back(path);
      continue;
    }
    if (taken) result.merged.push_back(*taken);
  }
  return result;  // std::map iterates by path: the merged manifest is sorted
}

namespace {

bool same_pointer(const Pointer& a, const Pointer& b) { return format_pointer(a) == format_pointer(b); }

// A conflict between texts that are not both pointers: git's markers around them as they are.
std::string raw_conflict(std::string_view ours, std::string_view theirs) {
  auto line_end = [](std::string_view s) { return s.empty() || s.back() == '\n' ? "" : "\n"; };
  return fmt::format("<<<<<<< ours\n{}{}=======\n{}{}>>>>>>> theirs\n", ours, line_end(ours), theirs, line_end(theirs));
}

// The manifest of a folder version, fetched from the default remote when the cache lacks it.
std::optional<Manifest> manifest_of(const Repo& repo, const Cache& cache, const Pointer& pointer) {
  if (pointer.kind != Kind::dir) return std::nullopt;
  if (!cache.contains(pointer.hash)) (void)fetch_objects(repo, {pointer.hash});
  auto manifest = read_manifest(cache, pointer.hash);
  if (!manifest) return std::nullopt;
  return std::move(*manifest);
}

}  // namespace

PointerMergeResult merge_pointer_texts(const Repo* repo, std::string_view base_text, std::string_view ours_text,
                                       std::string_view theirs_text, std::string_view pointer_file) {
  auto ours = parse_pointer(ours_text, std::string(pointer_file));
  auto theirs = parse_pointer(theirs_text, std::string(pointer_file));
  if (!ours || !theirs) {
    return {raw_conflict(ours_text, theirs_text), false,
            (!ours ? ours.error() : theirs.error()).message + " (not merged)"};
  }
  std::optional<Pointer> base;
  if (auto parsed = parse_pointer(base_text, std::string(pointer_file))) base = *parsed;

  if (same_pointer(*ours, *theirs) || (base && same_pointer(*base, *theirs))) return {format_pointer(*ours), true, {}};
  if (base && same_pointer(*base, *ours)) return {format_pointer(*theirs), true, {}};

  PointerConflict conflict{*ours, *theirs, base, {}};
  auto conflicted = [&](std::string reason) {
    return PointerMergeResult{format_pointer_conflict(conflict, pointer_file), false, std::move(reason)};
  };
  if (ours->path != theirs->path) return conflicted("the two sides name different data paths");
  if (ours->kind != Kind::dir || theirs->kind != Kind::dir) {
    return conflicted("both sides changed it (a file version has no parts to merge)");
  }
  if (!repo) return conflicted("no mlops store here to read the folder's manifests from");
  Cache cache(*repo);
  auto ours_files = manifest_of(*repo, cache, *ours);
  auto theirs_files = manifest_of(*repo, cache, *theirs);
  std::optional<Manifest> base_files = Manifest{};  // a folder both sides added: empty base
  if (base && base->kind == Kind::dir) base_files = manifest_of(*repo, cache, *base);
  if (!ours_files || !theirs_files || !base_files) {
    return conflicted(
        "the folder's manifests are neither in the cache nor on the default remote; 'mlops data fetch --rev "
        "MERGE_HEAD' and merge again");
  }
  auto merged = merge_manifests(*base_files, *ours_files, *theirs_files);
  if (!merged.conflicts.empty()) {
    conflict.files = merged.conflicts;
    std::size_t n = merged.conflicts.size();
    return conflicted(fmt::format("both sides changed {} file{} differently: {}", n, n == 1 ? "" : "s",
                                  fmt::join(merged.conflicts, ", ")));
  }
  auto hash = cache.put_bytes(serialize_manifest(merged.merged));
  if (hash) {
    if (auto flushed = cache.flush(); !flushed) hash = std::unexpected(flushed.error());
  }
  if (!hash) return conflicted("the merged manifest could not be stored: " + hash.error().message);
  Pointer result = *ours;
  result.hash = *hash;
  result.size = total_size(merged.merged);
  result.files = merged.merged.size();
  return {format_pointer(result), true, {}};
}

}  // namespace mlops::data
