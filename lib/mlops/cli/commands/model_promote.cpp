// `mlops model promote NAME VERSION --to STAGE`: assign a stage, after the gates pass.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/gates.hpp"
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
  model::WriteOptions write;
};

nlohmann::ordered_json gates_json(const registry::GateReport& report) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : report.rows) {
    rows.push_back({{"gate", row.gate}, {"value", row.value}, {"bound", row.bound}, {"passed", row.passed}});
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

int run_model_promote(const ModelPromoteOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  unwrap(registry::check_model_name(options.name));
  unwrap(registry::check_stage(options.stage, config.stages));
  // Everything the user typed is checked before the registry is touched.
  std::vector<tracking::Query> queries;
  for (const auto& text : options.requires_) queries.push_back(unwrap(tracking::parse_query(text)));
  std::optional<registry::ChampionRule> champion;
  if (!options.better_than.empty() || !options.metric.empty()) {
    if (options.better_than.empty() || options.metric.empty()) {
      throw Failure(bad_input("--better-than and --metric go together", "e.g. --better-than production --metric auc"));
    }
    unwrap(registry::check_stage(options.better_than, config.stages));
    champion = registry::ChampionRule{options.better_than, options.metric, options.lower_is_better};
  }
  registry::Reference ref;
  ref.model = options.name;
  if (options.version == "latest") {
    ref.latest = true;
  } else {
    ref = unwrap(registry::parse_reference(options.name + "@" + options.version));
  }

  auto git_repo = unwrap(git::Repository::open(repo.root));
  model::load(git_repo, options.name);  // reports malformed tags once, before the lock

  registry::GateReport report;
  std::string version_name;
  bool already = false;
  auto written =
      registry::write_tag(repo, git_repo, options.name, [&](const registry::State& state) -> Result<registry::NewTag> {
        auto version = registry::resolve(state, ref);
        if (!version) return std::unexpected(version.error());
        const registry::Version& v = **version;
        const registry::Model& m = *state.find(options.name);
        version_name = v.name;
        if (m.in_stage(options.stage) == &v) {
          // Nothing to write: stop here without a tag; the command reports it as a success.
          already = true;
          return std::unexpected(Error{Exit::ok, "", ""});
        }
        report = registry::evaluate_gates(m, v, queries, champion);
        if (!report.passed) {
          return std::unexpected(Error{Exit::check_failed,
                                       fmt::format("'{}' {} did not pass the gates for '{}'; no tag written",
                                                   options.name, v.name, options.stage),
                                       ""});
        }
        registry::Metadata meta;
        meta.gates = report.trailers();
        registry::TagName tag{
            options.name, registry::Action::assign, {}, options.stage, state.next_counter(options.name)};
        return registry::NewTag{tag.str(), v.commit,
                                registry::format_message(registry::assign_subject(options.name, options.stage, v.name),
                                                         options.write.message, meta)};
      });
  if (already) {
    if (out::settings().json) {
      out::print_json({{"model", options.name},
                       {"version", version_name},
                       {"stage", options.stage},
                       {"promoted", false},
                       {"tag", nullptr},
                       {"gates", nlohmann::ordered_json::array()}});
    } else {
      out::note(fmt::format("'{}' {} is already in '{}'; no tag written", options.name, version_name, options.stage));
    }
    return 0;
  }
  if (!written) {
    if (written.error().exit == Exit::check_failed) {
      if (out::settings().json) {
        out::print_json({{"model", options.name},
                         {"version", version_name},
                         {"stage", options.stage},
                         {"promoted", false},
                         {"tag", nullptr},
                         {"gates", gates_json(report)}});
      } else {
        print_gates(report);
      }
    }
    throw Failure(written.error());
  }
  bool pushed = model::publish(git_repo, {written->name}, options.write.push);
  if (out::settings().json) {
    out::print_json({{"model", options.name},
                     {"version", version_name},
                     {"stage", options.stage},
                     {"promoted", true},
                     {"tag", written->name},
                     {"commit", written->commit},
                     {"gates", gates_json(report)},
                     {"pushed", pushed}});
    return 0;
  }
  if (!report.rows.empty()) print_gates(report);
  out::println("Promoted {} {} to {} (tag '{}')", options.name, version_name, options.stage, written->name);
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
  command->add_flag("--lower-is-better", options->lower_is_better, "With --better-than: lower values win (loss)");
  model::add_write_options(*command, options->write);
  add_json_flag(*command);
}

}  // namespace mlops::cli
