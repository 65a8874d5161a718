#pragma once
// Printing one JSON document on stdout (the `--json` contract: one document, then a newline).
#include <nlohmann/json.hpp>

namespace mlops::out {
void print_json(const nlohmann::ordered_json& document);
}
