#include "mlops/drift/reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>

#include "mlops/core/file.hpp"
#include "mlops/core/parallel.hpp"

namespace mlops::drift {

// ---------------------------------------------------------------------------------------------
// Buffer

Result<Buffer> Buffer::map_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::unexpected(system_error("open", path, errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return std::unexpected(system_error("read", path, errno));
  if (S_ISDIR(st.st_mode)) {
    return std::unexpected(bad_input(fmt::format("'{}' is a folder, not a data file", path.string()),
                                     "give a CSV, TSV or JSONL file (a tracked folder as PATH@REV)"));
  }
  Buffer buffer;
  if (st.st_size == 0) return buffer;
  void* map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (map == MAP_FAILED) {
    // Not mappable (a pipe, /proc): read it whole instead.
    auto text = read_file(path);
    if (!text) return std::unexpected(text.error());
    return own(std::move(*text));
  }
  ::madvise(map, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL);
  buffer.data_ = static_cast<const char*>(map);
  buffer.size_ = static_cast<std::size_t>(st.st_size);
  buffer.mapped_ = true;
  return buffer;
}

Buffer Buffer::own(std::string bytes) {
  Buffer buffer;
  buffer.owned_ = std::move(bytes);
  buffer.data_ = buffer.owned_.data();
  buffer.size_ = buffer.owned_.size();
  return buffer;
}

Buffer::Buffer(Buffer&& other) noexcept { *this = std::move(other); }

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this == &other) return *this;
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
  mapped_ = other.mapped_;
  size_ = other.size_;
  if (mapped_) {
    data_ = other.data_;
  } else {
    owned_ = std::move(other.owned_);
    data_ = owned_.data();
  }
  other.mapped_ = false;
  other.data_ = nullptr;
  other.size_ = 0;
  return *this;
}

Buffer::~Buffer() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

void Buffer::release(std::size_t offset, std::size_t size) const {
  if (!mapped_ || size == 0) return;
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::size_t begin = (offset + page - 1) / page * page;
  std::size_t end = (offset + size) / page * page;
  if (end > begin) ::madvise(const_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
}

// ---------------------------------------------------------------------------------------------
// Values

namespace {

// The bytes of a short string as one little-endian integer, for comparisons without memcmp.
constexpr std::uint32_t pack(std::string_view t) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(t[i])) << (8 * i);
  return v;
}

}  // namespace

bool is_missing_value(std::string_view t) {
  // Called for every field: decide on the length first, then compare whole integers.
  if (t.size() > 4) return false;
  if (t.empty()) return true;
  const std::uint32_t v = pack(t);
  switch (t.size()) {
    case 2:
      return v == pack("NA");
    case 3:
      return v == pack("N/A") || v == pack("n/a") || v == pack("NaN") || v == pack("nan");
    case 4:
      return v == pack("-nan") || v == pack("-NaN") || v == pack("null") || v == pack("NULL") || v == pack("None") ||
             v == pack("<NA>");
    default:
      return false;
  }
}

Result<std::string> gunzip(std::string_view bytes, std::string_view name) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return std::unexpected(environment_error("cannot start zlib"));
  std::string out;
  out.resize(std::max<std::size_t>(bytes.size() * 4, 1 << 16));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(bytes.size(), UINT32_MAX));
  const auto* base = reinterpret_cast<const Bytef*>(bytes.data());
  std::size_t produced = 0;
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, UINT32_MAX));
    std::size_t before_out = zs.avail_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    produced += before_out - zs.avail_out;
    const auto consumed = static_cast<std::size_t>(zs.next_in - base);
    if (zs.avail_in == 0 && consumed < bytes.size()) {
      zs.avail_in = static_cast<uInt>(std::min<std::size_t>(bytes.size() - consumed, UINT32_MAX));
    }
    if (rc == Z_STREAM_END) {
      if (consumed >= bytes.size()) break;
      inflateReset(&zs);  // another gzip member follows (concatenated .gz files)
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && consumed >= bytes.size()) {
      inflateEnd(&zs);
      return std::unexpected(
          bad_input(fmt::format("'{}' is a truncated gzip file", name), "check the file was copied completely"));
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string why = zs.msg ? zs.msg : "corrupt data";
      inflateEnd(&zs);
      return std::unexpected(bad_input(fmt::format("'{}' is not a valid gzip file: {}", name, why),
                                       "check the file, or give it uncompressed"));
    }
  }
  inflateEnd(&zs);
  out.resize(produced);
  return out;
}

Format detect_format(std::string_view name, std::string_view text) {
  std::string_view n = name;
  if (n.ends_with(".gz")) n.remove_suffix(3);
  if (n.ends_with(".jsonl") || n.ends_with(".ndjson") || n.ends_with(".json")) return Format::jsonl;
  if (n.ends_with(".csv") || n.ends_with(".tsv") || n.ends_with(".tab") || n.ends_with(".txt")) return Format::csv;
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
  return i < text.size() && text[i] == '{' ? Format::jsonl : Format::csv;
}

