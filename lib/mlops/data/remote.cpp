#include "mlops/data/remote.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/status.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

namespace {

// Copies everything from `in` into `temp` and returns the hash of what went through; the
// callbacks turn a read errno and a write error into errors that name the side that failed.
template <class ReadError, class WriteError>
Result<Hash> copy_hashing(int in, AtomicFile& temp, ReadError read_error, WriteError write_error) {
  Hasher hasher;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(read_error(errno));
    }
    if (n == 0) return hasher.digest();
    hasher.update(buffer, static_cast<std::size_t>(n));
    if (auto w = temp.write(std::string_view(buffer, static_cast<std::size_t>(n))); !w) {
      return std::unexpected(write_error(w.error()));
    }
  }
}

// A remote on a local or mounted filesystem: the same layout as the cache.
class LocalRemote : public Remote {
 public:
  explicit LocalRemote(fs::path root) : root_(std::move(root)) {}

  std::string describe() const override { return root_.string(); }

  fs::path object_path(const Hash& hash) const {
    std::string hex = hash.hex();
    return root_ / hex.substr(0, 2) / hex.substr(2);
  }

  Result<std::vector<bool>> contains(const std::vector<Hash>& hashes) const override {
    std::vector<bool> found;
    found.reserve(hashes.size());
    for (const auto& h : hashes) {
      struct stat st {};
      found.push_back(::stat(object_path(h).c_str(), &st) == 0);
    }
    return found;
  }

  Result<void> upload(const Hash& hash, const fs::path& object) const override {
    fs::path target = object_path(hash);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return std::unexpected(remote_error("create", target.parent_path(), ec.value()));
    UniqueFd in(::open(object.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) return std::unexpected(system_error("read", object, errno));
    // The temp file sits beside the target, on the remote's filesystem, so rename is atomic there.
    auto temp = AtomicFile::create(target);
    if (!temp) return std::unexpected(remote_wrap(temp.error()));
    auto copied = copy_hashing(
        in.get(), *temp, [&](int err) { return system_error("read", object, err); },
        [&](Error e) { return remote_wrap(std::move(e)); });
    if (!copied) return std::unexpected(copied.error());
    if (*copied != hash) return std::unexpected(corrupt_object_error(hash));  // never upload a corrupt object
    if (auto r = temp->set_mode(0444); !r) return std::unexpected(remote_wrap(r.error()));
    if (auto r = temp->commit(Sync::yes); !r) return std::unexpected(remote_wrap(r.error()));
    return {};
  }

  Result<void> download(const Hash& hash, const Cache& cache) const override {
    fs::path source = object_path(hash);
    UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) {
      if (errno == ENOENT) {
        return std::unexpected(bad_input(fmt::format("object {} is not on remote '{}'", hash.str(), describe()),
                                         "push it from a clone that has it: mlops data push"));
      }
      return std::unexpected(remote_error("read", source, errno));
    }
    auto temp = AtomicFile::create(cache.tmp() / "download", cache.tmp());
    if (!temp) return std::unexpected(temp.error());
    auto copied = copy_hashing(
        in.get(), *temp, [&](int err) { return remote_error("read", source, err); }, [](Error e) { return e; });
    if (!copied) return std::unexpected(copied.error());
    if (*copied != hash) {
      return std::unexpected(
          environment_error(fmt::format("object {} on remote '{}' is corrupt (its content does not match its hash)",
                                        hash.str(), describe()),
                            "push a good copy from a clone that has it, or remove the damaged file from the remote"));
    }
    return cache.publish(*temp, hash);
  }

