#include "mlops/data/remote_path.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "mlops/core/file.hpp"
#include "mlops/data/cache.hpp"

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

// Reads up to `size` bytes, fewer only at the end of the file; -1 with errno on failure.
ssize_t read_full(int fd, char* buffer, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, buffer + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

// Whether two files hold the same bytes; -errno when one cannot be read.
int same_content(const fs::path& a, const fs::path& b) {
  UniqueFd fa(::open(a.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fa) return -errno;
  UniqueFd fb(::open(b.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fb) return -errno;
  static constexpr std::size_t chunk = 1 << 16;
  std::string ba(chunk, '\0'), bb(chunk, '\0');
  for (;;) {
    ssize_t na = read_full(fa.get(), ba.data(), chunk);
    ssize_t nb = read_full(fb.get(), bb.data(), chunk);
    if (na < 0 || nb < 0) return -errno;
    if (na != nb || std::memcmp(ba.data(), bb.data(), static_cast<std::size_t>(na)) != 0) return 0;
    if (na == 0) return 1;
  }
}

}  // namespace

fs::path PathRemote::object_path(const Hash& hash) const {
  std::string hex = hash.hex();
  return root_ / hex.substr(0, 2) / hex.substr(2);
}

Error PathRemote::remote_error(std::string_view action, const fs::path& path, int err) const {
  Error e = system_error(action, path, err);
  e.exit = Exit::environment;
  if (e.hint.empty()) e.hint = fmt::format("check that remote '{}' is mounted and writable", describe());
  return e;
}

Error PathRemote::remote_wrap(Error e) const {
  e.exit = Exit::environment;
  return e;
}

Result<void> PathRemote::make_folders(const fs::path& dir) const {
  std::error_code ec;
  if (shared_ == Shared::no) {
    fs::create_directories(dir, ec);
    if (ec) return std::unexpected(remote_error("create", dir, ec.value()));
    return {};
  }
  if (fs::is_directory(dir, ec)) return {};
  if (dir != root_ && dir.has_parent_path()) MLOPS_TRY(make_folders(dir.parent_path()));
  if (::mkdir(dir.c_str(), 0775) != 0 && errno != EEXIST) return std::unexpected(remote_error("create", dir, errno));
  // chmod, not the mkdir mode: the umask would take the group's write bit away.
  if (::chmod(dir.c_str(), 02775) != 0) return std::unexpected(remote_error("share", dir, errno));
  return {};
}

Result<std::vector<bool>> PathRemote::contains(const std::vector<Hash>& hashes, Verify) const {
  std::vector<bool> found;
  found.reserve(hashes.size());
  for (const auto& h : hashes) {
    struct stat st {};
    found.push_back(::stat(object_path(h).c_str(), &st) == 0);
  }
  return found;
}

Result<void> PathRemote::upload(const Hash& hash, const fs::path& object) const {
  fs::path target = object_path(hash);
  MLOPS_TRY(make_folders(target.parent_path()));
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

Result<void> PathRemote::download(const Hash& hash, const Cache& cache) const {
  fs::path source = object_path(hash);
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) {
    if (errno == ENOENT) {
      return std::unexpected(bad_input(
          fmt::format("object {} is not on remote '{}'", hash.str(), describe()),
          "push it from a clone that has it: 'mlops data push' (a run's artifact: 'mlops runs push --verify ID')"));
    }
    return std::unexpected(remote_error("read", source, errno));
  }
  auto temp = AtomicFile::create(cache.tmp() / "download", cache.tmp());
  if (!temp) return std::unexpected(temp.error());
  auto copied = copy_hashing(
      in.get(), *temp, [&](int err) { return remote_error("read", source, err); }, [](Error e) { return e; });
  if (!copied) return std::unexpected(copied.error());
  if (*copied != hash) {
    // Moved aside, so that it is never served again and the next push of a good copy replaces it
    // (a push sends what the remote lacks). `.corrupt/` is neither an object folder nor a document.
    fs::path aside = root_ / ".corrupt" / fmt::format("{}.{}", hash.hex(), ::time(nullptr));
    auto made = make_folders(aside.parent_path());
    if (made && ::rename(source.c_str(), aside.c_str()) == 0) {
      return std::unexpected(corrupt_remote_object(hash, describe(), aside.string()));
    }
    return std::unexpected(
        corrupt_remote_object(hash, describe(), {}, made ? std::string(std::strerror(errno)) : made.error().message));
  }
  return cache.publish(*temp, hash);
}

Result<std::vector<RemoteObject>> PathRemote::list() const {
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

Result<void> PathRemote::remove(const Hash& hash) const {
  if (::unlink(object_path(hash).c_str()) != 0 && errno != ENOENT) {
    return std::unexpected(remote_error("remove", object_path(hash), errno));
  }
  return {};
}

Result<DocumentPut> PathRemote::put_document(std::string_view key, const fs::path& file) const {
  MLOPS_TRY(check_document_key(key));
  fs::path target = root_ / fs::path(std::string(key));
  MLOPS_TRY(make_folders(target.parent_path()));
  UniqueFd in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return std::unexpected(system_error("read", file, errno));
  auto temp = AtomicFile::create(target);
  if (!temp) return std::unexpected(remote_wrap(temp.error()));
  auto copied = copy_hashing(
      in.get(), *temp, [&](int err) { return system_error("read", file, err); },
      [&](Error e) { return remote_wrap(std::move(e)); });
  if (!copied) return std::unexpected(copied.error());
  if (::fchmod(temp->fd(), 0444) != 0 || ::fsync(temp->fd()) != 0) {
    return std::unexpected(remote_error("write", temp->temp_path(), errno));
  }
  // link(2) publishes the document only if the key is free, atomically, where rename(2) would
  // replace a document another machine wrote a moment ago. The temp file goes with `temp`.
  if (::link(temp->temp_path().c_str(), target.c_str()) == 0) {
    if (auto r = fsync_dir(target.parent_path()); !r) return std::unexpected(remote_wrap(r.error()));
    return DocumentPut::written;
  }
  int err = errno;
  if (err == EPERM || err == ENOTSUP || err == EOPNOTSUPP) {
    // A filesystem without hard links (some network and FUSE mounts): rename without replacing.
    if (::renameat2(AT_FDCWD, temp->temp_path().c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
      if (auto r = fsync_dir(target.parent_path()); !r) return std::unexpected(remote_wrap(r.error()));
      return DocumentPut::written;
    }
    err = errno;
  }
  if (err != EEXIST) return std::unexpected(remote_error("write", target, err));
  int same = same_content(file, target);
  if (same < 0) return std::unexpected(remote_error("read", target, -same));
  return same ? DocumentPut::already_there : DocumentPut::differs;
}

Result<bool> PathRemote::get_document(std::string_view key, const fs::path& dest) const {
  MLOPS_TRY(check_document_key(key));
  fs::path source = root_ / fs::path(std::string(key));
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) {
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return std::unexpected(remote_error("read", source, errno));
  }
  auto temp = AtomicFile::create(dest);
  if (!temp) return std::unexpected(temp.error());
  auto copied = copy_hashing(
      in.get(), *temp, [&](int err) { return remote_error("read", source, err); }, [](Error e) { return e; });
  if (!copied) return std::unexpected(copied.error());
  MLOPS_TRY(temp->commit(Sync::yes));
  return true;
}

Result<std::vector<RemoteDocument>> PathRemote::list_documents(std::string_view prefix) const {
  // Walk only the folder the prefix names ("runs/ab" walks runs/), then filter by the full prefix.
  std::string folder(prefix.substr(0, prefix.rfind('/') == std::string_view::npos ? 0 : prefix.rfind('/')));
  fs::path start = folder.empty() ? root_ : root_ / folder;
  std::vector<RemoteDocument> documents;
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return documents;
  fs::recursive_directory_iterator it(start, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    auto relative = it->path().lexically_relative(root_).generic_string();
    bool top = it.depth() == 0 && folder.empty();
    if (name.starts_with('.') || (top && name.size() == 2 && it->is_directory())) {
      // Temp files of writes in progress, and the objects' fan-out folders.
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    if (!relative.starts_with(prefix) || !check_document_key(relative)) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;
    documents.push_back(
        RemoteDocument{relative, static_cast<std::uint64_t>(st.st_size), static_cast<std::int64_t>(st.st_mtim.tv_sec)});
  }
  if (ec) return std::unexpected(remote_error("list", start, ec.value()));
  std::sort(documents.begin(), documents.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return documents;
}

}  // namespace mlops::data
