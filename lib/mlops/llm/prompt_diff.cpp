#include "mlops/llm/prompt_diff.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <map>

namespace mlops::llm {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t eol = text.find('\n', start);
    if (eol == std::string_view::npos) eol = text.size();
    lines.push_back(text.substr(start, eol - start));
    start = eol + 1;
  }
  return lines;
}

enum class Op { keep, remove, add };
struct Edit {
  Op op;
  std::size_t a;  // line index in a (keep, remove)
  std::size_t b;  // line index in b (keep, add)
};

// The edit script by longest common subsequence after trimming the common head and tail. The
// table is (n+1)(m+1) cells of the changed middle; past 16 million cells the middle is replaced
// whole (still a correct diff, just not the shortest).
std::vector<Edit> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({Op::keep, i, i});
  const std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
  if (static_cast<std::uint64_t>(n + 1) * (m + 1) > 16'000'000) {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({Op::remove, head + i, 0});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({Op::add, 0, head + j});
  } else {
    std::vector<std::uint32_t> table((n + 1) * (m + 1), 0);  // LCS length of a[i..], b[j..]
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return table[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        edits.push_back({Op::keep, head + i++, head + j++});
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        edits.push_back({Op::remove, head + i++, 0});  // removals first, as diff -u shows them
      } else {
        edits.push_back({Op::add, 0, head + j++});
      }
    }
  }
  for (std::size_t k = 0; k < tail; ++k) edits.push_back({Op::keep, a.size() - tail + k, b.size() - tail + k});
  return edits;
}

std::string describe(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string describe(const PromptVariable& v) {
  return fmt::format("{}{}{}", v.type, v.required ? ", required" : ", optional",
                     v.description.empty() ? "" : ", " + v.description);
}

void compare_objects(std::string_view prefix, const nlohmann::json& a, const nlohmann::json& b,
                     std::vector<PromptChange>& out) {
  std::map<std::string, std::pair<const nlohmann::json*, const nlohmann::json*>> keys;
  if (a.is_object())
    for (auto it = a.begin(); it != a.end(); ++it) keys[it.key()].first = &it.value();
  if (b.is_object())
    for (auto it = b.begin(); it != b.end(); ++it) keys[it.key()].second = &it.value();
  for (const auto& [key, pair] : keys) {
    if (pair.first && pair.second && *pair.first == *pair.second) continue;
    out.push_back({fmt::format("{}.{}", prefix, key), pair.first ? describe(*pair.first) : "",
                   pair.second ? describe(*pair.second) : ""});
  }
}

}  // namespace

std::string PromptChange::str() const {
  if (before.empty()) return fmt::format("{}: added ({})", field, after);
  if (after.empty()) return fmt::format("{}: removed (was {})", field, before);
  return fmt::format("{}: {} -> {}", field, before, after);
}

nlohmann::json PromptDiff::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const PromptChange& c : changes) {
    list.push_back({{"field", c.field},
                    {"before", c.before.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.before)},
                    {"after", c.after.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.after)}});
  }
  return {{"same", same}, {"changes", list}, {"diff", unified}};
}

std::string unified_diff(std::string_view a, std::string_view b, std::string_view a_label, std::string_view b_label,
                         int context) {
  if (a == b) return {};
  auto la = split_lines(a), lb = split_lines(b);
  auto edits = edit_script(la, lb);
  std::string out = fmt::format("--- {}\n+++ {}\n", a_label, b_label);
  const std::size_t ctx = static_cast<std::size_t>(std::max(context, 0));
  std::size_t k = 0;
  while (k < edits.size()) {
    // Find the next change, then grow a hunk until `2 * ctx` unchanged lines separate changes.
    while (k < edits.size() && edits[k].op == Op::keep) ++k;
    if (k == edits.size()) break;
    std::size_t start = k >= ctx ? k - ctx : 0;
    std::size_t end = k;
    while (end < edits.size()) {
      if (edits[end].op != Op::keep) {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < edits.size() && edits[run].op == Op::keep) ++run;
      if (run == edits.size() || run - end > 2 * ctx) {
        end = std::min(run, end + ctx);
        break;
      }
      end = run;
    }
    // Line numbers of the hunk in a and b (1-based starts; an empty side starts at the line before).
    std::size_t a_start = 0, b_start = 0, a_count = 0, b_count = 0;
    bool a_set = false, b_set = false;
    std::string body;
    for (std::size_t e = start; e < end; ++e) {
      const Edit& edit = edits[e];
      if (edit.op != Op::add) {
        if (!a_set) a_start = edit.a + 1, a_set = true;
        ++a_count;
      }
      if (edit.op != Op::remove) {
        if (!b_set) b_start = edit.b + 1, b_set = true;
        ++b_count;
      }
      char mark = edit.op == Op::keep ? ' ' : edit.op == Op::add ? '+' : '-';
      body += mark;
      body += edit.op == Op::add ? lb[edit.b] : la[edit.a];
      body += '\n';
    }
    if (!a_set) {  // only additions: the line before them in a
      std::size_t before = 0;
      for (std::size_t e = 0; e < start; ++e)
        if (edits[e].op != Op::add) before = edits[e].a + 1;
      a_start = before;
    }
    if (!b_set) {
      std::size_t before = 0;
      for (std::size_t e = 0; e < start; ++e)
        if (edits[e].op != Op::remove) before = edits[e].b + 1;
      b_start = before;
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_start, a_count, b_start, b_count);
    out += body;
    k = end;
  }
  return out;
}

PromptDiff diff_prompts(const Prompt& a, std::string_view a_text, std::string_view a_label, const Prompt& b,
                        std::string_view b_text, std::string_view b_label) {
  PromptDiff diff;
  diff.same = a.version == b.version;
  if (diff.same) return diff;
  auto field = [&](std::string name, const std::string& x, const std::string& y) {
    if (x != y) diff.changes.push_back({std::move(name), x, y});
  };
  field("name", a.name, b.name);
  field("model", a.model, b.model);
  compare_objects("config", a.config, b.config, diff.changes);
  std::map<std::string, std::pair<const PromptVariable*, const PromptVariable*>> variables;
  for (const auto& v : a.variables) variables[v.name].first = &v;
  for (const auto& v : b.variables) variables[v.name].second = &v;
  for (const auto& [name, pair] : variables) {
    std::string before = pair.first ? describe(*pair.first) : "";
    std::string after = pair.second ? describe(*pair.second) : "";
    field("variable " + name, before, after);
  }
  field("input.untrusted", fmt::format("{}", fmt::join(a.untrusted, ", ")),
        fmt::format("{}", fmt::join(b.untrusted, ", ")));
  field("output.format", a.output_format, b.output_format);
  field("output.schema", a.output_schema, b.output_schema);
  compare_objects("metadata", a.metadata, b.metadata, diff.changes);
  if (a.body != b.body) {
    auto lines = [](std::string_view s) { return std::to_string(std::count(s.begin(), s.end(), '\n')) + " lines"; };
    diff.changes.push_back({"body", lines(a.body), lines(b.body)});
  }
  diff.unified = unified_diff(normalise_prompt(a_text), normalise_prompt(b_text), a_label, b_label);
  return diff;
}

}  // namespace mlops::llm
