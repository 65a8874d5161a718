#pragma once
// What DVC's own files say about tracked data: the `outs` of `.dvc` files and of the stages in
// `dvc.lock` (schema 2.0), as documented at dvc.org ("`.dvc` Files", "dvc.yaml", "dvc.lock file").
// An out names its data by the MD5 DVC computed; a directory's MD5 ends in ".dir" and names the
// JSON manifest of its files. Outs written by DVC 3 carry `hash: md5`; the others were hashed by
// DVC 2, which turned CRLF into LF in files it took for text, and live in the older cache layout.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::interop {

struct DvcOut {
  std::string path;  // repository-relative, '/'-separated, never climbing out
  std::string md5;   // 32 hex digits (without ".dir"); empty when the out has no MD5
  bool is_dir = false;
  bool legacy = false;  // hashed by DVC 2 (no `hash: md5`): cache at .dvc/cache/ab/…, dos2unix MD5
  bool cached = true;   // `cache: false`: the file is kept in git, not in DVC's cache
  bool executable = false;
  std::optional<std::uint64_t> size;
  std::optional<std::uint64_t> nfiles;
  std::string other_hash;  // `etag` or `checksum` of an external out: nothing to import
  // An external out named by URL (`s3://bucket/x.csv`, `remote://name/x`): `path` holds the URL as
  // written, and nothing is imported (the data lives outside the repository).
  bool external = false;
  std::string remote;  // the out's `remote:` field
  std::string source;  // the .dvc or dvc.lock file that names it, repository-relative
  std::string stage;   // the dvc.lock stage; empty for a .dvc file
};

// Parses a `.dvc` file. `source` is its repository-relative path: out paths are relative to its
// folder (and `wdir`). Unknown fields, malformed values and outs outside the repository are bad
// input naming the file, the line and the field.
Result<std::vector<DvcOut>> parse_dvc_file(std::string_view text, std::string_view source);
// Parses a `dvc.lock` (schema 2.0): the outs of every stage, relative to the stage's `wdir` in
// the dvc.yaml beside it (`stage_wdirs`, stage name to wdir; empty when there is none).
Result<std::vector<DvcOut>> parse_dvc_lock(std::string_view text, std::string_view source,
                                           const std::vector<std::pair<std::string, std::string>>& stage_wdirs = {});
// The `wdir` of each stage of a dvc.yaml that sets one (a foreach group's applies to its items).
Result<std::vector<std::pair<std::string, std::string>>> stage_wdirs_of_dvc_yaml(std::string_view text,
                                                                                 std::string_view source);

// One entry of a directory's `.dir` manifest.
struct DvcDirEntry {
  std::string relpath;  // '/'-separated, relative to the directory
  std::string md5;
  bool executable = false;
};
// Parses a `.dir` manifest: a JSON list of {"md5": ..., "relpath": ...}. Paths that climb out of
// the directory are bad input.
Result<std::vector<DvcDirEntry>> parse_dir_manifest(std::string_view text, std::string_view source);
// The canonical `.dir` text DVC writes (entries sorted by relpath; Python's json.dumps with
// sort_keys; only the documented md5 and relpath), whose MD5 names the directory.
std::string format_dir_manifest(std::vector<DvcDirEntry> entries);

// Joins `base` (a repository-relative folder, "" for the root) and `path` lexically; nullopt when
// the result is absolute or leaves the repository.
std::optional<std::string> join_inside(std::string_view base, std::string_view path);

}  // namespace mlops::interop