namespace {

// The digits after the point of a number written with an exponent, once the exponent is applied:
// "5.4e-05" is 54 / 10^6, so 6 (-1 for more than 15 or a spelling without digits, like "inf").
int decimals_of(const char* p, const char* e) {
  int fraction = 0, digits = 0;
  for (bool point = false; p < e && *p != 'e' && *p != 'E'; ++p) {
    if (*p == '.') point = true;
    if (static_cast<unsigned>(*p - '0') < 10) {
      ++digits;
      fraction += point;
    }
  }
  int exponent = 0;
  if (p + 1 < e) std::from_chars(p[1] == '+' ? p + 2 : p + 1, e, exponent);
  const int decimals = std::max(0, fraction - exponent);
  return digits == 0 || decimals > 15 ? -1 : decimals;
}

// Parses a whole field as a number (what pandas reads as a float); `integral` tells whether it
// was written as an integer, `decimals` how many digits it has after the point (see decimals_of
// for exponents; a hint for sorting). Out-of-range magnitudes become infinities or zero, as in strtod.
bool parse_number(std::string_view v, double& out, bool& integral, int& decimals) {
  const char* b = v.data();
  const char* e = b + v.size();
  if (b < e && *b == '+') ++b;
  if (b == e) return false;
  // Fast path (Clinger): a plain decimal with at most 15 significant digits is m / 10^k with m
  // and 10^k exact doubles, so one division gives the correctly rounded value from_chars gives.
  {
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char* p = b;
    bool negative = false;
    if (*p == '-') {
      negative = true;
      ++p;
    }
    std::uint64_t mantissa = 0;
    int digits = 0, fraction = 0;
    const char* start = p;
    while (p < e && static_cast<unsigned>(*p - '0') < 10) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
      ++p;
    }
    digits = static_cast<int>(p - start);
    bool point = false;
    if (p < e && *p == '.') {
      point = true;
      ++p;
      const char* f = p;
      while (p < e && static_cast<unsigned>(*p - '0') < 10) {
        mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
        ++p;
      }
      fraction = static_cast<int>(p - f);
      digits += fraction;
    }
    if (p == e && digits > 0 && digits <= 15) {
      double m = static_cast<double>(mantissa);
      out = fraction ? m / kPow10[fraction] : m;
      if (negative) out = -out;
      integral = !point;
      decimals = fraction;
      return true;
    }
  }
  auto [ptr, ec] = std::from_chars(b, e, out);
  if (ptr != e) return false;
  if (ec == std::errc::result_out_of_range) {
    std::string copy(v);
    out = std::strtod(copy.c_str(), nullptr);
  } else if (ec != std::errc()) {
    return false;
  }
  integral = true;
  decimals = decimals_of(b, e);
  for (const char* p = (*b == '-' ? b + 1 : b); p < e; ++p) {
    if (*p < '0' || *p > '9') {
      integral = false;
      break;
    }
  }
  return true;
}

// Counts distinct text values with keys that point into the input (or an arena): a small
// open-addressing table while there are few, a hash map beyond.
class Counter {
 public:
  void add(std::string_view v, std::uint64_t n = 1) { add_with_prefix(v, prefix(v), n); }
  // `p` must be prefix(v) (a caller that has the bytes in a register already passes them).
  void add_with_prefix(std::string_view v, std::uint64_t p, std::uint64_t n = 1) {
    if (big_.empty()) {
      std::size_t h = static_cast<std::size_t>(((p ^ v.size()) * 0x9E3779B97F4A7C15ULL) >> 58);
      for (;; h = (h + 1) & (kSlots - 1)) {
        Entry& e = table_[h];
        if (e.count == 0) {
          if (used_ == kMaxSmall) break;
          e = {p, v, n};
          ++used_;
          return;
        }
        if (e.prefix == p && e.key.size() == v.size() &&
            (v.size() <= 8 || std::memcmp(e.key.data() + 8, v.data() + 8, v.size() - 8) == 0)) {
          e.count += n;
          return;
        }
      }
      for (auto& e : table_) {
        if (e.count) big_.emplace(e.key, e.count);
        e = Entry{};
      }
      used_ = 0;
    }
    big_[v] += n;
  }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& e : table_) {
      if (e.count) f(e.key, e.count);
    }
    for (const auto& [k, c] : big_) f(k, c);
  }
  void clear() {
    for (auto& e : table_) e = Entry{};
    used_ = 0;
    big_.clear();
  }

  // The first 8 bytes, zero-padded: most keys differ there, so most comparisons are one integer.
  static std::uint64_t prefix(std::string_view v) {
    std::uint64_t p = 0;
    const std::size_t n = std::min<std::size_t>(v.size(), 8);
    for (std::size_t i = 0; i < n; ++i) p |= static_cast<std::uint64_t>(static_cast<unsigned char>(v[i])) << (8 * i);
    return p;
  }

 private:
  struct Entry {
    std::uint64_t prefix = 0;
    std::string_view key;
    std::uint64_t count = 0;  // 0: free slot (every counted value has a count of at least 1)
  };
  static constexpr std::size_t kSlots = 64, kMaxSmall = 32;  // at most half full
  std::array<Entry, kSlots> table_{};
  std::size_t used_ = 0;
  std::unordered_map<std::string_view, std::uint64_t> big_;
};

// The most digits after the point of values a and b (-1: some value is not a plain decimal).
inline int wider(int a, int b) { return (a < 0 || b < 0) ? -1 : std::max(a, b); }

// One column as seen in one chunk of the input.
struct ChunkColumn {
  bool text = false;
  bool integral = true;
  int decimals = 0;
  std::uint64_t present = 0;  // fields seen (JSONL: the key was there)
  std::uint64_t missing = 0;
  std::uint64_t non_finite = 0;
  std::vector<double> values;
  Counter counts;                                            // while parsing
  std::vector<std::pair<std::string, std::uint64_t>> owned;  // after: the counts, owning keys
};

enum class Add { ok, needs_text };

// Adds one field; `force_text` for JSON strings, which are text even when they look numeric.
inline Add add_value(ChunkColumn& c, std::string_view v, bool force_text) {
  if (v.size() <= 4 && is_missing_value(v)) {  // longer text is never missing: skip the call
    ++c.missing;
    return Add::ok;
  }
  if (!c.text) {
    double d;
    bool integral;
    int decimals;
    if (force_text || !parse_number(v, d, integral, decimals)) return Add::needs_text;
    if (std::isnan(d)) {
      ++c.missing;
    } else if (std::isinf(d)) {
      ++c.non_finite;
    } else {
      c.values.push_back(d + 0.0);  // -0.0 counts as 0
      c.integral = c.integral && integral;
      c.decimals = wider(c.decimals, decimals);
    }
    return Add::ok;
  }
  c.counts.add(v);
  return Add::ok;
}

struct ParseError {
  std::size_t offset = 0;  // into the part's text
  std::string message;
  std::string hint;
};

