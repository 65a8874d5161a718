#include "mlops/llm/provider.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <variant>

#include "mlops/llm/golden_text.hpp"
#include "mlops/llm/provider_process.hpp"

namespace mlops::llm {

namespace {

using json = nlohmann::json;

std::optional<std::int64_t> token_count(const json& usage, const char* key) {
  auto it = usage.find(key);
  if (it == usage.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

}  // namespace

nlohmann::json Response::to_json() const {
  json value{{"output", output}, {"latency_ms", latency_ms}};
  json usage = json::object();
  if (prompt_tokens) usage["prompt_tokens"] = *prompt_tokens;
  if (completion_tokens) usage["completion_tokens"] = *completion_tokens;
  if (total_tokens) usage["total_tokens"] = *total_tokens;
  if (!usage.empty()) value["usage"] = usage;
  if (cost) value["cost"] = *cost;
  if (retrieved_ids) value["retrieved_ids"] = *retrieved_ids;
  return value;
}

std::optional<Response> Response::from_json(const nlohmann::json& value) {
  if (!value.is_object() || !value.contains("output") || !value["output"].is_string()) return std::nullopt;
  Response response;
  response.output = value["output"].get<std::string>();
  response.latency_ms = value.value("latency_ms", 0.0);
  if (auto usage = value.find("usage"); usage != value.end() && usage->is_object()) {
    response.prompt_tokens = token_count(*usage, "prompt_tokens");
    response.completion_tokens = token_count(*usage, "completion_tokens");
    response.total_tokens = token_count(*usage, "total_tokens");
  }
  if (auto cost = value.find("cost"); cost != value.end() && cost->is_number()) response.cost = cost->get<double>();
  if (auto ids = value.find("retrieved_ids"); ids != value.end() && ids->is_array()) {
    std::vector<std::string> list;
    for (const auto& id : *ids) list.push_back(id.is_string() ? id.get<std::string>() : id.dump());
    response.retrieved_ids = std::move(list);
  }
  return response;
}

std::variant<Response, std::string> parse_provider_output(std::string_view text, OutputFormat format) {
  if (format != OutputFormat::text) {
    auto value = json::parse(text, nullptr, false);
    bool envelope = !value.is_discarded() && value.is_object() && value.contains("output");
    if (envelope || format == OutputFormat::json) {
      if (value.is_discarded()) return std::string("the provider printed malformed JSON");
      if (!value.is_object()) return std::string("the provider printed JSON that is not an object");
      if (!value.contains("output") || !value["output"].is_string()) {
        return std::string("the provider's JSON has no string 'output'");
      }
      if (value.contains("usage") && !value["usage"].is_object())
        return std::string("the provider's 'usage' is not an object");
      if (value.contains("cost") && (!value["cost"].is_number() || value["cost"].get<double>() < 0)) {
        return std::string("the provider's 'cost' is not a number >= 0");
      }
      if (value.contains("retrieved_ids") && !value["retrieved_ids"].is_array()) {
        return std::string("the provider's 'retrieved_ids' is not a list");
      }
      Response response = *Response::from_json(value);
      if (!response.total_tokens && (response.prompt_tokens || response.completion_tokens)) {
        response.total_tokens = response.prompt_tokens.value_or(0) + response.completion_tokens.value_or(0);
      }
      return response;
    }
  }
  Response response;
  // A model cut off at max_tokens can end inside a character; the answer is kept, not refused.
  response.output = with_valid_utf8(text);
  // The one newline that `print` and `echo` add is not part of the answer.
  if (response.output.ends_with('\n')) response.output.pop_back();
  if (response.output.ends_with('\r')) response.output.pop_back();
  return response;
}

CallResult call_provider(const ProviderSpec& provider, std::string_view prompt, const nlohmann::json& config,
                         const std::atomic<bool>* stop) {
  CallResult result;
  std::vector<std::pair<std::string, std::string>> env{{"MLOPS_PROVIDER_ID", provider.id},
                                                       {"MLOPS_PROVIDER_CONFIG", config.dump()}};
  auto ran = run_process(provider.argv, prompt, provider.timeout, env, stop, provider.folder);
  if (!ran) {
    result.error = ran.error().message;
    return result;
  }
  std::string tail = tail_of(ran->err);
  std::string stderr_note = tail.empty() ? "" : fmt::format("; its stderr ends: {}", tail);
  if (!ran->started) {
    result.error = ran->exec_errno == ENOENT
                       ? fmt::format("provider '{}': command '{}' not found", provider.id, provider.argv.front())
                       : fmt::format("provider '{}': cannot run '{}': {}", provider.id, provider.argv.front(),
                                     std::strerror(ran->exec_errno));
    return result;
  }
  if (ran->interrupted) {
    result.interrupted = true;
    result.error = "interrupted";
    return result;
  }
  if (ran->timed_out) {
    result.error =
        fmt::format("provider '{}' timed out after {} ms{}", provider.id, provider.timeout.count(), stderr_note);
    return result;
  }
  if (ran->exit_code != 0) {
    result.error = fmt::format("provider '{}' exited with {}{}", provider.id, ran->exit_code, stderr_note);
    return result;
  }
  auto parsed = parse_provider_output(ran->out, provider.format);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    result.error = fmt::format("provider '{}': {}{}", provider.id, *why, stderr_note);
    return result;
  }
  result.response = std::move(std::get<Response>(parsed));
  result.response->latency_ms = std::round(ran->seconds * 1e6) / 1e3;  // microsecond precision
  return result;
}

Result<std::vector<std::string>> parse_command(const nlohmann::json& value) {
  if (value.is_string() && !value.get<std::string>().empty())
    return std::vector<std::string>{"sh", "-c", value.get<std::string>()};
  if (value.is_array() && !value.empty()) {
    std::vector<std::string> argv;
    for (const auto& item : value) {
      if (!item.is_string()) return std::unexpected(bad_input("a command list must hold strings only"));
      argv.push_back(item.get<std::string>());
    }
    return argv;
  }
  return std::unexpected(bad_input("a command is a non-empty string (run by sh -c) or a list of strings (argv)"));
}

Result<std::chrono::milliseconds> parse_duration(const nlohmann::json& value) {
  auto bad = [&] {
    return std::unexpected(
        bad_input(fmt::format("'{}' is not a duration", value.is_string() ? value.get<std::string>() : value.dump()),
                  "write seconds as a number, or 250ms, 10s, 2m"));
  };
  double seconds = 0;
  if (value.is_number()) {
    seconds = value.get<double>();
  } else if (value.is_string()) {
    std::string text = value.get<std::string>();
    double number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc()) return bad();
    std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    if (unit == "ms")
      seconds = number / 1000;
    else if (unit == "s" || unit.empty())
      seconds = number;
    else if (unit == "m")
      seconds = number * 60;
    else
      return bad();
  } else {
    return bad();
  }
  if (!(seconds > 0) || seconds > 86400) return bad();
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000)));
}

}  // namespace mlops::llm
