#include "mlops/view/html.hpp"

namespace mlops::view {

std::string script_json(const nlohmann::ordered_json& document) {
  std::string json = document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string s;
  s.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '<') {
      s += "\\u003c";
    } else if (c == '>') {
      s += "\\u003e";
    } else if (c == '&') {
      s += "\\u0026";
    } else if (json.compare(i, 3, "\xE2\x80\xA8") == 0) {
      s += "\\u2028";
      i += 2;
    } else if (json.compare(i, 3, "\xE2\x80\xA9") == 0) {
      s += "\\u2029";
      i += 2;
    } else {
      s += c;
    }
  }
  return s;
}

}  // namespace mlops::view
