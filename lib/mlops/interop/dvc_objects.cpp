#include "mlops/interop/dvc_objects.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "mlops/core/file.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/interop/md5.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

namespace {

// The memo's key: a DVC 2 hash may be the MD5 of the bytes with CRLF turned into LF, so it is
// kept apart from DVC 3's plain MD5 of the same digits.
std::string memo_key(const std::string& md5, bool legacy) { return legacy ? "md5-dos2unix:" + md5 : "md5:" + md5; }

}  // namespace

std::vector<fs::path> object_candidates(const DvcConfig& config, const std::string& md5, bool legacy,
                                        std::string_view suffix) {
  std::string name = md5.substr(2) + std::string(suffix);
  std::string fan = md5.substr(0, 2);
  std::vector<fs::path> roots{config.cache_dir};
  for (const auto& remote : config.remotes) {
    if (!remote.local_path.empty()) roots.push_back(remote.local_path);
  }
  std::vector<fs::path> result;
  for (const auto& root : roots) {
    fs::path v3 = root / "files" / "md5" / fan / name;
    fs::path v2 = root / fan / name;
    if (legacy) {
      result.push_back(v2);
      result.push_back(v3);
    } else {
      result.push_back(v3);
      result.push_back(v2);
    }
  }
  return result;
}

Result<DvcObjectImporter> DvcObjectImporter::open(const Repo& repo, const data::Cache& cache, bool dry_run) {
  fs::path path = repo.store() / "dvc-import.db";
  std::optional<sql::Database> db;
  if (!dry_run || fs::exists(path)) {
    auto opened = sql::Database::open(path, "the DVC import memo", sql::Database::Close::checkpoint);
    if (!opened) return std::unexpected(opened.error());
    if (!dry_run) {
      MLOPS_TRY(opened->exec(
          "CREATE TABLE IF NOT EXISTS objects (dvc TEXT PRIMARY KEY, hash TEXT NOT NULL, size INTEGER NOT NULL);"
          "CREATE INDEX IF NOT EXISTS objects_by_hash ON objects (hash);"
          "CREATE TABLE IF NOT EXISTS pointers (path TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (path, hash))"));
    }
    db.emplace(std::move(*opened));
  }
  return DvcObjectImporter(cache, std::move(db));
}

std::optional<ImportedObject> DvcObjectImporter::known(const std::string& md5, bool legacy) {
  std::string key = memo_key(md5, legacy);
  if (auto found = pending_.find(key); found != pending_.end()) return found->second;
  if (!db_) return std::nullopt;
  auto statement = db_->prepare("SELECT hash, size FROM objects WHERE dvc = ?1");
  if (!statement) return std::nullopt;  // a dry run before any import: no table yet
  statement->bind(1, key);
  auto row = statement->step();
  if (!row || !*row) return std::nullopt;
  auto hash = Hash::parse(statement->text(0));
  if (!hash || !cache_->contains(*hash)) return std::nullopt;
  return ImportedObject{*hash, static_cast<std::uint64_t>(statement->integer(1))};
}

Result<std::optional<DvcObjectImporter::Streamed>> DvcObjectImporter::stream(const fs::path& file, bool dos2unix,
                                                                             std::optional<AtomicFile>& temp) {
  UniqueFd in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    return std::unexpected(system_error("read", file, errno));
  }
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) return std::unexpected(system_error("read", file, errno));
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  ::posix_fadvise(in.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  auto created = AtomicFile::create(cache_->tmp() / "object", cache_->tmp());
  if (!created) return std::unexpected(created.error());
  temp.emplace(std::move(*created));
  Md5 md5_plain;
  Dos2UnixMd5 md5_dos2unix;
  Hasher xxh3;
  std::vector<char> buffer(1 << 20);
  Streamed result;
  for (;;) {
    ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(system_error("read", file, errno));
    }
    if (n == 0) break;
    auto count = static_cast<std::size_t>(n);
    md5_plain.update(buffer.data(), count);
    if (dos2unix) md5_dos2unix.update(buffer.data(), count);
    xxh3.update(buffer.data(), count);
    MLOPS_TRY(temp->write(std::string_view(buffer.data(), count)));
    result.size += count;
  }
  ++files_read_;
  bytes_read_ += result.size;
  result.md5 = md5_plain.hex();
  if (dos2unix) result.md5_dos2unix = md5_dos2unix.hex();
  result.hash = xxh3.digest();
  return result;
}