// 1-based line of `offset` in `text`.
std::size_t line_of(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(
                 text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
}

// The offset of the first byte that is not valid UTF-8, or npos.
std::size_t invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

// ---------------------------------------------------------------------------------------------
// Delimited text (RFC 4180)

struct Field {
  const char* begin;
  const char* end;
  bool quoted;
  bool escaped;  // contains "" that must be unescaped
};

enum class RecordStatus { ok, unterminated_quote, bad_quote };

// Reads one record starting at p; returns the position after it (after its line break).
// The bytes that end an unquoted field (or make it malformed), for one delimiter.
struct StopTable {
  explicit StopTable(char delim) {
    for (bool& b : stop) b = false;
    stop[static_cast<unsigned char>(delim)] = stop[static_cast<unsigned char>('\n')] = true;
    stop[static_cast<unsigned char>('\r')] = stop[static_cast<unsigned char>('"')] = true;
  }
  bool stop[256];
};

const char* parse_record(const char* p, const char* end, char delim, std::vector<Field>& fields, RecordStatus& status,
                         const char*& error_at) {
  thread_local char table_for = 0;
  thread_local StopTable table(',');
  if (table_for != delim) {
    table = StopTable(delim);
    table_for = delim;
  }
  const bool* stop = table.stop;
  fields.clear();
  status = RecordStatus::ok;
  for (;;) {
    if (p < end && *p == '"') {
      const char* q = p + 1;
      bool escaped = false;
      for (;;) {
        const char* r = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(end - q)));
        if (!r) {
          status = RecordStatus::unterminated_quote;
          error_at = p;
          return end;
        }
        if (r + 1 < end && r[1] == '"') {
          escaped = true;
          q = r + 2;
          continue;
        }
        fields.push_back({p + 1, r, true, escaped});
        p = r + 1;
        break;
      }
      if (p < end && *p != delim && *p != '\n' && *p != '\r') {
        status = RecordStatus::bad_quote;
        error_at = p;
        return end;
      }
    } else {
      const char* s = p;
      // Eight bytes at a time while they hold no delimiter, line break or quote (SWAR).
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
      const std::uint64_t d = kOnes * static_cast<unsigned char>(delim);
      while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        auto zero = [&](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
        std::uint64_t hit = zero(w ^ d) | zero(w ^ (kOnes * '\n')) | zero(w ^ (kOnes * '\r')) | zero(w ^ (kOnes * '"'));
        if (hit) {
          p += __builtin_ctzll(hit) / 8;
          break;
        }
        p += 8;
      }
      while (p < end && !stop[static_cast<unsigned char>(*p)]) ++p;
      if (p < end && *p == '"') {
        status = RecordStatus::bad_quote;
        error_at = p;
        return end;
      }
      fields.push_back({s, p, false, false});
    }
    if (p >= end) return p;
    if (*p == delim) {
      ++p;
      continue;
    }
    if (*p == '\r') {
      ++p;
      if (p < end && *p == '\n') ++p;
    } else {
      ++p;
    }
    return p;
  }
}

std::string_view field_text(const Field& f, std::deque<std::string>& arena) {
  if (!f.escaped) return {f.begin, static_cast<std::size_t>(f.end - f.begin)};
  std::string& s = arena.emplace_back();
  for (const char* p = f.begin; p < f.end; ++p) {
    s.push_back(*p);
    if (*p == '"') ++p;  // "" -> "
  }
  return s;
}

bool blank_record(const std::vector<Field>& fields) {
  return fields.size() == 1 && !fields[0].quoted && fields[0].begin == fields[0].end;
}

ParseError record_error(RecordStatus status, const char* at, const char* base) {
  auto offset = static_cast<std::size_t>(at - base);
  if (status == RecordStatus::unterminated_quote) {
    return {offset, "unterminated quoted field", "close the quote, or double any quote inside a quoted field"};
  }
  return {offset, "malformed quoting",
          "put quotes around the whole field and double the quotes inside it (\"a \"\"b\"\" c\")"};
}

char detect_delimiter(std::string_view header) {
  const char candidates[] = {',', '\t', ';', '|'};
  std::size_t best = 0;
  char chosen = ',';
  for (char c : candidates) {
    std::size_t n = 0;
    bool quoted = false;
    for (char ch : header) {
      if (ch == '"')
        quoted = !quoted;
      else if (ch == c && !quoted)
        ++n;
    }
    if (n > best) {
      best = n;
      chosen = c;
    }
  }
  return chosen;
}

struct Chunk {
  std::size_t begin = 0, end = 0;  // offsets into the part's text
  std::uint64_t rows = 0;
  std::vector<ChunkColumn> columns;
  std::vector<std::string> names;  // JSONL: the keys of `columns`, in order of appearance
  std::optional<ParseError> error;
};

// Splits [begin, end) into pieces that start at record boundaries. With quotes in the text, a
// newline ends a record only when it follows an even number of quote characters (RFC 4180).
std::vector<Chunk> split(std::string_view text, std::size_t begin, bool quotes_matter) {
  const std::size_t total = text.size() - begin;
  const std::size_t target = std::max<std::size_t>(total / (worker_count() * 8) + 1, 1 << 20);
  std::vector<std::size_t> cuts{begin};
  if (!quotes_matter) {
    for (std::size_t at = begin + target; at < text.size();) {
      std::size_t nl = text.find('\n', at);
      if (nl == std::string_view::npos || nl + 1 >= text.size()) break;
      cuts.push_back(nl + 1);
      at = nl + 1 + target;
    }
  } else {
    std::vector<std::size_t> starts;
    for (std::size_t at = begin; at < text.size(); at += target) starts.push_back(at);
    std::vector<std::size_t> quotes(starts.size());
    parallel_for(starts.size(), [&](std::size_t i) {
      std::size_t e = std::min(starts[i] + target, text.size());
      quotes[i] = static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(starts[i]),
                                                      text.begin() + static_cast<std::ptrdiff_t>(e), '"'));
    });
    std::size_t parity = 0;
    for (std::size_t i = 1; i < starts.size(); ++i) {
      parity += quotes[i - 1];
      std::size_t local = parity;
      for (std::size_t p = starts[i]; p < text.size(); ++p) {
        if (text[p] == '"')
          ++local;
        else if (text[p] == '\n' && local % 2 == 0) {
          if (p + 1 > cuts.back() && p + 1 < text.size()) cuts.push_back(p + 1);
          break;
        }
      }
    }
  }
  cuts.push_back(text.size());
  std::vector<Chunk> chunks;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    if (cuts[i + 1] > cuts[i]) {
      Chunk c;
      c.begin = cuts[i];
      c.end = cuts[i + 1];
      chunks.push_back(std::move(c));
    }
  }
  return chunks;
}

