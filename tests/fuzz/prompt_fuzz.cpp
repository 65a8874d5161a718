// Prompt files (front matter, Picoschema) and their templates, parsed and then rendered with
// variables that the same input supplies as JSON after a NUL byte.
#include <nlohmann/json.hpp>

#include "fuzz.hpp"
#include "mlops/llm/prompt.hpp"
#include "mlops/llm/template.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto input = mlops::fuzz::text(data, size);
  auto nul = input.find('\0');
  auto body = input.substr(0, nul);
  auto vars = nlohmann::json::parse(nul == std::string_view::npos ? std::string_view("{}") : input.substr(nul + 1),
                                    nullptr, false);
  if (vars.is_discarded()) vars = nlohmann::json::object();
  (void)mlops::llm::parse_prompt(body, "fuzz.prompt");
  auto parsed = mlops::llm::Template::parse(body);
  if (parsed) (void)parsed->render(vars);
  return 0;
}
