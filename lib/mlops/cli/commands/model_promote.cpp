// `mlops model promote NAME VERSION --to STAGE`: assign a stage, after the gates pass.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/promote.hpp"
#include "mlops/registry/settings.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::cli {

namespace {

struct ModelPromoteOptions {
  std::string name;
  std::string version;
  std::string stage;
  std::vector<std::string> requires_;
  std::string better_than;
  std::string metric;
  bool lower_is_better = false;
  bool higher_is_better = false;
  bool force = false;
  model::WriteOptions write;
};

nlohmann::ordered_json gates_json(const registry::GateReport& report) {
  using json = nlohmann::ordered_json;
  json rows = json::array();
  for (const auto& row : report.rows) {
    json bound = nullptr;
    if (row.bound_list) {
      bound = row.bounds;
    } else if (!row.bounds.empty()) {
      bound = row.bounds.front();
    }
    rows.push_back({{"gate", row.gate},
                    {"value", row.value_number ? json(*row.value_number) : json(nullptr)},
                    {"op", row.op.empty() ? json(nullptr) : json(row.op)},
                    {"bound", bound},
                    {"passed", row.passed}});
  }
  return rows;
}

void print_gates(const registry::GateReport& report) {
  out::Table table({"GATE", "VALUE", "BOUND", "RESULT"});
  for (const auto& row : report.rows) {
    table.add_row({row.gate, row.value.empty() ? "-" : row.value, row.bound.empty() ? "-" : row.bound,
                   row.passed ? out::paint("pass", out::Style::green) : out::paint("FAIL", out::Style::red)});
  }
  out::print(table.render());
}

// Every option checked and turned into the library's request before the registry is touched.
registry::PromoteRequest promote_request(const Repo& repo, const ModelPromoteOptions& options) {
  unwrap(registry::check_model_name(options.name));
  auto stages = unwrap(registry::load_stages(repo));
  unwrap(registry::check_stage(options.stage, stages));
  registry::PromoteRequest request;
  for (const auto& text : options.requires_) request.requires_.push_back(unwrap(tracking::parse_query(text)));
  if (!options.better_than.empty() || !options.metric.empty()) {
    if (options.better_than.empty() || options.metric.empty()) {
      throw Failure(bad_input("--better-than and --metric go together", "e.g. --better-than production --metric auc"));
    }
    unwrap(registry::check_stage(options.better_than, stages));
    std::string metric = options.metric;
    if (metric.starts_with("metrics.")) metric.erase(0, 8);
    if (!options.lower_is_better && !options.higher_is_better && registry::sounds_lower_is_better(metric)) {
      out::warn(
          fmt::format("'{}' sounds like lower is better, but --better-than counts a higher value as better", metric));
      out::hint("pass --lower-is-better, or --higher-is-better to compare as now without this warning");
    }
    request.champion = registry::ChampionRule{options.better_than, metric, options.lower_is_better};
  }
  if (options.version == "latest") {
    request.version.model = options.name;
    request.version.latest = true;
  } else {
    request.version = unwrap(registry::parse_reference(options.name + "@" + options.version));
  }
  request.stage = options.stage;
  request.message = options.write.message;
  request.force = options.force;
  return request;
}

nlohmann::ordered_json promotion_json(const ModelPromoteOptions& options, const registry::Promotion& promotion,
                                      const model::Published& pushed) {
  bool promoted = promotion.outcome == registry::Promotion::Outcome::promoted;
  nlohmann::ordered_json doc = {
      {"model", options.name},
      {"version", promotion.version},
      {"stage", options.stage},
      {"promoted", promoted},
      {"tag", promoted ? nlohmann::ordered_json(promotion.tag.name) : nlohmann::ordered_json(nullptr)},
      {"commit", promotion.commit},
      {"gates", gates_json(promotion.report)},
      {"pushed", pushed.pushed}};
  pushed.add_json(doc);
  return doc;
}

int run_model_promote(const ModelPromoteOptions& options) {
  Repo repo = require_store();
  auto request = promote_request(repo, options);
  auto git_repo = unwrap(git::Repository::open(repo.root));
  model::load(git_repo, options.name);  // reports malformed tags once, before the lock
  model::check_publishable(repo, git_repo, options.name, options.write.push);

  auto promotion = unwrap(registry::promote(repo, git_repo, request));
  using Outcome = registry::Promotion::Outcome;
  if (promotion.outcome == Outcome::already_there) {
    if (out::settings().json) {
      out::print_json(promotion_json(options, promotion, {}));
    } else {
      out::note(
          fmt::format("'{}' {} is already in '{}'; no tag written", options.name, promotion.version, options.stage));
    }
    return 0;
  }
  if (promotion.outcome == Outcome::gates_failed) {
    if (out::settings().json) {
      out::print_json(promotion_json(options, promotion, {}));
    } else {
      print_gates(promotion.report);
    }
    throw Failure(Error{Exit::check_failed,
                        fmt::format("'{}' {} did not pass the gates for '{}'; no tag written", options.name,
                                    promotion.version, options.stage),
                        ""});
  }
  if (promotion.undeprecated) {
    out::warn(fmt::format("'{}' was deprecated; this promotion brings it back", options.name));
  }
  // A stage counter taken on the remote meanwhile is recomputed against the remote's tags.
  std::string tag = promotion.tag.name;
  auto pushed = model::publish_created(
      repo, git_repo, options.name, tag, options.write.push, /*retry=*/true,
      [&] {
        promotion = unwrap(registry::promote(repo, git_repo, request));
        if (promotion.outcome != Outcome::promoted) {
          throw Failure(environment_error(fmt::format("after taking the remote's tags, '{}' {} {}; nothing was pushed",
                                                      options.name, promotion.version,
                                                      promotion.outcome == Outcome::already_there
                                                          ? "is already in '" + options.stage + "' there"
                                                          : "no longer passes the gates for '" + options.stage + "'"),
                                          "see 'mlops model history " + options.name + "'"));
        }
        return promotion.tag.name;
      },
      "wrote");
  if (out::settings().json) {
    out::print_json(promotion_json(options, promotion, pushed));
    pushed.report();
    return 0;
  }
  if (!promotion.report.rows.empty()) print_gates(promotion.report);
  out::println("Promoted {} {} to {} (tag '{}')", options.name, promotion.version, options.stage, promotion.tag.name);
  pushed.report();
  return 0;
}

}  // namespace