// Re-reads column `col` of the records in [begin, stop) as text (a column that looked numeric
// until a non-number appeared).
void rescan_csv(std::string_view text, std::size_t begin, std::size_t stop, char delim, std::size_t col,
                std::size_t ncols, Counter& counts, std::deque<std::string>& arena) {
  std::vector<Field> fields;
  const char* p = text.data() + begin;
  const char* end = text.data() + stop;
  RecordStatus status;
  const char* at;
  while (p < end) {
    p = parse_record(p, end, delim, fields, status, at);
    if (status != RecordStatus::ok || blank_record(fields) || fields.size() != ncols) continue;
    std::string_view v = field_text(fields[col], arena);
    if (!is_missing_value(v)) counts.add(v);
  }
}

void switch_to_text(ChunkColumn& c) {
  c.text = true;
  c.values.clear();
  c.values.shrink_to_fit();
  c.non_finite = 0;
}

ParseError ragged_error(std::size_t offset, std::size_t expected, std::size_t found) {
  return {offset, fmt::format("expected {} fields, found {}", expected, found),
          "every row needs as many fields as the header; quote fields that contain the delimiter"};
}

void parse_csv_chunk(std::string_view text, char delim, std::size_t ncols, Chunk& chunk,
                     std::deque<std::string>& arena) {
  chunk.columns.resize(ncols);
  std::vector<Field> fields;
  fields.reserve(ncols);
  const char* base = text.data();
  const char* p = base + chunk.begin;
  const char* end = base + chunk.end;
  RecordStatus status;
  const char* at = nullptr;
  while (p < end) {
    const char* record = p;
    p = parse_record(p, end, delim, fields, status, at);
    if (status != RecordStatus::ok) {
      chunk.error = record_error(status, at, base);
      return;
    }
    if (blank_record(fields)) continue;
    if (fields.size() != ncols) {
      chunk.error = ragged_error(static_cast<std::size_t>(record - base), ncols, fields.size());
      return;
    }
    ++chunk.rows;
    for (std::size_t j = 0; j < ncols; ++j) {
      ChunkColumn& c = chunk.columns[j];
      ++c.present;
      std::string_view v = field_text(fields[j], arena);
      if (add_value(c, v, false) == Add::needs_text) {
        switch_to_text(c);
        rescan_csv(text, chunk.begin, static_cast<std::size_t>(record - base), delim, j, ncols, c.counts, arena);
        c.counts.add(v);
      }
    }
  }
}

// The fast path for delimited text without quote characters, the usual case, which the parser
// finds out as it goes: fields are read straight from the text, plain decimals parsed while they
// are scanned, and no list of fields is built. UTF-8 is validated only when a byte outside ASCII
// was seen. A quote character anywhere means the chunk may not start at a record boundary (a
// quoted field can hold a line break), so the caller then starts over on the RFC 4180 path.

constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;

// The lowest flagged byte is the first zero byte of x (bytes above it may be flagged wrongly).
inline std::uint64_t zero_bytes(std::uint64_t x) { return (x - kOnes) & ~x & kHigh; }

// The end of an unquoted field starting at p: the first delimiter, line break or quote, or `end`.
// Every byte looked at is ORed into `seen`, which tells whether any was outside ASCII.
inline const char* field_end(const char* p, const char* end, char delim, std::uint64_t& seen) {
  const std::uint64_t d = kOnes * static_cast<unsigned char>(delim);
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    seen |= w;
    const std::uint64_t hit = zero_bytes(w ^ d) | zero_bytes(w ^ (kOnes * '\n')) | zero_bytes(w ^ (kOnes * '\r')) |
                              zero_bytes(w ^ (kOnes * '"'));
    if (hit) return p + __builtin_ctzll(hit) / 8;
    p += 8;
  }
  for (; p < end; ++p) {
    const char c = *p;
    seen |= static_cast<unsigned char>(c);
    if (c == delim || c == '\n' || c == '\r' || c == '"') break;
  }
  return p;
}

// How many of the bytes of w (first byte lowest) are ASCII digits before the first that is not.
inline int leading_digits(std::uint64_t w) {
  // A byte is a digit when its high half is 3 and adding 6 keeps it so (no carry leaves a digit).
  const std::uint64_t other =
      ((w & 0xF0F0F0F0F0F0F0F0ULL) ^ (kOnes * 0x30)) | (((w + kOnes * 6) & 0xF0F0F0F0F0F0F0F0ULL) ^ (kOnes * 0x30));
  return other ? __builtin_ctzll(other) / 8 : 8;
}

// The value of the first n (1 to 8) digits of w: they are moved to the top, behind zeros, and
// combined pairwise (two digits, then four, then eight) with three multiplications.
inline std::uint64_t digits_value(std::uint64_t w, int n) {
  std::uint64_t v = (w - kOnes * '0') << (8 * (8 - n));
  v = (v * 10) + (v >> 8);
  v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
      32;
  return v;
}

// Reads a run of digits at p into `mantissa` (which may overflow past 19 digits: the caller
// rejects those); eight at a time while 8 bytes can be read below `limit`.
inline const char* digit_run(const char* p, const char* limit, std::uint64_t& mantissa) {
  static constexpr std::uint64_t kScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  while (limit - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const int n = leading_digits(w);
    if (n == 0) return p;
    mantissa = mantissa * kScale[n] + digits_value(w, n);
    p += n;
    if (n < 8) return p;
  }
  while (p < limit && static_cast<unsigned>(*p - '0') < 10)
    mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
  return p;
}

