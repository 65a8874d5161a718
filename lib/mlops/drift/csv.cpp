#include "mlops/drift/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace mlops::drift {

namespace {

// The bytes that end an unquoted field (or make it malformed), for one delimiter.
struct StopTable {
  explicit StopTable(char delim) {
    for (bool& b : stop) b = false;
    stop[static_cast<unsigned char>(delim)] = stop[static_cast<unsigned char>('\n')] = true;
    stop[static_cast<unsigned char>('\r')] = stop[static_cast<unsigned char>('"')] = true;
  }
  bool stop[256];
};

}  // namespace

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

ParseError ragged_error(std::size_t offset, std::size_t expected, std::size_t found) {
  return {offset, fmt::format("expected {} fields, found {}", expected, found),
          "every row needs as many fields as the header; quote fields that contain the delimiter"};
}

char choose_delimiter(char given, std::string_view name, std::string_view text, std::size_t start) {
  if (given) return given;
  if (name.ends_with(".gz")) name.remove_suffix(3);
  std::size_t nl = text.find('\n', start);
  std::string_view first = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
  return (name.ends_with(".tsv") || name.ends_with(".tab")) ? '\t' : detect_delimiter(first);
}

HeaderResult read_header(std::string_view text, std::size_t start, char delim) {
  HeaderResult r;
  std::vector<Field> fields;
  RecordStatus status;
  const char* at = nullptr;
  const char* p = text.data() + start;
  const char* end = text.data() + text.size();
  do {
    p = parse_record(p, end, delim, fields, status, at);
    if (status != RecordStatus::ok) {
      r.error = record_error(status, at, text.data());
      return r;
    }
  } while (blank_record(fields) && p < end);
  if (std::size_t bad = invalid_utf8(text.substr(0, static_cast<std::size_t>(p - text.data())));
      bad != std::string_view::npos) {
    r.error = invalid_utf8_error(bad);
    return r;
  }
  std::deque<std::string> arena;
  auto& names = r.header.names;
  for (const auto& f : fields) {
    std::string header(field_text(f, arena));
    if (std::find(names.begin(), names.end(), header) != names.end()) {
      r.error =
          ParseError{static_cast<std::size_t>(f.begin - text.data()),
                     fmt::format("duplicate column '{}' in the header", header), "give every column a distinct name"};
      return r;
    }
    names.push_back(std::move(header));
  }
  r.header.body = static_cast<std::size_t>(p - text.data());
  return r;
}

}  // namespace mlops::drift
