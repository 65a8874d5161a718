#pragma once
// A remote on a local or mounted filesystem (an NFS share, a USB disk): the cache's own layout,
// `ROOT/ab/cdef…`, plus documents under their keys (`ROOT/runs/…`). Objects and documents appear
// whole or not at all: they are written to a temp file beside their target and renamed (objects)
// or hard-linked (documents, so that an existing one is never replaced).
#include <filesystem>

#include "mlops/data/remote.hpp"

namespace mlops::data {

// `shared: group` (as git's core.sharedRepository=group): every folder the remote makes is
// group-writable and setgid (so what is made in it keeps the group), whatever the umask; objects
// and documents stay read-only for everyone, and any member of the group may add, replace or
// remove them through their group-writable folders.
enum class Shared { no, group };

class PathRemote : public Remote {
 public:
  // `root` must exist (open_remote checks; see docs/remotes.md).
  explicit PathRemote(std::filesystem::path root, Shared shared = Shared::no)
      : root_(std::move(root)), shared_(shared) {}

  std::string describe() const override { return root_.string(); }
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path object_path(const Hash& hash) const;

  Result<std::vector<bool>> contains(const std::vector<Hash>& hashes, Verify ask = Verify::no) const override;
  Result<void> upload(const Hash& hash, const std::filesystem::path& object) const override;
  Result<void> download(const Hash& hash, const Cache& cache) const override;
  Result<std::vector<RemoteObject>> list() const override;
  Result<void> remove(const Hash& hash) const override;

  Result<DocumentPut> put_document(std::string_view key, const std::filesystem::path& file) const override;
  Result<bool> get_document(std::string_view key, const std::filesystem::path& dest) const override;
  Result<std::vector<RemoteDocument>> list_documents(std::string_view prefix) const override;

 private:
  // Failures on the remote's side are the environment's (unreachable mount, full disk): exit 3.
  Error remote_error(std::string_view action, const std::filesystem::path& path, int err) const;
  Error remote_wrap(Error e) const;
  // Creates `dir` (under the root) and the folders above it, shared as the setting says.
  Result<void> make_folders(const std::filesystem::path& dir) const;
  std::filesystem::path root_;
  Shared shared_;
};

}  // namespace mlops::data