// A plain decimal field at p ([-]digits[.digits] with 1 to 15 digits, then a delimiter, a line
// break or `end`): sets `out` to what parse_number gives for it (the same exact division) and
// returns the field's end. nullptr for any other field, which then takes the general path.
// Bytes up to `limit` (the end of the text; no digit run passes the line break that ends a chunk)
// may be read.
inline const char* plain_number(const char* p, const char* end, const char* limit, char delim, double& out,
                                bool& integral, int& decimals) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const bool negative = p < end && *p == '-';
  p += negative;
  std::uint64_t mantissa = 0;
  const char* first = p;
  p = digit_run(p, limit, mantissa);
  std::ptrdiff_t digits = p - first, fraction = 0;
  const bool point = p < end && *p == '.';
  if (point) {
    const char* f = ++p;
    p = digit_run(p, limit, mantissa);
    fraction = p - f;
    digits += fraction;
  }
  if (digits == 0 || digits > 15) return nullptr;
  if (p < end && *p != delim && *p != '\n' && *p != '\r') return nullptr;
  const double m = static_cast<double>(mantissa);
  const double v = m / kPow10[fraction];  // exact for fraction 0 (a division by 1)
  // The sign set without a branch: signs in data are as good as random.
  out = std::bit_cast<double>(std::bit_cast<std::uint64_t>(v) | (static_cast<std::uint64_t>(negative) << 63));
  integral = !point;
  decimals = static_cast<int>(fraction);
  return p;
}

enum class Plain { parsed, quoted };

// Parses a chunk on the fast path; `quoted` is polled to stop early when another chunk met a quote.
Plain parse_csv_chunk_plain(std::string_view text, char delim, std::size_t ncols, Chunk& chunk,
                            std::deque<std::string>& arena, const std::atomic<bool>& quoted) {
  chunk.columns.resize(ncols);
  const char* base = text.data();
  const char* p = base + chunk.begin;
  const char* end = base + chunk.end;
  const char* limit = base + text.size();
  std::uint64_t seen = 0;
  // A row with too few or too many fields: the general parser counts them for the message (and
  // decides when the row has quotes).
  auto ragged = [&](const char* record) {
    std::vector<Field> fields;
    RecordStatus status;
    const char* at = nullptr;
    parse_record(record, end, delim, fields, status, at);
    if (status != RecordStatus::ok ||
        std::any_of(fields.begin(), fields.end(), [](const Field& f) { return f.quoted; })) {
      return Plain::quoted;
    }
    chunk.error = ragged_error(static_cast<std::size_t>(record - base), ncols, fields.size());
    return Plain::parsed;
  };
  auto finish = [&] {
    if (chunk.error || (seen & kHigh)) {
      // The general path checks the whole chunk before parsing it: invalid UTF-8 wins over a
      // ragged row in the same chunk there, so it does here.
      const std::string_view piece = text.substr(chunk.begin, chunk.end - chunk.begin);
      if (std::size_t bad = invalid_utf8(piece); bad != std::string_view::npos) {
        chunk.error =
            ParseError{chunk.begin + bad, "invalid UTF-8", "convert the file to UTF-8 (iconv -f latin1 -t utf-8)"};
      }
    }
    return Plain::parsed;
  };
  while (p < end) {
    if (*p == '\n' || *p == '\r') {  // a blank line
      p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
      continue;
    }
    const char* record = p;
    if ((++chunk.rows & 4095) == 0 && quoted.load(std::memory_order_relaxed)) return Plain::quoted;
    if (chunk.rows == 33) {
      // Room for the chunk's numbers at the rate of its first rows: a growing vector copies itself.
      const auto per_row = std::max<std::size_t>(static_cast<std::size_t>(record - (base + chunk.begin)) / 32, 1);
      const std::size_t rows = (chunk.end - chunk.begin) / per_row * 9 / 8 + 64;
      for (auto& c : chunk.columns) {
        if (!c.text) c.values.reserve(rows);
      }
    }
    std::size_t j = 0;
    for (;; ++p) {
      ChunkColumn& c = chunk.columns[j];
      ++c.present;
      const char* s = p;
      double d;
      bool integral;
      int decimals;
      if (const char* e = c.text ? nullptr : plain_number(p, end, limit, delim, d, integral, decimals)) {
        c.values.push_back(d + 0.0);  // -0.0 counts as 0
        c.integral = c.integral && integral;
        c.decimals = wider(c.decimals, decimals);
        p = e;
      } else {
        p = field_end(s, end, delim, seen);
        if (p < end && *p == '"') return Plain::quoted;
        const std::string_view v(s, static_cast<std::size_t>(p - s));
        if (!c.text) {
          if (add_value(c, v, false) == Add::needs_text) {
            switch_to_text(c);
            rescan_csv(text, chunk.begin, static_cast<std::size_t>(record - base), delim, j, ncols, c.counts, arena);
            c.counts.add(v);
          }
        } else if (limit - s >= 8) {
          // Missing spellings are counted like any text here and moved to `missing` at the end.
          std::uint64_t w;
          std::memcpy(&w, s, 8);
          c.counts.add_with_prefix(v, v.size() >= 8 ? w : w & ((std::uint64_t{1} << (8 * v.size())) - 1));
        } else {
          c.counts.add(v);
        }
      }
      if (++j == ncols) break;
      if (p == end || *p != delim) return ragged(record) == Plain::quoted ? Plain::quoted : finish();
    }
    if (p < end) {
      if (*p == '\n') {
        ++p;
      } else if (*p == '\r') {
        ++p;
        if (p < end && *p == '\n') ++p;
      } else {
        return ragged(record) == Plain::quoted ? Plain::quoted : finish();
      }
    }
  }
  return finish();
}

// ---------------------------------------------------------------------------------------------
// JSONL: one flat object per line

struct JsonValue {
  std::string_view text;  // the literal (numbers, true/false) or the unescaped string
  bool is_string = false;
  bool is_null = false;
};

