#include "mlops/data/cache.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace mlops::data {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kBlock = 1 << 20;

// Copies fd `in` to fd `out`, hashing the bytes as they pass. A failed write is reported as
// "cannot <write_action> '<in_path>'" so the user sees their file named, not a temp file.
Result<Hash> copy_hashing(int in, const fs::path& in_path, int out, std::string_view write_action) {
  thread_local std::unique_ptr<char[]> buffer = std::make_unique_for_overwrite<char[]>(kBlock);
  Hasher hasher;
  for (;;) {
    ssize_t n = ::read(in, buffer.get(), kBlock);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(system_error("read", in_path, errno));
    }
    if (n == 0) break;
    hasher.update(buffer.get(), static_cast<std::size_t>(n));
    if (auto w = write_all(out, buffer.get(), static_cast<std::size_t>(n), in_path); !w) {
      Error e = w.error();
      auto colon = e.message.find("': ");
      e.message = fmt::format("cannot {} '{}'{}", write_action, in_path.string(),
                              colon == std::string::npos ? "" : ": " + e.message.substr(colon + 3));
      return std::unexpected(e);
    }
  }
  return hasher.digest();
}
}  // namespace

Error missing_object_error(const Hash& hash, std::string_view what) {
  std::string subject = what.empty() ? hash.str() : fmt::format("{} ({})", what, hash.str());
  return bad_input(fmt::format("{} is not in the cache", subject), "run 'mlops data pull' to fetch it from a remote");
}

Error corrupt_object_error(const Hash& hash) {
  return environment_error(
      fmt::format("cache object {} is corrupt (its content no longer matches its hash)", hash.str()),
      "it was moved aside; run 'mlops data pull' to fetch a good copy, or 'mlops data add' the data again");
}

std::string Cache::object_file(const Hash& hash) const {
  std::string hex = hash.hex();
  std::string path;
  path.reserve(root_.native().size() + 35);
  path += root_.native();
  path += '/';
  path.append(hex, 0, 2);
  path += '/';
  path.append(hex, 2, std::string::npos);
  return path;
}

fs::path Cache::object_path(const Hash& hash) const { return fs::path(object_file(hash)); }

bool Cache::contains(const Hash& hash) const {
  struct stat st {};
  return ::stat(object_file(hash).c_str(), &st) == 0;
}

std::vector<bool> Cache::contains_all(const std::vector<Hash>& hashes) const {
  std::vector<bool> found(hashes.size(), false);
  // For many objects, listing the 256 fan-out folders costs far fewer system calls than a stat
  // of each object.
  if (hashes.size() < 512) {
    for (std::size_t i = 0; i < hashes.size(); ++i) found[i] = contains(hashes[i]);
    return found;
  }
  auto present = list();
  for (std::size_t i = 0; i < hashes.size(); ++i)
    found[i] = std::binary_search(present.begin(), present.end(), hashes[i]);
  return found;
}

// Publishes a finished temp file as object `hash`: read-only, in its fan-out folder, renamed
// into place. rename(2) is atomic, and two processes publishing one object write the same bytes.
Result<void> Cache::publish(AtomicFile& temp, const Hash& hash) const {
  if (contains(hash)) {
    // The temp file is removed with `temp`. The object is freshened, as git freshens a loose
    // object it would have written, so gc's grace period protects it as a new one.
    ::utimensat(AT_FDCWD, object_file(hash).c_str(), nullptr, 0);
    return {};
  }
  if (auto r = temp.set_mode(0444); !r) return r;
  fs::path target = object_path(hash);
  if (::mkdir(target.parent_path().c_str(), 0755) != 0 && errno != EEXIST) {
    return std::unexpected(system_error("create", target.parent_path(), errno));
  }
  wrote_ = true;
  return temp.commit_to(target, Sync::no);
}