  Result<std::vector<RemoteObject>> list() const override {
    std::vector<RemoteObject> objects;
    std::error_code ec;
    for (const auto& fan : fs::directory_iterator(root_, ec)) {
      std::string prefix = fan.path().filename().string();
      if (prefix.size() != 2) continue;
      std::error_code inner;
      for (const auto& entry : fs::directory_iterator(fan.path(), inner)) {
        auto hash = Hash::parse_hex(prefix + entry.path().filename().string());
        if (!hash) continue;  // a temp file of an upload in progress
        struct stat st {};
        if (::stat(entry.path().c_str(), &st) != 0) continue;
        objects.push_back(
            RemoteObject{*hash, static_cast<std::uint64_t>(st.st_size), static_cast<std::int64_t>(st.st_mtim.tv_sec)});
      }
      if (inner) return std::unexpected(remote_error("list", fan.path(), inner.value()));
    }
    if (ec) return std::unexpected(remote_error("list", root_, ec.value()));
    return objects;
  }

  Result<void> remove(const Hash& hash) const override {
    if (::unlink(object_path(hash).c_str()) != 0 && errno != ENOENT) {
      return std::unexpected(remote_error("remove", object_path(hash), errno));
    }
    return {};
  }

 private:
  // Failures on the remote's side are the environment's (unreachable mount, full disk): exit 3.
  Error remote_error(std::string_view action, const fs::path& path, int err) const {
    Error e = system_error(action, path, err);
    e.exit = Exit::environment;
    if (e.hint.empty()) e.hint = fmt::format("check that remote '{}' is mounted and writable", describe());
    return e;
  }
  Error remote_wrap(Error e) const {
    e.exit = Exit::environment;
    return e;
  }
  fs::path root_;
};

fs::path local_path_of(const Repo& repo, std::string_view url) {
  std::string text(url);
  if (text.starts_with("file://")) text = text.substr(7);
  fs::path p(text);
  return p.is_absolute() ? p : repo.root / p;
}

}  // namespace

Result<std::vector<RemoteObject>> Remote::list() const {
  return std::unexpected(bad_input(fmt::format("remote '{}' cannot list its objects", describe()),
                                   "clean it with the storage's own tools"));
}

Result<void> Remote::remove(const Hash&) const {
  return std::unexpected(
      bad_input(fmt::format("remote '{}' cannot delete objects", describe()), "clean it with the storage's own tools"));
}

Result<void> check_remote_url(std::string_view url) {
  if (url.empty()) return std::unexpected(bad_input("the remote URL is empty"));
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos && !url.starts_with("file://")) {
    return std::unexpected(bad_input(fmt::format("remote URL '{}' uses a scheme this version cannot reach", url),
                                     "use a local or mounted path (S3-compatible storage is planned)"));
  }
  return {};
}

Result<std::unique_ptr<Remote>> open_remote(const Repo& repo, const RemoteConfig& config) {
  if (auto ok = check_remote_url(config.url); !ok) return std::unexpected(ok.error());
  fs::path root = local_path_of(repo, config.url);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    fs::create_directories(root, ec);
    if (ec) {
      return std::unexpected(environment_error(
          fmt::format("remote '{}' at '{}' is not reachable: {}", config.name, root.string(), ec.message()),
          "check that the path exists and is mounted"));
    }
  }
  return std::unique_ptr<Remote>(new LocalRemote(root));
}

Result<std::unique_ptr<Remote>> open_named_remote(const Repo& repo, const Config& config, std::string_view name) {
  std::string chosen = name.empty() ? config.default_remote : std::string(name);
  if (chosen.empty()) {
    return std::unexpected(bad_input("no remote given and no default remote is set",
                                     "add one with 'mlops remote add NAME URL --default', or pass --remote NAME"));
  }
  const RemoteConfig* remote = config.find_remote(chosen);
  if (!remote) {
    return std::unexpected(bad_input(fmt::format("unknown remote '{}'", chosen), "see 'mlops remote list'"));
  }
  return open_remote(repo, *remote);
}