class JsonLine {
 public:
  JsonLine(const char* p, const char* end, std::deque<std::string>& arena) : p_(p), end_(end), arena_(arena) {}

  // Calls f(key, value) per member; returns the position of an error, or nullptr.
  template <class F>
  const char* members(F&& f, std::string& why) {
    ws();
    if (p_ >= end_ || *p_ != '{') return fail("expected a JSON object", why);
    ++p_;
    ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return tail(why);
    }
    for (;;) {
      ws();
      std::string_view key;
      if (p_ >= end_ || *p_ != '"') return fail("expected a quoted key", why);
      if (!string(key)) return fail("bad string", why);
      ws();
      if (p_ >= end_ || *p_ != ':') return fail("expected ':' after a key", why);
      ++p_;
      ws();
      JsonValue value;
      if (p_ >= end_) return fail("expected a value", why);
      char c = *p_;
      if (c == '"') {
        if (!string(value.text)) return fail("bad string", why);
        value.is_string = true;
      } else if (c == '{' || c == '[') {
        return fail(fmt::format("nested value for key '{}' (only flat objects are supported)", key), why);
      } else {
        const char* s = p_;
        while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ' ' && *p_ != '\t' && *p_ != '\r') ++p_;
        value.text = {s, static_cast<std::size_t>(p_ - s)};
        if (value.text == "null") {
          value.is_null = true;
        } else if (value.text != "true" && value.text != "false") {
          double d;
          bool integral;
          int decimals;
          if (!parse_number(value.text, d, integral, decimals))
            return fail(fmt::format("bad value '{}'", value.text), why);
        }
      }
      f(key, value);
      ws();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        return tail(why);
      }
      return fail("expected ',' or '}'", why);
    }
  }

 private:
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }
  const char* fail(std::string message, std::string& why) {
    why = std::move(message);
    return p_ < end_ ? p_ : end_;
  }
  const char* tail(std::string& why) {
    ws();
    if (p_ < end_) return fail("text after the object", why);
    return nullptr;
  }
  bool string(std::string_view& out) {
    const char* s = ++p_;
    bool escaped = false;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\') {
        escaped = true;
        ++p_;
      }
      ++p_;
    }
    if (p_ >= end_) return false;
    const char* e = p_++;
    if (!escaped) {
      out = {s, static_cast<std::size_t>(e - s)};
      return true;
    }
    std::string& buf = arena_.emplace_back();
    for (const char* q = s; q < e; ++q) {
      if (*q != '\\') {
        buf.push_back(*q);
        continue;
      }
      ++q;
      switch (*q) {
        case 'n':
          buf.push_back('\n');
          break;
        case 't':
          buf.push_back('\t');
          break;
        case 'r':
          buf.push_back('\r');
          break;
        case 'b':
          buf.push_back('\b');
          break;
        case 'f':
          buf.push_back('\f');
          break;
        case 'u': {
          if (e - q < 5) return false;
          unsigned cp = 0;
          auto [ptr, ec] = std::from_chars(q + 1, q + 5, cp, 16);
          if (ec != std::errc() || ptr != q + 5) return false;
          q += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && e - q >= 7 && q[1] == '\\' && q[2] == 'u') {
            unsigned lo = 0;
            auto [p2, ec2] = std::from_chars(q + 3, q + 7, lo, 16);
            if (ec2 == std::errc() && p2 == q + 7 && lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              q += 6;
            }
          }
          if (cp < 0x80) {
            buf.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            buf.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else if (cp < 0x10000) {
            buf.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            buf.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            buf.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            buf.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            buf.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default:
          buf.push_back(*q);  // \" \\ \/
      }
    }
    out = buf;
    return true;
  }

  const char* p_;
  const char* end_;
  std::deque<std::string>& arena_;
};

template <class F>
void for_each_line(std::string_view text, std::size_t begin, std::size_t end, F&& f) {
  std::size_t p = begin;
  while (p < end) {
    std::size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos || nl > end) nl = end;
    std::size_t e = nl;
    if (e > p && text[e - 1] == '\r') --e;
    if (!f(p, e)) return;
    p = nl + 1;
  }
}

bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

void rescan_jsonl(std::string_view text, std::size_t begin, std::size_t stop, std::string_view name, Counter& counts,
                  std::deque<std::string>& arena) {
  for_each_line(text, begin, stop, [&](std::size_t b, std::size_t e) {
    if (blank(text.substr(b, e - b))) return true;
    JsonLine line(text.data() + b, text.data() + e, arena);
    std::string why;
    line.members(
        [&](std::string_view key, const JsonValue& v) {
          if (key == name && !v.is_null && !is_missing_value(v.text)) counts.add(v.text);
        },
        why);
    return true;
  });
}

void parse_jsonl_chunk(std::string_view text, Chunk& chunk, std::deque<std::string>& arena) {
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string_view> last_keys;  // the previous line's keys, usually the same
  std::vector<std::uint64_t> seen_in_row;
  for_each_line(text, chunk.begin, chunk.end, [&](std::size_t b, std::size_t e) {
    if (blank(text.substr(b, e - b))) return true;
    ++chunk.rows;
    JsonLine line(text.data() + b, text.data() + e, arena);
    std::string why;
    std::size_t position = 0;
    const char* bad = line.members(
        [&](std::string_view key, const JsonValue& v) {
          std::size_t j;
          if (position < last_keys.size() && last_keys[position] == key) {
            j = index.find(std::string(key))->second;
          } else {
            auto [it, fresh] = index.try_emplace(std::string(key), chunk.columns.size());
            if (fresh) {
              chunk.columns.emplace_back();
              chunk.names.emplace_back(key);
              seen_in_row.push_back(0);
            }
            j = it->second;
            if (position < last_keys.size())
              last_keys[position] = chunk.names[j];
            else
              last_keys.push_back(chunk.names[j]);
          }
          ++position;
          if (seen_in_row[j] == chunk.rows) {
            if (!chunk.error)
              chunk.error = ParseError{b, fmt::format("duplicate key '{}'", key), "give each key once per line"};
            return;
          }
          seen_in_row[j] = chunk.rows;
          ChunkColumn& c = chunk.columns[j];
          ++c.present;
          if (v.is_null) {
            ++c.missing;
            return;
          }
          if (add_value(c, v.text, v.is_string) == Add::needs_text) {
            switch_to_text(c);
            rescan_jsonl(text, chunk.begin, b, chunk.names[j], c.counts, arena);
            c.counts.add(v.text);
          }
        },
        why);
    if (bad && !chunk.error) {
      chunk.error =
          ParseError{static_cast<std::size_t>(bad - text.data()), why, "each line must be one flat JSON object"};
    }
    last_keys.resize(std::min(last_keys.size(), position));
    return !chunk.error;
  });
}

