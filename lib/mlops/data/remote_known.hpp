#pragma once
// What this machine knows a remote has. Content-addressed objects never change, so once an
// object has been uploaded to (or seen on) a remote it need not be asked about again: a push of
// 20,000 objects the remote is known to hold sends no request at all. The table lives in
// `.mlops/remotes.db` (SQLite), keyed by the remote's location (URL and endpoint), and is
// disposable: losing it only costs requests. It can be wrong only when someone deletes objects
// behind our back (another clone's `data gc --remote`, a storage tool); `--verify` asks again.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"

namespace mlops::data {

class KnownObjects {
 public:
  // Opens (creating) the table at `db` for the remote whose location is `location`.
  static Result<std::unique_ptr<KnownObjects>> open(const std::filesystem::path& db, std::string location);
  ~KnownObjects();

  // Which of `hashes` are known to be on the remote, in order (one query, whatever the count).
  Result<std::vector<bool>> known(const std::vector<Hash>& hashes);
  // How many objects are known for this remote.
  Result<std::size_t> count();
  Result<void> add(const std::vector<Hash>& hashes);
  Result<void> forget(const std::vector<Hash>& hashes);
  Result<void> forget_all();

  struct Impl;

 private:
  explicit KnownObjects(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlops::data