std::vector<Hash> objects_of(const Cache& cache, const std::vector<TrackedData>& items, std::vector<Hash>* unexpanded) {
  std::set<Hash> seen;
  std::vector<Hash> objects;
  auto add = [&](const Hash& h) {
    if (seen.insert(h).second) objects.push_back(h);
  };
  for (const auto& item : items) {
    add(item.pointer.hash);
    if (item.pointer.kind != Kind::dir) continue;
    auto manifest = read_manifest(cache, item.pointer.hash);
    if (!manifest) {
      if (unexpanded) unexpanded->push_back(item.pointer.hash);
      continue;
    }
    for (const auto& e : *manifest) add(e.hash);
  }
  return objects;
}

Result<TransferResult> push(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items) {
  TransferResult result;
  auto objects = objects_of(cache, items);
  auto present = remote.contains(objects);
  if (!present) return std::unexpected(present.error());
  std::vector<Hash> to_send;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if ((*present)[i]) {
      ++result.skipped;
    } else if (!cache.contains(objects[i])) {
      return std::unexpected(missing_object_error(objects[i]));
    } else {
      to_send.push_back(objects[i]);
    }
  }
  std::uint64_t total = 0;
  for (const auto& h : to_send) {
    std::error_code ec;
    total += fs::file_size(cache.object_path(h), ec);
  }
  out::Progress progress(fmt::format("Pushing to {}", remote.describe()), total);
  for (const auto& h : to_send) {
    if (auto r = remote.upload(h, cache.object_path(h)); !r) return std::unexpected(r.error());
    std::error_code ec;
    auto size = fs::file_size(cache.object_path(h), ec);
    result.bytes += size;
    ++result.objects;
    progress.advance(size);
  }
  return result;
}

namespace {
Result<void> download_missing(const Cache& cache, const Remote& remote, const std::vector<Hash>& wanted,
                              TransferResult& result) {
  for (const auto& h : wanted) {
    if (cache.contains(h)) {
      ++result.skipped;
      continue;
    }
    if (auto r = remote.download(h, cache); !r) return r;
    std::error_code ec;
    result.bytes += fs::file_size(cache.object_path(h), ec);
    ++result.objects;
  }
  return {};
}
}  // namespace

Result<TransferResult> fetch(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items) {
  TransferResult result;
  // Manifests first: a folder's files are known only once its manifest is here.
  std::vector<Hash> manifests;
  for (const auto& item : items) {
    if (item.pointer.kind == Kind::dir) manifests.push_back(item.pointer.hash);
  }
  if (auto r = download_missing(cache, remote, manifests, result); !r) return std::unexpected(r.error());
  auto objects = objects_of(cache, items);
  if (auto r = download_missing(cache, remote, objects, result); !r) return std::unexpected(r.error());
  result.skipped = objects.size() - std::min(objects.size(), result.objects);
  if (auto r = cache.flush(); !r) return std::unexpected(r.error());
  return result;
}

Result<TransferResult> fetch_version(const Repo& repo, const Hash& hash, Kind kind, std::string_view remote_name) {
  Cache cache(repo);
  TrackedData item;
  item.pointer.hash = hash;
  item.pointer.kind = kind;
  if (version_in_cache(cache, item.pointer)) return TransferResult{};
  auto config = load_config(repo);
  if (!config) return std::unexpected(config.error());
  auto remote = open_named_remote(repo, *config, remote_name);
  if (!remote) return std::unexpected(remote.error());
  return fetch(cache, **remote, {item});
}

Result<void> fetch_objects(const Repo& repo, const std::vector<Hash>& wanted, std::string_view remote_name) {
  Cache cache(repo);
  std::vector<Hash> missing;
  for (const auto& h : wanted) {
    if (!cache.contains(h)) missing.push_back(h);
  }
  if (missing.empty()) return {};
  auto config = load_config(repo);
  if (!config) return std::unexpected(config.error());
  auto remote = open_named_remote(repo, *config, remote_name);
  if (!remote) return std::unexpected(remote.error());
  TransferResult result;
  if (auto r = download_missing(cache, **remote, missing, result); !r) return r;
  return cache.flush();
}

}  // namespace mlops::data
