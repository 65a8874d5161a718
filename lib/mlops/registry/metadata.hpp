#pragma once
// What a registry tag says beyond its name: GTO's default sentence as the subject, the user's
// message, and mlops' lineage as git trailers in the last paragraph:
//   Registering artifact churn version v0.0.2
//
//   retrained on March data
//
//   Artifact: xxh3:0123456789abcdef0123456789abcdef
//   Kind: file
//   Type: prompt             (GTO's artifact type; absent for a model)
//   Size: 1048576
//   Path: models/churn.pkl
//   Run: 3f9a2c1b
//   Data: data/train.csv=xxh3:...
//   Metric: auc=0.93
// Trailers with a key this version does not know are kept out of the way (ignored); a known key
// with a malformed value is reported, and that field is left out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlops/core/hash.hpp"

namespace mlops::registry {

struct Metadata {
  std::optional<Hash> artifact;
  std::string kind;                                     // "file" or "dir"; empty when unknown
  std::string type;                                     // GTO's artifact type ("prompt"); empty for a model
  std::optional<std::uint64_t> size;                    // bytes (total for a directory)
  std::optional<std::uint64_t> files;                   // a directory's file count
  std::string path;                                     // where the artifact came from ("models/churn.pkl")
  std::string run;                                      // the run id
  bool dirty = false;                                   // registered from a tree with uncommitted changes
  std::vector<std::pair<std::string, Hash>> data;       // data path -> version
  std::vector<std::pair<std::string, double>> metrics;  // final metric values
  std::vector<std::string> gates;                       // "metrics.auc >= 0.9: pass (0.93)"
  std::string reason;                                   // why (rollback, deprecation)

  std::optional<double> metric(std::string_view name) const;
  // An assignment `mlops model rollback` wrote ("Reason: rollback of STAGE from VERSION").
  bool rollback() const { return reason.starts_with("rollback"); }
};

struct Message {
  std::string subject;  // the first line
  std::string body;     // the paragraphs between the subject and the trailers
  Metadata meta;
  std::vector<std::string> problems;  // "malformed trailer 'Size: big'"
};

Message parse_message(std::string_view text);
// The message for a new tag: subject, the user's text (may be empty), then the trailers.
std::string format_message(std::string_view subject, std::string_view user_message, const Metadata& meta);

// A metric value as text: shortest form that reads back to the same double ("0.93", "1e-05").
std::string format_number(double value);

}  // namespace mlops::registry
