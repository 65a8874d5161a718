#include "mlops/registry/tag_cache.hpp"

#include <cstdint>
#include <cstring>

#include "mlops/core/file.hpp"

namespace mlops::registry {

namespace {

constexpr std::string_view kMagic = "mlops registry tag cache 1\n";
constexpr std::size_t kIdSize = 20;

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  bool done() const { return data_.empty(); }
  std::string_view bytes(std::size_t n) {
    if (!ok_ || data_.size() < n) {
      ok_ = false;
      return {};
    }
    auto b = data_.substr(0, n);
    data_.remove_prefix(n);
    return b;
  }
  template <class T>
  T number() {
    T value{};
    auto b = bytes(sizeof(T));
    if (ok_) std::memcpy(&value, b.data(), sizeof(T));
    return value;
  }
  std::string text() {
    auto n = number<std::uint32_t>();
    return std::string(bytes(n));
  }

 private:
  std::string_view data_;
  bool ok_ = true;
};

template <class T>
void put_number(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}
void put_text(std::string& out, std::string_view text) {
  put_number<std::uint32_t>(out, static_cast<std::uint32_t>(text.size()));
  out.append(text);
}

}  // namespace

TagCache read_tag_cache(const std::filesystem::path& file) {
  TagCache cache;
  auto content = read_file(file);
  if (!content || !std::string_view(*content).starts_with(kMagic)) return cache;
  Reader in(std::string_view(*content).substr(kMagic.size()));
  auto count = in.number<std::uint32_t>();
  cache.reserve(count);
  while (in.ok() && !in.done()) {
    std::string id(in.bytes(kIdSize));
    CachedTag entry;
    entry.lightweight = in.number<std::uint8_t>() != 0;
    if (!entry.lightweight) {
      entry.tag.commit = in.text();
      entry.tag.time = in.number<std::int64_t>();
      entry.tag.offset = in.number<std::int32_t>();
      entry.tag.tagger_name = in.text();
      entry.tag.tagger_email = in.text();
      entry.tag.message = in.text();
    }
    if (!in.ok()) return {};  // truncated or foreign: start over
    entry.tag.id = id;
    cache.emplace(std::move(id), std::move(entry));
  }
  return cache;
}

Result<void> write_tag_cache(const std::filesystem::path& file, const std::filesystem::path& tmp_dir,
                             const TagCache& cache) {
  std::string out(kMagic);
  put_number<std::uint32_t>(out, static_cast<std::uint32_t>(cache.size()));
  for (const auto& [id, entry] : cache) {
    out.append(id);
    put_number<std::uint8_t>(out, entry.lightweight ? 1 : 0);
    if (entry.lightweight) continue;
    put_text(out, entry.tag.commit);
    put_number<std::int64_t>(out, entry.tag.time);
    put_number<std::int32_t>(out, entry.tag.offset);
    put_text(out, entry.tag.tagger_name);
    put_text(out, entry.tag.tagger_email);
    put_text(out, entry.tag.message);
  }
  auto atomic = AtomicFile::create(file, tmp_dir);
  if (!atomic) return std::unexpected(atomic.error());
  if (auto w = atomic->write(out); !w) return w;
  // A cache: losing it to a crash only costs a re-read, so it is not fsynced.
  return atomic->commit(Sync::no);
}

}  // namespace mlops::registry