Result<Hash> Cache::put_file(const fs::path& source) const {
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return std::unexpected(system_error("read", source, errno));
  ::posix_fadvise(in.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  auto temp = AtomicFile::create(tmp_ / "object", tmp_);
  if (!temp) return std::unexpected(temp.error());
  auto hash = copy_hashing(in.get(), source, temp->fd(), "store a copy in the cache of");
  if (!hash) return hash;
  if (auto r = publish(*temp, *hash); !r) return std::unexpected(r.error());
  return hash;
}

Result<Hash> Cache::put_bytes(std::string_view content) const {
  Hash hash = hash_bytes(content);
  if (contains(hash)) {
    ::utimensat(AT_FDCWD, object_file(hash).c_str(), nullptr, 0);  // freshened, as publish() does
    return hash;
  }
  auto temp = AtomicFile::create(tmp_ / "object", tmp_);
  if (!temp) return std::unexpected(temp.error());
  if (auto r = temp->write(content); !r) return std::unexpected(r.error());
  if (auto r = publish(*temp, hash); !r) return std::unexpected(r.error());
  return hash;
}

Result<std::string> Cache::read(const Hash& hash) const {
  auto content = read_file(object_path(hash));
  if (!content) {
    if (!contains(hash)) return std::unexpected(missing_object_error(hash));
    return content;
  }
  if (hash_bytes(*content) != hash) {
    quarantine(hash);
    return std::unexpected(corrupt_object_error(hash));
  }
  return content;
}

Result<void> Cache::copy_to(const Hash& hash, const fs::path& dest, unsigned mode) const {
  fs::path source = object_path(hash);
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) {
    if (errno == ENOENT) return std::unexpected(missing_object_error(hash, dest.filename().string()));
    return std::unexpected(system_error("read", source, errno));
  }
  auto out = AtomicFile::create(dest);
  if (!out) return std::unexpected(out.error());
  auto copied = copy_hashing(in.get(), source, out->fd(), fmt::format("write '{}' from", dest.string()));
  if (!copied) return std::unexpected(copied.error());
  if (*copied != hash) {
    quarantine(hash);
    return std::unexpected(corrupt_object_error(hash));
  }
  if (auto r = out->set_mode(mode); !r) return r;
  return out->commit(Sync::no);
}

Result<bool> Cache::verify(const Hash& hash) const {
  auto actual = hash_file(object_path(hash));
  if (!actual) {
    if (!contains(hash)) return std::unexpected(missing_object_error(hash));
    return std::unexpected(actual.error());
  }
  return *actual == hash;
}

void Cache::quarantine(const Hash& hash) const {
  fs::path dir = tmp_ / "corrupt";
  ::mkdir(dir.c_str(), 0755);
  ::rename(object_path(hash).c_str(), (dir / hash.hex()).c_str());
}

std::vector<Hash> Cache::quarantined() const {
  std::vector<Hash> hashes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(tmp_ / "corrupt", ec)) {
    if (auto h = Hash::parse_hex(entry.path().filename().string())) hashes.push_back(*h);
  }
  std::sort(hashes.begin(), hashes.end());
  return hashes;
}

void Cache::forget_quarantined(const Hash& hash) const { ::unlink((tmp_ / "corrupt" / hash.hex()).c_str()); }

Cache::Fingerprint Cache::fingerprint() const {
  static constexpr char digits[] = "0123456789abcdef";
  Hasher hasher;
  Fingerprint result;
  std::string path = root_.native() + "/xx";
  for (int i = 0; i < 256; ++i) {
    path[path.size() - 2] = digits[i >> 4];
    path[path.size() - 1] = digits[i & 15];
    struct stat st {};
    std::int64_t fields[2] = {0, 0};
    if (::stat(path.c_str(), &st) == 0) {
      fields[0] = static_cast<std::int64_t>(st.st_ino);
      fields[1] = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
      result.newest_ns = std::max(result.newest_ns, fields[1]);
    }
    hasher.update(fields, sizeof fields);
  }
  result.digest = hasher.digest();
  return result;
}

std::vector<Hash> Cache::list() const {
  std::vector<Hash> hashes;
  std::unique_ptr<DIR, int (*)(DIR*)> top(::opendir(root_.c_str()), ::closedir);
  if (!top) return hashes;
  while (auto* d = ::readdir(top.get())) {
    std::string prefix = d->d_name;
    if (prefix.size() != 2) continue;
    std::unique_ptr<DIR, int (*)(DIR*)> sub(::opendir((root_ / prefix).c_str()), ::closedir);
    if (!sub) continue;
    while (auto* e = ::readdir(sub.get())) {
      if (auto h = Hash::parse_hex(prefix + e->d_name)) hashes.push_back(*h);
    }
  }
  std::sort(hashes.begin(), hashes.end());
  return hashes;
}

Result<void> Cache::remove(const Hash& hash) const {
  if (::unlink(object_path(hash).c_str()) != 0 && errno != ENOENT) {
    return std::unexpected(system_error("remove", object_path(hash), errno));
  }
  return {};
}

Result<void> Cache::flush() const {
  if (!wrote_.exchange(false)) return {};
  return sync_filesystem(root_);
}

}  // namespace mlops::data