// ---------------------------------------------------------------------------------------------
// Putting chunks together

Error error_at(std::string_view part, std::string_view text, const ParseError& e) {
  return bad_input(fmt::format("'{}' line {}: {}", part, line_of(text, e.offset), e.message), e.hint);
}

// Folds the chunks of one part into columns named `names`.
void merge_chunks(
    std::vector<Chunk>& chunks, const std::vector<std::string>& names, const std::vector<std::vector<int>>& chunk_index,
    Dataset& out,
    const std::function<void(std::size_t chunk, std::size_t local, Counter&, std::deque<std::string>&)>& rescan) {
  std::uint64_t rows = 0;
  for (const auto& c : chunks) rows += c.rows;
  out.rows = rows;
  out.columns.resize(names.size());
  parallel_for(names.size(), [&](std::size_t j) {
    Column& col = out.columns[j];
    col.name = names[j];
    bool any_text = false;
    std::size_t total = 0;
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      int local = chunk_index[k][j];
      if (local < 0) continue;
      const ChunkColumn& c = chunks[k].columns[static_cast<std::size_t>(local)];
      any_text = any_text || c.text;
      total += c.values.size();
    }
    std::uint64_t present = 0;
    std::unordered_map<std::string, std::uint64_t> counts;
    if (!any_text) col.values.reserve(total);
    col.decimals = 0;
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      int local = chunk_index[k][j];
      if (local < 0) continue;
      ChunkColumn& c = chunks[k].columns[static_cast<std::size_t>(local)];
      present += c.present;
      col.missing += c.missing;
      if (any_text && !c.text) {
        // This chunk saw only numbers in a column that is text elsewhere: read its text again.
        Counter again;
        std::deque<std::string> arena;
        rescan(k, static_cast<std::size_t>(local), again, arena);
        again.for_each([&](std::string_view key, std::uint64_t n) { counts[std::string(key)] += n; });
      } else if (any_text) {
        for (auto& [key, n] : c.owned) counts[key] += n;
      } else {
        col.non_finite += c.non_finite;
        col.integral = col.integral && c.integral;
        col.decimals = wider(col.decimals, c.decimals);
        col.values.insert(col.values.end(), c.values.begin(), c.values.end());
      }
      std::vector<double>().swap(c.values);
      c.owned.clear();
    }
    col.missing += rows - present;  // JSONL lines without this key
    col.numeric = !any_text;
    if (any_text) {
      col.integral = false;
      col.decimals = -1;
      col.counts.assign(counts.begin(), counts.end());
    }
  });
}