void add_model_promote(CLI::App& group) {
  auto options = std::make_shared<ModelPromoteOptions>();
  auto* command = add_command(group, "promote", "Assign a stage to a version, if its metrics pass the gates",
                              [options] { return run_model_promote(*options); });
  command->add_option("name", options->name, "Model name")->required();
  command->add_option("version", options->version, "Version (vX.Y.Z) or 'latest'")->required();
  command->add_option("--to", options->stage, "Stage to assign (one of registry.stages in .mlops/config.yaml)")
      ->required()
      ->option_text("STAGE");
  command
      ->add_option("--require", options->requires_,
                   "Gate on the version's metrics, e.g. 'metrics.auc >= 0.9' (repeatable; the language of "
                   "'runs list --where')")
      ->option_text("EXPR")
      ->allow_extra_args(false);
  command
      ->add_option("--better-than", options->better_than,
                   "Champion/challenger: the version must beat the one in STAGE on --metric")
      ->option_text("STAGE");
  command->add_option("--metric", options->metric, "Metric compared by --better-than")->option_text("NAME");
  auto* lower =
      command->add_flag("--lower-is-better", options->lower_is_better, "With --better-than: lower values win (loss)");
  command
      ->add_flag("--higher-is-better", options->higher_is_better,
                 "With --better-than: higher values win (the default; silences the warning for a loss-like name)")
      ->excludes(lower);
  command->add_flag("--force", options->force,
                    "Promote a deprecated model (it is then no longer deprecated, as GTO reads the tags)");
  model::add_write_options(*command, options->write);
  add_json_flag(*command);
}

}  // namespace mlops::cli
