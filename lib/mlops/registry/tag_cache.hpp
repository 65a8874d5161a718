#pragma once
// A disposable local cache of parsed tag objects (.mlops/registry-tags.cache), keyed by object
// id. Git objects never change, so an entry is valid as long as its id is asked for; reading the
// registry then costs one walk of the refs plus the objects of tags that are new since the last
// full read, instead of inflating every tag object every time. A missing, unreadable or foreign
// file is treated as empty, and the file is rewritten whole (temp + rename).
#include <filesystem>
#include <string>
#include <unordered_map>

#include "mlops/core/error.hpp"
#include "mlops/git/tags.hpp"

namespace mlops::registry {

struct CachedTag {
  bool lightweight = false;  // the ref points straight at a commit
  git::AnnotatedTag tag;     // for annotated tags (its name is the ref's, not cached)
};
using TagCache = std::unordered_map<std::string, CachedTag>;  // object id (20 raw bytes) -> tag

TagCache read_tag_cache(const std::filesystem::path& file);
Result<void> write_tag_cache(const std::filesystem::path& file, const std::filesystem::path& tmp_dir,
                             const TagCache& cache);

}  // namespace mlops::registry
