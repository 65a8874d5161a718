#pragma once
// `mlops data export --format dvc`: the tracked data as a DVC 3 project sees it. For each
// dataset, `PATH.dvc` (outs: md5, size, nfiles, `hash: md5`, path) beside its `PATH.mlops`, and
// its files (and a folder's `.dir` manifest) in DVC's cache, `.dvc/cache/files/md5/ab/cdef…`,
// read-only as DVC leaves them. Each mlops object is read once, verified against its XXH3 while
// its MD5 is computed and its DVC copy written; the import memo remembers the pair, so exporting
// again (or importing what was exported) reads nothing twice.
#include <cstdint>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/pointer.hpp"

namespace mlops::interop {

struct DvcExported {
  std::string path;      // the data path
  std::string dvc_file;  // PATH.dvc
  std::string md5;       // as the .dvc file writes it (".dir" for a folder)
  data::Pointer pointer;
  bool changed = false;                    // the .dvc file is new or names another version
  std::string lock_file;                   // a dvc.lock names it: its objects are exported, no .dvc file
  std::vector<std::string> missing_files;  // objects not in the mlops cache: nothing written
};

struct DvcExportReport {
  std::vector<DvcExported> items;
  bool created_dvc_folder = false;  // `.dvc/config` and `.dvc/.gitignore` were written, as `dvc init` does
  std::uint64_t files_read = 0;
  std::uint64_t bytes_read = 0;
};

// Exports the datasets `paths` select (all when empty). Conflicted pointers are bad input.
Result<DvcExportReport> export_dvc(const Repo& repo, const std::vector<std::string>& paths);

// The text of a DVC 3 `.dvc` file for one out.
std::string format_dvc_file(const std::string& name, const std::string& md5, bool is_dir, std::uint64_t size,
                            std::uint64_t files);

}  // namespace mlops::interop