Result<Dataset> read_part(Part& part, const ReadOptions& options) {
  std::string_view text = part.bytes.view();
  if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1f && static_cast<unsigned char>(text[1]) == 0x8b) {
    auto inflated = gunzip(text, part.name);
    if (!inflated) return std::unexpected(inflated.error());
    part.bytes = Buffer::own(std::move(*inflated));
    text = part.bytes.view();
  }
  std::size_t start = 0;
  if (text.starts_with("\xEF\xBB\xBF")) start = 3;  // a UTF-8 byte order mark
  if (std::all_of(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(),
                  [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; })) {
    return std::unexpected(
        bad_input(fmt::format("'{}' is empty", part.name),
                  "give a CSV or TSV file with a header row and data, or JSONL with one object per line"));
  }
  Format format = detect_format(part.name, text.substr(start));
  Dataset ds;
  std::deque<std::string> header_arena;
  std::vector<std::string> names;
  std::vector<Chunk> chunks;
  std::vector<std::deque<std::string>> arenas;
  char delim = options.delimiter;
  std::size_t ncols = 0;
  std::size_t body = 0;  // delimited text: where the rows start

  if (format == Format::csv) {
    std::string_view name = part.name;
    if (name.ends_with(".gz")) name.remove_suffix(3);
    if (!delim) {
      std::size_t nl = text.find('\n', start);
      std::string_view first = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
      delim = (name.ends_with(".tsv") || name.ends_with(".tab")) ? '\t' : detect_delimiter(first);
    }
    std::vector<Field> fields;
    RecordStatus status;
    const char* at = nullptr;
    const char* p = text.data() + start;
    const char* end = text.data() + text.size();
    do {
      p = parse_record(p, end, delim, fields, status, at);
      if (status != RecordStatus::ok)
        return std::unexpected(error_at(part.name, text, record_error(status, at, text.data())));
    } while (blank_record(fields) && p < end);
    if (std::size_t bad = invalid_utf8(text.substr(0, static_cast<std::size_t>(p - text.data())));
        bad != std::string_view::npos) {
      return std::unexpected(
          error_at(part.name, text, {bad, "invalid UTF-8", "convert the file to UTF-8 (iconv -f latin1 -t utf-8)"}));
    }
    for (const auto& f : fields) {
      std::string header(field_text(f, header_arena));
      if (std::find(names.begin(), names.end(), header) != names.end()) {
        return std::unexpected(error_at(
            part.name, text,
            {static_cast<std::size_t>(f.begin - text.data()),
             fmt::format("duplicate column '{}' in the header", header), "give every column a distinct name"}));
      }
      names.push_back(std::move(header));
    }
    ncols = names.size();
    body = static_cast<std::size_t>(p - text.data());
    if (std::all_of(text.begin() + static_cast<std::ptrdiff_t>(body), text.end(),
                    [](char c) { return c == '\n' || c == '\r'; })) {
      return std::unexpected(bad_input(fmt::format("'{}' has a header but no data rows", part.name),
                                       "drift needs at least one row on each side"));
    }
    chunks = split(text, body, false);
  } else {
    chunks = split(text, start, false);
  }

  // Delimited text is first read on the fast path for text without quotes; a quote anywhere
  // sends the whole part through the RFC 4180 path, split again where quotes allow.
  bool plain = format == Format::csv;
  std::atomic<bool> quoted{false};
  for (;;) {
    arenas.assign(chunks.size(), {});
    parallel_for(chunks.size(), [&](std::size_t k) {
      Chunk& chunk = chunks[k];
      if (plain) {
        if (parse_csv_chunk_plain(text, delim, ncols, chunk, arenas[k], quoted) == Plain::quoted) {
          quoted = true;
          return;
        }
      } else {
        std::string_view piece = text.substr(chunk.begin, chunk.end - chunk.begin);
        if (std::size_t bad = invalid_utf8(piece); bad != std::string_view::npos) {
          chunk.error =
              ParseError{chunk.begin + bad, "invalid UTF-8", "convert the file to UTF-8 (iconv -f latin1 -t utf-8)"};
          return;
        }
        if (format == Format::csv) {
          parse_csv_chunk(text, delim, ncols, chunk, arenas[k]);
        } else {
          parse_jsonl_chunk(text, chunk, arenas[k]);
        }
      }
      for (auto& c : chunk.columns) {
        if (!c.text) continue;
        c.counts.for_each([&](std::string_view key, std::uint64_t n) {
          if (is_missing_value(key))
            c.missing += n;  // the fast path counts them as text
          else
            c.owned.emplace_back(key, n);
        });
        c.counts.clear();
      }
      arenas[k].clear();
      part.bytes.release(chunk.begin, chunk.end - chunk.begin);
    });
    if (!plain || !quoted) break;
    plain = false;
    chunks = split(text, body, true);
  }
  for (const auto& chunk : chunks) {
    if (chunk.error) return std::unexpected(error_at(part.name, text, *chunk.error));
  }

  std::vector<std::vector<int>> chunk_index(chunks.size());
  if (format == Format::csv) {
    for (auto& idx : chunk_index) {
      idx.resize(ncols);
      for (std::size_t j = 0; j < ncols; ++j) idx[j] = static_cast<int>(j);
    }
  } else {
    for (const auto& chunk : chunks) {
      for (const auto& n : chunk.names) {
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
    }
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      chunk_index[k].assign(names.size(), -1);
      for (std::size_t l = 0; l < chunks[k].names.size(); ++l) {
        auto it = std::find(names.begin(), names.end(), chunks[k].names[l]);
        chunk_index[k][static_cast<std::size_t>(it - names.begin())] = static_cast<int>(l);
      }
    }
    if (names.empty()) {
      return std::unexpected(bad_input(fmt::format("'{}' has no columns: every object is empty", part.name),
                                       "each line must be a JSON object with the columns as keys"));
    }
  }
  merge_chunks(chunks, names, chunk_index, ds,
               [&](std::size_t k, std::size_t local, Counter& counts, std::deque<std::string>& arena) {
                 if (format == Format::csv) {
                   rescan_csv(text, chunks[k].begin, chunks[k].end, delim, local, ncols, counts, arena);
                 } else {
                   rescan_jsonl(text, chunks[k].begin, chunks[k].end, chunks[k].names[local], counts, arena);
                 }
               });
  if (ds.rows == 0) {
    return std::unexpected(
        bad_input(fmt::format("'{}' has no data rows", part.name), "drift needs at least one row on each side"));
  }
  return ds;
}

// Text counts for a column that was read as numbers (when another part has text in it).
void numbers_to_text(Column& c) {
  std::unordered_map<std::string, std::uint64_t> counts;
  for (double v : c.values) ++counts[number_label(v)];
  if (c.non_finite) counts["inf"] += c.non_finite;
  std::vector<double>().swap(c.values);
  c.counts.assign(counts.begin(), counts.end());
  c.numeric = false;
  c.integral = false;
  c.non_finite = 0;
}

}  // namespace

Result<Dataset> read_dataset(std::string source, std::vector<Part>& parts, const ReadOptions& options) {
  Dataset all;
  all.source = std::move(source);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto ds = read_part(parts[i], options);
    if (!ds) return std::unexpected(ds.error());
    parts[i].bytes = Buffer::own({});  // done with its text
    if (i == 0) {
      all.columns = std::move(ds->columns);
      all.rows = ds->rows;
      continue;
    }
    // A folder of parts: the same columns in each; a column missing from one part is missing there.
    for (auto& col : ds->columns) {
      Column* into = nullptr;
      for (auto& c : all.columns) {
        if (c.name == col.name) into = &c;
      }
      if (!into) {
        Column fresh;
        fresh.name = col.name;
        fresh.missing = all.rows;
        fresh.decimals = 0;
        all.columns.push_back(std::move(fresh));
        into = &all.columns.back();
      }
      if (into->numeric != col.numeric) {
        if (into->numeric)
          numbers_to_text(*into);
        else
          numbers_to_text(col);
      }
      into->missing += col.missing;
      into->non_finite += col.non_finite;
      into->integral = into->integral && col.integral;
      into->decimals = wider(into->decimals, col.decimals);
      into->values.insert(into->values.end(), col.values.begin(), col.values.end());
      std::unordered_map<std::string, std::uint64_t> counts(into->counts.begin(), into->counts.end());
      for (auto& [k, n] : col.counts) counts[k] += n;
      into->counts.assign(counts.begin(), counts.end());
    }
    for (auto& c : all.columns) {
      if (!ds->find(c.name)) c.missing += ds->rows;
    }
    all.rows += ds->rows;
  }
  return all;
}

}  // namespace mlops::drift
