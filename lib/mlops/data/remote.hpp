#pragma once
// Remotes hold the cache's content-addressed layout (`ab/cdef…`) somewhere else. Only missing
// objects move, and every upload is atomic on the remote (temp + rename), so an interrupted push
// can simply be rerun. Besides objects a remote holds documents: small immutable files under keys
// such as `runs/…` (shared runs). The interface is the seam between kinds of storage: a path
// (remote_path.hpp) and S3-compatible object storage (remote_s3.hpp).
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/config.hpp"
#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::data {

class Cache;

// An object as a remote lists it.
struct RemoteObject {
  Hash hash;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // last modification, seconds since the epoch
};

// A document as a remote lists it: `key` is relative to the remote's root ("runs/index/x.json").
struct RemoteDocument {
  std::string key;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // last modification, seconds since the epoch
};

// What put_document did. A key, once written, keeps its bytes: `differs` means another writer
// published different content under it first, and nothing was changed.
enum class DocumentPut { written, already_there, differs };

// Whether to trust what this machine remembers a remote has (remote_known.hpp), or ask again.
enum class Verify { no, yes };

class Remote {
 public:
  virtual ~Remote() = default;
  virtual std::string describe() const = 0;
  // Which of `hashes` the remote has, in the same order. `ask` yes: ask the remote itself even if
  // the remote was opened to trust what this machine remembers (remembers_contents()).
  virtual Result<std::vector<bool>> contains(const std::vector<Hash>& hashes, Verify ask = Verify::no) const = 0;
  // Whether contains() answers from what this machine remembers the remote holds, without asking.
  virtual bool remembers_contents() const { return false; }
  // Copies a local object file to the remote under `hash`, atomically.
  virtual Result<void> upload(const Hash& hash, const std::filesystem::path& object) const = 0;
  // Downloads `hash` into the cache; the bytes are verified before they are published.
  virtual Result<void> download(const Hash& hash, const Cache& cache) const = 0;
  // Every object on the remote (for `data gc --remote`). Kinds that cannot list: exit 2.
  virtual Result<std::vector<RemoteObject>> list() const;
  // Deletes object `hash`; "not there" is success. Kinds that cannot delete: exit 2.
  virtual Result<void> remove(const Hash& hash) const;

  // Batches, what push and fetch call: the defaults call upload()/download() one object at a time;
  // remotes that keep many transfers in flight override them. `advance(bytes)` after each object.
  using Advance = std::function<void(std::uint64_t bytes)>;
  // Stops at the first failure (what was uploaded stays uploaded: a rerun sends the rest).
  virtual Result<void> upload_many(const std::vector<Hash>& hashes, const Cache& cache, const Advance& advance) const;
  // One result per hash, in order: a missing or corrupt object does not keep the others from arriving.
  virtual std::vector<Result<void>> download_many(const std::vector<Hash>& hashes, const Cache& cache,
                                                  const Advance& advance) const;
  // HTTP requests sent so far (none for a path remote), for --json and the benchmark.
  virtual std::uint64_t requests() const { return 0; }

  // Documents (check_document_key says which keys are valid). All three fail with exit 3 when the
  // remote cannot be reached, and exit 2 for an invalid key.
  // Publishes the bytes of `file` under `key` atomically, unless the key exists: then it reports
  // whether the existing document has the same bytes (`already_there`) or not (`differs`).
  virtual Result<DocumentPut> put_document(std::string_view key, const std::filesystem::path& file) const = 0;
  // Writes document `key` to `dest` atomically; false (and `dest` untouched) when there is none.
  virtual Result<bool> get_document(std::string_view key, const std::filesystem::path& dest) const = 0;
  // The documents whose keys start with `prefix` (a plain string prefix: "runs/" or "runs/ab"),
  // sorted by key. Objects are never listed here.
  virtual Result<std::vector<RemoteDocument>> list_documents(std::string_view prefix) const = 0;
};

// A document key: '/'-separated parts of letters, digits and "._-+=@,", none empty or starting
// with '.', at most 512 bytes, and a first part longer than two characters (two-character folders
// hold objects). Exit 2 otherwise.
Result<void> check_document_key(std::string_view key);

