#include "mlops/data/remote_known.hpp"

#include <unordered_set>

#include "mlops/core/sqlite.hpp"

namespace mlops::data {

struct KnownObjects::Impl {
  sql::Database db;
  std::string location;
  std::int64_t remote_id = 0;
  // Loaded on first use: one scan of this remote's rows answers any number of questions.
  std::optional<std::unordered_set<std::string>> cache;
};

namespace {

// Hashes are stored as their 32 hex digits; rows are (remote, hash) in a WITHOUT ROWID table so
// that the table is its own index.
constexpr std::string_view kKnownSchema = R"(
CREATE TABLE IF NOT EXISTS remotes (id INTEGER PRIMARY KEY, location TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS known (remote INTEGER NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (remote, hash))
  WITHOUT ROWID;
)";

Result<void> load_known(KnownObjects::Impl& impl) {
  if (impl.cache) return {};
  std::unordered_set<std::string> set;
  auto stmt = impl.db.prepare("SELECT hash FROM known WHERE remote = ?");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, impl.remote_id);
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    set.insert(stmt->text(0));
  }
  impl.cache = std::move(set);
  return {};
}

}  // namespace

Result<std::unique_ptr<KnownObjects>> KnownObjects::open(const std::filesystem::path& db_path, std::string location) {
  auto db = sql::Database::open(db_path);
  if (!db) return std::unexpected(db.error());
  MLOPS_TRY(db->exec(kKnownSchema));
  auto impl = std::make_unique<Impl>(Impl{std::move(*db), std::move(location), 0, std::nullopt});
  {
    auto insert = impl->db.prepare("INSERT OR IGNORE INTO remotes (location) VALUES (?)");
    if (!insert) return std::unexpected(insert.error());
    insert->bind(1, impl->location);
    MLOPS_TRY(insert->run());
    auto select = impl->db.prepare("SELECT id FROM remotes WHERE location = ?");
    if (!select) return std::unexpected(select.error());
    select->bind(1, impl->location);
    auto row = select->step();
    if (!row) return std::unexpected(row.error());
    impl->remote_id = select->integer(0);
  }
  return std::unique_ptr<KnownObjects>(new KnownObjects(std::move(impl)));
}

KnownObjects::KnownObjects(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KnownObjects::~KnownObjects() = default;

Result<std::vector<bool>> KnownObjects::known(const std::vector<Hash>& hashes) {
  MLOPS_TRY(load_known(*impl_));
  std::vector<bool> result;
  result.reserve(hashes.size());
  for (const auto& h : hashes) result.push_back(impl_->cache->contains(h.hex()));
  return result;
}

Result<std::size_t> KnownObjects::count() {
  MLOPS_TRY(load_known(*impl_));
  return impl_->cache->size();
}

Result<void> KnownObjects::add(const std::vector<Hash>& hashes) {
  if (hashes.empty()) return {};
  auto tx = sql::Transaction::begin(impl_->db);
  if (!tx) return std::unexpected(tx.error());
  auto stmt = impl_->db.prepare("INSERT OR IGNORE INTO known (remote, hash) VALUES (?, ?)");
  if (!stmt) return std::unexpected(stmt.error());
  for (const auto& h : hashes) {
    auto hex = h.hex();
    stmt->bind(1, impl_->remote_id).bind(2, hex);
    MLOPS_TRY(stmt->run());
    if (impl_->cache) impl_->cache->insert(hex);
  }
  return tx->commit();
}

Result<void> KnownObjects::forget(const std::vector<Hash>& hashes) {
  if (hashes.empty()) return {};
  auto tx = sql::Transaction::begin(impl_->db);
  if (!tx) return std::unexpected(tx.error());
  auto stmt = impl_->db.prepare("DELETE FROM known WHERE remote = ? AND hash = ?");
  if (!stmt) return std::unexpected(stmt.error());
  for (const auto& h : hashes) {
    auto hex = h.hex();
    stmt->bind(1, impl_->remote_id).bind(2, hex);
    MLOPS_TRY(stmt->run());
    if (impl_->cache) impl_->cache->erase(hex);
  }
  return tx->commit();
}

Result<void> KnownObjects::forget_all() {
  auto stmt = impl_->db.prepare("DELETE FROM known WHERE remote = ?");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, impl_->remote_id);
  MLOPS_TRY(stmt->run());
  impl_->cache.reset();
  return {};
}

}  // namespace mlops::data