Result<Verdict> DvcObjectImporter::import_file(const fs::path& file, const std::string& md5, bool legacy,
                                               ImportedObject* stored) {
  std::optional<AtomicFile> temp;
  auto streamed = stream(file, legacy, temp);
  if (!streamed) return std::unexpected(streamed.error());
  if (!*streamed) return Verdict::absent;
  const Streamed& s = **streamed;
  if (s.md5 != md5 && !(legacy && s.md5_dos2unix == md5)) return Verdict::corrupt;
  MLOPS_TRY(cache_->publish(*temp, s.hash));
  ImportedObject object{s.hash, s.size};
  remember(md5, legacy, object);
  if (stored) *stored = object;
  return Verdict::matched;
}

Result<DvcObjectImporter::Unverified> DvcObjectImporter::store_file(const fs::path& file) {
  std::optional<AtomicFile> temp;
  auto streamed = stream(file, true, temp);
  if (!streamed) return std::unexpected(streamed.error());
  if (!*streamed) return std::unexpected(bad_input(fmt::format("'{}' is not a regular file", file.string())));
  const Streamed& s = **streamed;
  MLOPS_TRY(cache_->publish(*temp, s.hash));
  return Unverified{s.md5, s.md5_dos2unix, ImportedObject{s.hash, s.size}};
}

std::optional<std::string> DvcObjectImporter::md5_of(const Hash& hash) {
  std::string text = hash.str();
  if (auto found = pending_md5_.find(hash); found != pending_md5_.end()) return found->second;
  if (!db_) return std::nullopt;
  auto statement = db_->prepare("SELECT dvc FROM objects WHERE hash = ?1 AND dvc LIKE 'md5:%' LIMIT 1");
  if (!statement) return std::nullopt;
  statement->bind(1, text);
  auto row = statement->step();
  if (!row || !*row) return std::nullopt;
  return statement->text(0).substr(4);
}

bool DvcObjectImporter::wrote_pointer(const std::string& path, const Hash& hash) {
  if (!db_) return false;
  auto statement = db_->prepare("SELECT 1 FROM pointers WHERE path = ?1 AND hash = ?2");
  if (!statement) return false;  // a memo from before this table: nothing recorded
  statement->bind(1, path).bind(2, hash.str());
  auto row = statement->step();
  return row && *row;
}

Result<void> DvcObjectImporter::record_pointer(const std::string& path, const Hash& hash) {
  if (!db_) return {};
  auto insert = db_->prepare("INSERT OR IGNORE INTO pointers (path, hash) VALUES (?1, ?2)");
  if (!insert) return std::unexpected(insert.error());
  insert->bind(1, path).bind(2, hash.str());
  return insert->run();
}

void DvcObjectImporter::remember(const std::string& md5, bool legacy, const ImportedObject& object) {
  pending_bytes_ += object.size;
  pending_.insert_or_assign(memo_key(md5, legacy), object);
  if (!legacy) pending_md5_.emplace(object.hash, md5);
}

Result<void> DvcObjectImporter::commit() {
  if (pending_.empty() || !db_) return {};
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return std::unexpected(transaction.error());
  auto insert = db_->prepare("INSERT OR REPLACE INTO objects (dvc, hash, size) VALUES (?1, ?2, ?3)");
  if (!insert) return std::unexpected(insert.error());
  for (const auto& [key, object] : pending_) {
    insert->bind(1, key).bind(2, object.hash.str()).bind(3, static_cast<std::int64_t>(object.size));
    MLOPS_TRY(insert->run());
  }
  MLOPS_TRY(transaction->commit());
  pending_.clear();
  pending_md5_.clear();
  pending_bytes_ = 0;
  last_commit_ = std::chrono::steady_clock::now();
  return {};
}

Result<void> DvcObjectImporter::checkpoint() {
  if (pending_.empty() || !db_) return {};
  bool due = pending_.size() >= 256 || pending_bytes_ >= (std::uint64_t{256} << 20) ||
             std::chrono::steady_clock::now() - last_commit_ >= std::chrono::seconds(2);
  if (!due) return {};
  MLOPS_TRY(cache_->flush());
  return commit();
}

}  // namespace mlops::interop