// What a command line sets over a remote's settings and their environment overrides.
struct RemoteOverrides {
  unsigned jobs = 0;  // `--jobs N` (checked by the caller: 1 to 512); 0: the remote's `jobs`
};

// Opens the remote a config entry describes: a local or mounted path (absolute, `file://`, or
// relative to the repository root; remote_path.hpp) or s3://BUCKET[/PREFIX] (remote_s3.hpp), with
// its settings, their environment overrides (remote_settings.hpp), then `overrides`.
Result<std::unique_ptr<Remote>> open_remote(const Repo& repo, const RemoteConfig& config, Verify verify = Verify::no,
                                            const RemoteOverrides& overrides = {});
// The remote named `name`, or the default remote when `name` is empty; exit 2 when there is none.
Result<std::unique_ptr<Remote>> open_named_remote(const Repo& repo, const Config& config, std::string_view name,
                                                  Verify verify = Verify::no, const RemoteOverrides& overrides = {});
// s3://BUCKET[/PREFIX]: the bucket (S3's naming rules) and the prefix without '/' at either end.
struct S3Location {
  std::string bucket;
  std::string prefix;
};
Result<S3Location> parse_s3_url(std::string_view url);

// Validates a URL for `mlops remote add`: a path, file://PATH or s3://BUCKET[/PREFIX].
Result<void> check_remote_url(std::string_view url);

// A remote's folder is never created as a side effect (a typo or an unmounted share would
// silently become an empty remote): `remote add` checks it exists, and --create makes it.
enum class CreateRemote { no, yes };
// For `mlops remote add`: validates the URL and, for a path remote, that its folder exists
// (exit 2 with a hint naming --create), or creates it with CreateRemote::yes (exit 3 when it cannot).
Result<void> prepare_remote_location(const Repo& repo, std::string_view url, CreateRemote create);

struct TransferResult {
  std::size_t objects = 0;  // objects transferred
  std::size_t skipped = 0;  // already on the other side
  bool remembered = false;  // `skipped` is what this machine remembers the remote has, not asked
  std::uint64_t bytes = 0;
  std::uint64_t requests = 0;  // HTTP requests sent (S3), retries included
};

// The error for an object whose bytes on the remote do not match its name. `moved_to` is where it
// was moved aside on the remote (empty when it could not be: `why_not` says why). Exit 3.
Error corrupt_remote_object(const Hash& hash, std::string_view remote, std::string_view moved_to,
                            std::string_view why_not = {});

// Every object that versions of `items` need. Folder manifests must be in the cache to be expanded;
// the manifests that are not are listed in `unexpanded`.
std::vector<Hash> objects_of(const Cache& cache, const std::vector<TrackedData>& items,
                             std::vector<Hash>* unexpanded = nullptr);

// Where a tracked version's objects are, for `data status --remote`: how many the remote lacks
// (a push sends them), and how many neither it nor the cache has (lost unless another clone has them).
struct RemoteStatus {
  TrackedData item;
  std::size_t objects = 0;
  std::size_t not_on_remote = 0;
  std::size_t in_neither = 0;
  bool unexpanded = false;  // a folder whose manifest is not in the cache: only the manifest was asked about
};
// One question to the remote for all of `items` (answered from what this machine knows unless the
// remote was opened with Verify::yes).
Result<std::vector<RemoteStatus>> remote_status(const Cache& cache, const Remote& remote,
                                                const std::vector<TrackedData>& items);

// `ask` yes: what the remote has is asked even where this machine remembers it (run artifacts
// about to be published, whose loss would make the published run unpullable).
Result<TransferResult> push(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items,
                            Verify ask = Verify::no);
Result<TransferResult> fetch(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items);
// Fetches specific objects (and, for folder versions, the manifest's files) that are missing
// locally, from the named remote or the default one.
Result<TransferResult> fetch_version(const Repo& repo, const Hash& hash, Kind kind, std::string_view remote = {});
Result<void> fetch_objects(const Repo& repo, const std::vector<Hash>& wanted, std::string_view remote = {});

}  // namespace mlops::data
