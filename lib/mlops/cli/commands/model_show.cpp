// `mlops model show NAME[@VERSION|#STAGE]`: a model's versions, or one version's lineage.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/semver.hpp"

namespace mlops::cli {

namespace {

struct ModelShowOptions {
  std::string reference;
};

void print_version(const registry::Model& m, const registry::Version& v) {
  const auto& meta = v.message.meta;
  auto field = [](std::string_view key, std::string_view value) {
    out::println("{:<10} {}", std::string(key) + ":", value);
  };
  field("model", m.name);
  field("version", v.name + (v.active ? "" : " (deregistered)"));
  if (!meta.type.empty()) field("type", meta.type);
  field("commit", v.commit);
  if (v.registration) {
    const auto& r = *m.events[*v.registration].record;
    field("tag", r.tag);
    field("created", fmt::format("{} by {} <{}>", out::iso_utc(r.time), r.author, r.author_email));
  }
  std::string stages;
  for (const auto& s : m.stages()) {
    if (m.in_stage(s) == &v) stages += (stages.empty() ? "" : ", ") + s;
  }
  field("stages", stages.empty() ? "-" : stages);
  field("run", meta.run.empty() ? "-" : meta.run);
  if (meta.artifact) {
    std::string size = meta.size ? out::human_bytes(*meta.size) : "size unknown";
    if (meta.kind == "dir" && meta.files) size += fmt::format(", {} files", *meta.files);
    field("artifact",
          fmt::format("{} ({}{})", meta.artifact->str(), size, meta.path.empty() ? "" : ", from " + meta.path));
  } else {
    field("artifact", "-");
  }
  if (meta.dirty) field("dirty", "yes: registered from uncommitted changes; not rebuildable from git");
  for (const auto& [path, hash] : meta.data) field("data", fmt::format("{} {}", path, hash.str()));
  for (const auto& [name, value] : meta.metrics)
    field("metric", fmt::format("{} = {}", name, registry::format_number(value)));
  if (!v.message.body.empty()) field("message", v.message.body);
  out::println("");
  out::Table table({"TIME", "EVENT", "STAGE", "AUTHOR", "TAG"});
  for (const auto& e : m.events) {
    if (e.version != v.name) continue;
    table.add_row({out::iso_utc(e.record->time), std::string(registry::to_string(e.action)),
                   e.stage.empty() ? "-" : e.stage, e.record->author, e.record->tag});
  }
  out::print(table.render());
}

int run_model_show(const ModelShowOptions& options) {
  Repo repo = require_git_repo();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  auto ref = unwrap(registry::parse_reference(options.reference));
  auto loaded = model::load(git_repo, ref.model);
  const auto& state = loaded.state;
  const registry::Model& m = *unwrap(registry::find_model(state, ref.model));
  bool whole_model = ref.version.empty() && ref.stage.empty() && options.reference.find('@') == std::string::npos;

  if (!whole_model) {
    // A deregistered version still has a lineage to show; get and promote refuse it.
    const registry::Version* found = ref.version.empty() ? nullptr : m.find(ref.version);
    const registry::Version& v = found && found->registered ? *found : *unwrap(registry::resolve(state, ref));
    if (out::settings().json) {
      out::print_json(model::version_json(m, v));
    } else {
      print_version(m, v);
    }
    return 0;
  }

  // The whole model: its versions, newest SemVer first (as `gto show NAME`).
  std::vector<const registry::Version*> versions;
  for (const auto& v : m.versions) {
    if (v.registered) versions.push_back(&v);
  }
  std::sort(versions.begin(), versions.end(), [](const auto* a, const auto* b) {
    auto sa = registry::SemVer::parse(a->name), sb = registry::SemVer::parse(b->name);
    return sa && sb ? *sb < *sa : a->name > b->name;
  });
  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto* v : versions) list.push_back(model::version_json(m, *v));
    const auto* latest = m.latest();
    out::print_json({{"model", m.name},
                     {"latest", latest ? nlohmann::ordered_json(latest->name) : nullptr},
                     {"deprecated", m.deprecated},
                     {"versions", list}});
    return 0;
  }
  if (m.deprecated) out::println("{} is deprecated", m.name);
  out::Table table({"VERSION", "CREATED", "STAGES", "COMMIT", "ARTIFACT", "RUN"});
  for (const auto* v : versions) {
    std::string stages;
    for (const auto& s : m.stages()) {
      if (m.in_stage(s) == v) stages += (stages.empty() ? "" : ", ") + s;
    }
    const auto& meta = v->message.meta;
    std::string name = v->name + (v->active ? "" : " (deregistered)");
    if (v == m.latest()) name += " (latest)";
    table.add_row({name, out::iso_utc(m.events[*v->registration].record->time), stages.empty() ? "-" : stages,
                   model::short_commit(v->commit), meta.artifact ? meta.artifact->str().substr(0, 17) : "-",
                   meta.run.empty() ? "-" : meta.run});
  }
  out::print(table.render());
  return 0;
}

}  // namespace

void add_model_show(CLI::App& group) {
  auto options = std::make_shared<ModelShowOptions>();
  auto* command =
      add_command(group, "show", "Show a model's versions, or the lineage of NAME@VERSION, NAME#STAGE or NAME@latest",
                  [options] { return run_model_show(*options); });
  command->add_option("reference", options->reference, "NAME, NAME@vX.Y.Z, NAME@latest or NAME#STAGE")->required();
  add_json_flag(*command);
}

}  // namespace mlops::cli
