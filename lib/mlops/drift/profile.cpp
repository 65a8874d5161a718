#include "mlops/drift/profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "mlops/core/file.hpp"
#include "mlops/drift/check.hpp"
#include "mlops/drift/sort.hpp"
#include "mlops/drift/stats.hpp"

namespace mlops::drift {

namespace {

using ojson = nlohmann::ordered_json;
constexpr const char* kMarker = "mlops_drift_profile";

ojson column_profile(Column& col, const ProfileOptions& options) {
  const bool forced_numeric = names_contain(options.numeric, col.name);
  const bool forced_categorical = names_contain(options.categorical, col.name);
  if (col.numeric) sort_values(col.values, col.decimals);
  const std::uint64_t distinct = col.numeric ? distinct_sorted(col.values) : col.counts.size();
  // The type check would give with a current sample like the reference.
  ColumnType type = forced_categorical ? ColumnType::categorical
                    : forced_numeric   ? ColumnType::numeric
                                       : detect_type(col, col, distinct);
  std::uint64_t count = col.values.size();
  if (!col.numeric) {
    count = 0;
    for (const auto& [k, n] : col.counts) count += n;
  }
  ojson c;
  c["name"] = col.name;
  c["type"] = to_string(type);
  if (forced_numeric || forced_categorical) c["type_given"] = true;  // --numeric/--categorical: checks keep it
  c["count"] = count;
  c["missing"] = col.missing;
  c["non_finite"] = col.non_finite;
  c["distinct"] = distinct;
  if (!col.numeric) {
    std::vector<std::pair<std::string, std::uint64_t>> counts = col.counts;
    std::sort(counts.begin(), counts.end());
    ojson cats = ojson::object();
    for (const auto& [k, n] : counts) cats[k] = n;
    c["categories"] = std::move(cats);
    return c;
  }
  c["integral"] = col.integral;
  if (!col.values.empty()) {
    long double sum = 0;
    for (double v : col.values) sum += v;
    c["mean"] = static_cast<double>(sum / static_cast<long double>(col.values.size()));
    c["std"] = population_std(col.values);
    auto inner = reference_bin_edges(col.values);
    ojson counts = ojson::array();
    for (double n : reference_bin_counts(col.values, inner)) counts.push_back(static_cast<std::uint64_t>(n));
    c["bins"] = {{"edges", inner}, {"counts", std::move(counts)}};
  }
  // Check uses the count of each value (not the bins) for these; keep them.
  if (distinct <= 20 || type == ColumnType::categorical) {
    ojson values = ojson::array();
    for (std::size_t i = 0; i < col.values.size();) {
      std::size_t j = i;
      while (j < col.values.size() && col.values[j] == col.values[i]) ++j;
      values.push_back(ojson::array({col.values[i], j - i}));
      i = j;
    }
    c["values"] = std::move(values);
  }
  return c;
}

Error malformed(const std::string& path, std::string_view what) {
  return bad_input(fmt::format("'{}' is not a valid drift profile: {}", path, what),
                   "write it again with: mlops drift profile REFERENCE -o FILE");
}

}  // namespace

Result<std::string> make_profile(Dataset& reference, const ProfileOptions& options) {
  for (const auto& [list, flag] :
       {std::pair{&options.columns, "--columns"}, std::pair{&options.exclude, "--exclude"},
        std::pair{&options.numeric, "--numeric"}, std::pair{&options.categorical, "--categorical"}}) {
    for (const auto& name : *list) {
      if (!reference.find(name))
        return std::unexpected(bad_input(fmt::format("unknown column '{}' ({})", name, flag),
                                         "see the reference's header for its columns"));
    }
  }
  ojson doc;
  doc[kMarker] = kProfileVersion;
  doc["source"] = reference.source;
  doc["rows"] = reference.rows;
  doc["psi_epsilon"] = kPsiEpsilon;
  ojson columns = ojson::array();
  for (auto& col : reference.columns) {
    if ((!options.columns.empty() && !names_contain(options.columns, col.name)) ||
        names_contain(options.exclude, col.name))
      continue;
    if (!col.numeric && names_contain(options.numeric, col.name)) {
      return std::unexpected(bad_input(
          fmt::format("column '{}' has text values in the reference data, so it cannot be --numeric", col.name),
          "drop --numeric for it, or clean the column"));
    }
    columns.push_back(column_profile(col, options));
  }
  doc["columns"] = std::move(columns);
  return doc.dump(2) + "\n";
}

bool is_profile(const std::string& path) {
  std::string_view p = path;
  if (!p.ends_with(".json")) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string head(256, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  auto start = head.find_first_not_of(" \t\r\n");
  return start != std::string::npos && head[start] == '{' &&
         head.find(fmt::format("\"{}\"", kMarker)) != std::string::npos;
}

Result<Dataset> read_profile(const std::string& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  ojson doc = ojson::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::unexpected(malformed(path, "not a JSON object"));
  if (!doc.contains(kMarker) || !doc[kMarker].is_number_integer())
    return std::unexpected(malformed(path, "no profile version"));
  if (doc[kMarker].get<long long>() != kProfileVersion) {
    return std::unexpected(bad_input(fmt::format("'{}' is a drift profile of version {}; this mlops reads version {}",
                                                 path, doc[kMarker].dump(), kProfileVersion),
                                     "write it again with this mlops: mlops drift profile REFERENCE -o FILE"));
  }
  try {
    Dataset d;
    d.source = path;
    d.rows = doc.at("rows").get<std::uint64_t>();
    for (const auto& c : doc.at("columns")) {
      Column col;
      col.name = c.at("name").get<std::string>();
      col.from_profile = true;
      col.missing = c.at("missing").get<std::uint64_t>();
      col.non_finite = c.at("non_finite").get<std::uint64_t>();
      if (c.value("type_given", false)) col.forced_type = c.at("type").get<std::string>() == "numeric" ? 1 : 2;
      if (c.contains("categories")) {
        col.numeric = false;
        col.integral = false;
        for (const auto& [k, n] : c.at("categories").items()) col.counts.emplace_back(k, n.get<std::uint64_t>());
      } else if (c.contains("values")) {
        col.integral = c.at("integral").get<bool>();
        for (const auto& vn : c.at("values")) {
          const auto v = vn.at(0).get<double>();
          col.values.insert(col.values.end(), vn.at(1).get<std::size_t>(), v);
        }
        if (!std::is_sorted(col.values.begin(), col.values.end())) throw std::runtime_error("values not in order");
      } else {
        col.integral = c.at("integral").get<bool>();
        ProfileBins bins;
        bins.inner = c.at("bins").at("edges").get<std::vector<double>>();
        bins.counts = c.at("bins").at("counts").get<std::vector<double>>();
        bins.values = c.at("count").get<std::uint64_t>();
        bins.distinct = c.at("distinct").get<std::uint64_t>();
        if (bins.counts.size() != bins.inner.size() + 1) throw std::runtime_error("bin counts do not match the edges");
        col.bins = std::move(bins);
      }
      d.columns.push_back(std::move(col));
    }
    return d;
  } catch (const std::exception& e) {
    // nlohmann's messages start with "[json.exception.type_error.302] "; the rest is the reason.
    std::string_view what = e.what();
    if (auto pos = what.find("] "); what.starts_with("[json.exception") && pos != std::string_view::npos)
      what.remove_prefix(pos + 2);
    return std::unexpected(malformed(path, what));
  }
}

}  // namespace mlops::drift
