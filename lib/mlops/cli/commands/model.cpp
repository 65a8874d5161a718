// `mlops model`: the command group and what its commands share.
#include "mlops/cli/commands/model.hpp"

#include <algorithm>
#include <ctime>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/output.hpp"
#include "mlops/git/push.hpp"
#include "mlops/registry/publish.hpp"
#include "mlops/tracking/run_json.hpp"

namespace mlops::cli {

void register_model(CLI::App& app) {
  auto* group = add_group(app, "model", "Model registry on git tags: register, promote, roll back, get");
  add_model_register(*group);
  add_model_promote(*group);
  add_model_rollback(*group);
  add_model_deprecate(*group);
  add_model_list(*group);
  add_model_show(*group);
  add_model_history(*group);
  add_model_get(*group);
  add_model_push(*group);
  add_model_check_ref(*group);
}

namespace model {

registry::Loaded load(const git::Repository& repo, std::string_view name) {
  Repo store = find_git_repo(repo.work_tree()).value_or(Repo{repo.work_tree(), {}});
  auto loaded = unwrap(registry::load(repo, name, store.initialised() ? &store : nullptr));
  for (const auto& tag : loaded.lightweight) {
    out::detail(fmt::format("ignoring lightweight tag '{}': registry tags must be annotated (git tag -a)", tag));
  }
  // A tag dated in the future orders after every tag written until then (GTO folds by date).
  constexpr std::int64_t kSkew = 300;
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  for (const auto& record : loaded.state.records) {
    if (record.time > now + kSkew) {
      out::warn(
          fmt::format("tag '{}' is dated {}, in the future (a clock running ahead where it was written?): "
                      "it outranks every tag written until then",
                      record.tag, out::iso_utc(record.time)));
    }
  }
  for (const auto& tag : loaded.unreadable) {
    out::warn(fmt::format("ignoring tag '{}': its object is missing or does not point to a commit", tag));
  }
  for (const auto& [model_name, m] : loaded.state.models) {
    for (const auto& v : m.versions) {
      if (!v.registration) continue;
      for (const auto& problem : v.message.problems) {
        out::warn(fmt::format("tag '{}': {} (the field is left out)", m.events[*v.registration].record->tag, problem));
      }
    }
  }
  return loaded;
}

void check_git_remote(const git::Repository& git_repo, bool push, const std::string& remote) {
  if (!push) return;
  if (auto configured = git::check_remote_configured(git_repo, remote); !configured) {
    auto error = configured.error();
    error.message += "; nothing was written";
    throw Failure(std::move(error));
  }
}

void check_publishable(const Repo& repo, const git::Repository& git_repo, std::string_view name, bool push,
                       bool registering) {
  if (!push) return;
  check_git_remote(git_repo, push);
  auto loaded = unwrap(registry::load(git_repo, name, repo.initialised() ? &repo : nullptr));
  unwrap(registry::check_publishable(repo, loaded.state, name, registering));
}

void Published::report() const {
  for (const auto& note : notes) out::note(note);
  if (!hint.empty()) out::hint(hint);
}

void Published::add_json(nlohmann::ordered_json& doc) const {
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
  };
  doc["git_remote"] = text_or_null(git_remote);
  doc["data_remote"] = text_or_null(data_remote);
  doc["data_remote_url"] = text_or_null(data_remote_url);
}

Published publish(const Repo& repo, const git::Repository& git_repo, std::string_view name,
                  const std::vector<std::string>& tags, bool push, const std::string& remote) {
  Published done;
  if (tags.empty()) return done;
  if (!push) {
    done.hint = "to push the changes upstream, run: mlops model push " + std::string(name);
    return done;
  }
  auto loaded = unwrap(registry::load(git_repo, name, repo.initialised() ? &repo : nullptr));
  auto published = unwrap(registry::publish(repo, git_repo, loaded.state, tags, remote));
  done.pushed = true;
  done.git_remote = remote;
  if (published.artifacts > 0) {
    done.data_remote = published.data_remote;
    done.data_remote_url = data_remote_url(repo, published.data_remote);
    done.notes.push_back(fmt::format("Uploaded {} object{} ({}) to data remote '{}' ({} artifact{} named by the tags)",
                                     published.uploaded, published.uploaded == 1 ? "" : "s",
                                     out::human_bytes(published.bytes), published.data_remote, published.artifacts,
                                     published.artifacts == 1 ? "" : "s"));
  }
  const auto& pushed = published.tags;
  done.notes.push_back(fmt::format("Pushed {} to '{}'",
                                   pushed.size() == 1 ? "'" + pushed[0] + "'" : std::to_string(pushed.size()) + " tags",
                                   remote));
  return done;
}

Published publish_created(const Repo& repo, const git::Repository& git_repo, std::string_view name, std::string& tag,
                          bool push, bool retry, const std::function<std::string()>& redo, std::string_view redone,
                          const std::string& remote) {
  constexpr int kRetries = 3;
  for (int attempt = 0; push && retry && attempt < kRetries; ++attempt) {
    auto loaded = unwrap(registry::load(git_repo, name, repo.initialised() ? &repo : nullptr));
    auto tags = registry::tags_to_push(loaded.state, {tag});
    auto diverged = unwrap(registry::diverged_tag(git_repo, tags, remote));
    // Only our own fresh tag is ours to drop; any other divergence is reported by publish().
    if (!diverged || *diverged != tag) break;
    unwrap(registry::take_remote_tags(git_repo, name, tag, remote));
    auto fetched = unwrap(registry::load(git_repo, name, repo.initialised() ? &repo : nullptr));
    std::string by = "another clone";
    auto record = std::find_if(fetched.state.records.begin(), fetched.state.records.end(),
                               [&](const auto& r) { return r.tag == tag; });
    if (record != fetched.state.records.end())
      by = fmt::format("{} ({})", short_commit(record->commit), record->author);
    std::string taken = tag;
    out::note(fmt::format("'{}' was taken on '{}' by {}; dropped ours and fetched the remote's registry tags", taken,
                          remote, by));
    tag = redo();
    out::note(fmt::format("{} {} instead of {}", redone, tag, taken));
  }
  return publish(repo, git_repo, name, {tag}, push, remote);
}

std::string data_remote_url(const Repo& repo, std::string_view name) {
  if (name.empty()) return {};
  auto config = load_config(repo);
  if (!config) return {};
  const auto* remote = config->find_remote(std::string(name));
  return remote ? remote->url : std::string();
}

std::string short_commit(std::string_view commit) { return std::string(commit.substr(0, 7)); }

nlohmann::ordered_json event_json(const registry::Model& model, const registry::Event& event) {
  const auto& r = *event.record;
  auto message = registry::parse_message(r.message);
  return {{"time", out::iso_utc(r.time)},
          {"model", model.name},
          {"event", registry::to_string(event.action)},
          {"version", event.version.empty() ? nullptr : nlohmann::ordered_json(event.version)},
          {"stage", event.stage.empty() ? nullptr : nlohmann::ordered_json(event.stage)},
          {"author", r.author},
          {"author_email", r.author_email},
          {"commit", r.commit},
          {"tag", r.tag},
          {"rollback", event.action == registry::Action::assign && message.meta.rollback()},
          {"reason", message.meta.reason.empty() ? nullptr : nlohmann::ordered_json(message.meta.reason)},
          {"message", message.body.empty() ? message.subject : message.subject + "\n\n" + message.body}};
}

nlohmann::ordered_json version_json(const registry::Model& model, const registry::Version& version) {
  using json = nlohmann::ordered_json;
  const auto& meta = version.message.meta;
  json doc;
  doc["model"] = model.name;
  doc["version"] = version.name;
  doc["type"] = meta.type.empty() ? "model" : meta.type;
  doc["active"] = version.active;
  doc["commit"] = version.commit;
  if (version.registration) {
    const auto& r = *model.events[*version.registration].record;
    doc["tag"] = r.tag;
    doc["registered_at"] = out::iso_utc(r.time);
    doc["author"] = r.author;
  } else {
    doc["tag"] = nullptr;
  }
  doc["run"] = meta.run.empty() ? json(nullptr) : json(meta.run);
  doc["dirty"] = meta.dirty;
  if (meta.artifact) {
    doc["artifact"] = {{"hash", meta.artifact->str()},
                       {"kind", meta.kind.empty() ? "file" : meta.kind},
                       {"size", meta.size ? json(*meta.size) : json(nullptr)},
                       {"files", meta.files ? json(*meta.files) : json(nullptr)},
                       {"path", meta.path.empty() ? json(nullptr) : json(meta.path)}};
  } else {
    doc["artifact"] = nullptr;
  }
  json data = json::array();
  for (const auto& [path, hash] : meta.data) data.push_back({{"path", path}, {"hash", hash.str()}});
  doc["data"] = data;
  json metrics = json::object();
  // As `runs show --json` writes them: JSON has no NaN or infinity (docs/runs.md).
  for (const auto& [name, value] : meta.metrics) metrics[name] = tracking::metric_value_json(value);
  doc["metrics"] = metrics;
  json stages = json::array();
  for (const auto& stage : model.stages()) {
    if (model.in_stage(stage) == &version) stages.push_back(stage);
  }
  doc["stages"] = stages;
  json history = json::array();
  for (const auto& e : model.events) {
    if (e.version != version.name) continue;
    history.push_back({{"time", out::iso_utc(e.record->time)},
                       {"event", registry::to_string(e.action)},
                       {"stage", e.stage.empty() ? json(nullptr) : json(e.stage)},
                       {"tag", e.record->tag},
                       {"author", e.record->author}});
  }
  doc["history"] = history;
  doc["message"] = version.message.body;
  json warnings = json::array();
  for (const auto& p : version.message.problems) warnings.push_back(p);
  doc["warnings"] = warnings;
  return doc;
}

void add_write_options(CLI::App& command, WriteOptions& options) {
  command.add_option("-m,--message", options.message, "Text for the tag message (after GTO's first line)");
  command.add_flag("--push", options.push, "Push the new tag to 'origin' (else the git push command is printed)");
}

}  // namespace model
}  // namespace mlops::cli
