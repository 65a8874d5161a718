#include "mlops/tracking/share.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/tracking/run_json.hpp"

namespace mlops::tracking {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kIndexFormat = "mlops-runs-index";
constexpr int kIndexVersion = 1;
constexpr std::string_view kDocsPrefix = "runs/docs/";
constexpr std::string_view kIndexPrefix = "runs/index/";

std::string doc_key(std::string_view id) { return fmt::format("{}{}.json", kDocsPrefix, id); }

// A temp file in the store's tmp/ that is removed when it goes out of scope.
class DocTempFile {
 public:
  DocTempFile(const Repo& repo, std::string_view name) {
    std::error_code ec;
    fs::create_directories(repo.tmp(), ec);
    path_ = temp_path_in(repo.tmp(), name);
  }
  ~DocTempFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  DocTempFile(const DocTempFile&) = delete;
  DocTempFile& operator=(const DocTempFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Reads document `key` from the remote; nullopt when there is none.
Result<std::optional<std::string>> read_document(const Repo& repo, const data::Remote& remote, std::string_view key) {
  DocTempFile temp(repo, "remote-doc");
  auto got = remote.get_document(key, temp.path());
  if (!got) return std::unexpected(got.error());
  if (!*got) return std::optional<std::string>{};
  auto text = read_file(temp.path());
  if (!text) return std::unexpected(text.error());
  return std::optional<std::string>(std::move(*text));
}

// Publishes `text` under `key` (never replacing what is there).
Result<data::DocumentPut> write_document(const Repo& repo, const data::Remote& remote, std::string_view key,
                                         std::string_view text) {
  DocTempFile temp(repo, "remote-doc");
  if (auto r = write_file_atomic(temp.path(), text, repo.tmp()); !r) return std::unexpected(r.error());
  return remote.put_document(key, temp.path());
}

// The run in a run document exactly as written: what a local run is compared with (a record read
// back from it lacks what the store derives on import, such as the final metrics).
nlohmann::json document_run(std::string_view text) { return nlohmann::json::parse(text)["runs"][0]; }

// Run JSON as a plain (unordered) document, for comparing content whatever the key order.
nlohmann::json comparable(const RunRecord& record, const std::vector<MetricPoint>& history) {
  return nlohmann::json::parse(run_to_json(record, history).dump());
}

// The first top-level field in which two runs differ ("metric_history", "params", ...).
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b) {
  for (const auto& [key, value] : a.items()) {
    if (!b.contains(key) || b[key] != value) return key;
  }
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key)) return key;
  }
  return "?";
}

std::string run_summary(const RunRecord& run) {
  return fmt::format("'{}' on {}, started {}", run.name.empty() ? "(no name)" : run.name,
                     run.host.empty() ? "?" : run.host, run.start_time);
}

Error run_conflict(const std::string& id, const std::string& remote, const RunRecord& theirs, const RunRecord& ours,
                   const std::string& field, std::string_view hint) {
  return bad_input(fmt::format("run '{}' differs: remote '{}' holds {} and this repository holds {} ({} differ)", id,
                               remote, run_summary(theirs), run_summary(ours), field),
                   std::string(hint));
}

std::string key_safe(std::string_view text) {
  std::string s;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    s += ok ? c : '_';
  }
  if (s.size() > 40) s.resize(40);
  return s.empty() ? "host" : s;
}

// A key no other pusher picks: time, host, process, and 64 random bits.
std::string segment_key() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device random;
  std::uint64_t bits = (static_cast<std::uint64_t>(random()) << 32) ^ random();
  return fmt::format("{}{}-{}-{}-{:016x}.json", kIndexPrefix, now_ms(), key_safe(host), ::getpid(), bits);
}

std::string index_segment(const std::vector<SharedRun>& runs) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& run : runs) {
    list.push_back({{"id", run.id},
                    {"hash", run.hash.str()},
                    {"name", run.name},
                    {"status", run.status},
                    {"start_time", run.start_time}});
  }
  nlohmann::ordered_json doc = {{"format", kIndexFormat}, {"version", kIndexVersion}, {"runs", std::move(list)}};
  return doc.dump(2) + "\n";
}

std::vector<data::TrackedData> artifact_items(const RunRecord& run) {
  std::vector<data::TrackedData> items;
  for (const auto& artifact : run.artifacts) {
    auto hash = Hash::parse(artifact.hash);
    if (!hash) continue;
    data::TrackedData item;
    item.data_path = artifact.name;
    item.pointer.hash = *hash;
    item.pointer.kind = artifact.kind == "dir" ? data::Kind::dir : data::Kind::file;
    items.push_back(std::move(item));
  }
  return items;
}

// After a failed fetch of run artifacts: the first artifact (of which run) the remote does not
// have, asked again; nullopt when every one is there (the failure was something else).
std::optional<Error> name_lost_artifact(const std::vector<RunRecord>& records, const data::Remote& remote) {
  for (const auto& record : records) {
    for (const auto& item : artifact_items(record)) {
      auto there = remote.contains({item.pointer.hash}, data::Verify::yes);
      if (!there || there->front()) continue;
      return bad_input(
          fmt::format("run '{}' names artifact '{}' ({}), which remote '{}' does not have", record.id, item.data_path,
                      item.pointer.hash.str().substr(0, 17), remote.describe()),
          fmt::format("in the clone that made the run, 'mlops runs push --verify {}' sends it again", record.id));
    }
  }
  return std::nullopt;
}

}  // namespace

Result<ImportedRun> parse_run_document(std::string_view text, std::string_view where, std::string_view id) {
  auto runs = parse_export_document(
      text, {"run document", std::string(where),
             "it was not written by 'mlops runs push'; remove it from the remote and push the run again"});
  if (!runs) return std::unexpected(runs.error());
  auto malformed = [&](std::string_view what) {
    return bad_input(fmt::format("malformed run document '{}': {}", where, what),
                     "it was not written by 'mlops runs push'; remove it from the remote and push the run again");
  };
  if (runs->size() != 1) return std::unexpected(malformed("expected a 'runs export' document with one run"));
  if (runs->front().record.id != id) {
    return std::unexpected(malformed(fmt::format("it holds run '{}'", runs->front().record.id)));
  }
  return std::move(runs->front());
}

std::optional<std::vector<SharedRun>> parse_index_segment(std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  auto format = doc.find("format");
  auto version = doc.find("version");
  auto runs = doc.find("runs");
  if (format == doc.end() || *format != kIndexFormat || version == doc.end() || !version->is_number_integer() ||
      version->get<std::int64_t>() > kIndexVersion || runs == doc.end() || !runs->is_array()) {
    return std::nullopt;
  }
  // Each field is taken only when it has its type: an entry of another shape is skipped.
  auto text_of = [](const nlohmann::json& entry, const char* key) {
    auto it = entry.find(key);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::vector<SharedRun> result;
  for (const auto& entry : *runs) {
    if (!entry.is_object()) continue;
    SharedRun run;
    run.id = text_of(entry, "id");
    auto hash = Hash::parse(text_of(entry, "hash"));
    if (run.id.empty() || !hash) continue;
    run.hash = *hash;
    run.name = text_of(entry, "name");
    run.status = text_of(entry, "status");
    run.start_time = text_of(entry, "start_time");
    result.push_back(std::move(run));
  }
  return result;
}

std::string run_document(const RunRecord& record, const std::vector<MetricPoint>& history) {
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  runs.push_back(run_to_json(record, history));
  nlohmann::ordered_json doc = {{"format", kExportFormat}, {"version", kExportVersion}, {"runs", std::move(runs)}};
  return doc.dump(2) + "\n";
}

Result<std::map<std::string, SharedRun>> read_run_index(const Repo& repo, const data::Remote& remote) {
  auto segments = remote.list_documents(kIndexPrefix);
  if (!segments) return std::unexpected(segments.error());
  std::map<std::string, SharedRun> index;
  // Segments never change once written, so each is downloaded once per store: a pull or push
  // with nothing new costs one listing.
  fs::path seen = repo.store() / "runs-remote" / hash_bytes(remote.describe()).hex().substr(0, 16);
  for (const auto& segment : *segments) {
    fs::path copy = seen / segment.key.substr(segment.key.rfind('/') + 1);
    std::optional<std::string> text;
    if (auto cached = read_file(copy)) {
      text = std::move(*cached);
    } else {
      auto fetched = read_document(repo, remote, segment.key);
      if (!fetched) return std::unexpected(fetched.error());
      if (!*fetched) continue;  // listed, then gone: nothing to read
      text = std::move(**fetched);
      std::error_code ec;
      fs::create_directories(seen, ec);
      (void)write_file_atomic(copy, *text, repo.tmp());  // a copy that fails is only read again next time
    }
    auto runs = parse_index_segment(*text);
    if (!runs) {
      // One unreadable segment (a newer mlops, a hand edit) must not hide every other run.
      out::warn(fmt::format("skipping the run index segment '{}' on {}: not an index this mlops reads", segment.key,
                            remote.describe()));
      continue;
    }
    for (auto& run : *runs) index.emplace(run.id, std::move(run));
  }
  return index;
}

Result<PushRunsResult> push_runs(const Repo& repo, RunStore& store, const data::Remote& remote,
                                 const std::vector<std::string>& ids, bool recheck) {
  PushRunsResult result;
  struct Candidate {
    RunRecord record;
    std::string text;
    Hash hash;
  };
  std::vector<Candidate> todo;
  std::set<std::string> seen;
  for (const auto& id : ids) {
    if (!seen.insert(id).second) continue;
    auto record = store.get(id);
    if (!record) return std::unexpected(record.error());
    if (record->status == RunStatus::running) {
      result.unfinished.push_back(id);
      continue;
    }
    auto history = store.history(id);
    if (!history) return std::unexpected(history.error());
    std::string text = run_document(*record, *history);
    Hash hash = hash_bytes(text);
    todo.push_back(Candidate{std::move(*record), std::move(text), hash});
  }
  if (todo.empty()) return result;

  auto index = read_run_index(repo, remote);
  if (!index) return std::unexpected(index.error());
  // Decided before anything is written: already there, or a clash that stops the push.
  std::vector<Candidate*> publish;
  for (auto& c : todo) {
    auto it = index->find(c.record.id);
    if (it == index->end()) {
      publish.push_back(&c);
      continue;
    }
    if (it->second.hash == c.hash) {
      result.already.push_back(c.record.id);
      continue;
    }
    // Same id, other bytes: the same run written by another mlops, or another run.
    auto text = read_document(repo, remote, doc_key(c.record.id));
    if (!text) return std::unexpected(text.error());
    if (!*text) {
      publish.push_back(&c);  // indexed but its document is gone: publish it again
      continue;
    }
    auto theirs = parse_run_document(**text, doc_key(c.record.id), c.record.id);
    if (!theirs) return std::unexpected(theirs.error());
    auto ours = nlohmann::json::parse(c.text)["runs"][0];
    auto other = document_run(**text);
    if (other == ours) {
      result.already.push_back(c.record.id);
      continue;
    }
    return std::unexpected(run_conflict(c.record.id, remote.describe(), theirs->record, c.record,
                                        first_difference(other, ours),
                                        "two runs got one id; keep the remote's ('mlops runs delete ID' here, then "
                                        "'mlops runs pull ID'), or leave this one unpushed"));
  }
  // Objects first: a run document on the remote never names an artifact nobody can fetch, so the
  // remote itself is asked about them, not this machine's memory of it (a bucket emptied behind
  // its back would otherwise get a run whose artifacts are gone). With `recheck`, the runs already
  // there are included too, so that an object the remote lost is sent again and those runs can be
  // pulled.
  std::vector<data::TrackedData> items;
  for (auto& c : todo) {
    if (!recheck && std::find(publish.begin(), publish.end(), &c) == publish.end()) continue;
    auto more = artifact_items(c.record);
    items.insert(items.end(), more.begin(), more.end());
  }
  if (!items.empty()) {
    auto pushed = data::push(data::Cache(repo), remote, items, data::Verify::yes);
    if (!pushed) return std::unexpected(pushed.error());
    result.artifact_objects = pushed->objects;
    result.artifact_bytes = pushed->bytes;
  }
  if (publish.empty()) return result;
  std::vector<SharedRun> segment;
  std::optional<Error> clash;
  for (auto* c : publish) {
    auto put = write_document(repo, remote, doc_key(c->record.id), c->text);
    if (!put) return std::unexpected(put.error());
    if (*put == data::DocumentPut::differs) {
      // Another pusher published this id a moment ago.
      auto text = read_document(repo, remote, doc_key(c->record.id));
      if (!text) return std::unexpected(text.error());
      auto theirs = text->has_value() ? parse_run_document(**text, doc_key(c->record.id), c->record.id)
                                      : Result<ImportedRun>(std::unexpected(bad_input("vanished")));
      auto ours = nlohmann::json::parse(c->text)["runs"][0];
      if (!theirs || document_run(**text) != ours) {
        if (!clash && theirs) {
          clash = run_conflict(c->record.id, remote.describe(), theirs->record, c->record,
                               first_difference(document_run(**text), ours),
                               "another machine pushed a different run with this id at the same moment; keep the "
                               "remote's ('mlops runs delete ID' here, then 'mlops runs pull ID')");
        }
        continue;
      }
    }
    result.pushed.push_back(c->record.id);
    segment.push_back(SharedRun{c->record.id, c->hash, c->record.name, std::string(to_string(c->record.status)),
                                c->record.start_time});
  }
  if (!segment.empty()) {
    std::string text = index_segment(segment);
    for (int attempt = 0;; ++attempt) {
      auto put = write_document(repo, remote, segment_key(), text);
      if (!put) return std::unexpected(put.error());
      if (*put != data::DocumentPut::differs || attempt == 3) break;  // a key taken: pick another
    }
  }
  if (clash) return std::unexpected(*clash);
  return result;
}

Result<PullRunsResult> pull_runs(const Repo& repo, RunStore& store, const data::Remote& remote,
                                 const std::vector<std::string>& wanted) {
  auto index = read_run_index(repo, remote);
  if (!index) return std::unexpected(index.error());
  std::vector<std::string> ids;
  if (wanted.empty()) {
    for (const auto& [id, run] : *index) ids.push_back(id);
  } else {
    std::set<std::string> chosen;
    for (const auto& given : wanted) {
      std::vector<std::string> matches;
      for (auto it = index->lower_bound(given); it != index->end() && it->first.starts_with(given); ++it) {
        matches.push_back(it->first);
      }
      if (matches.empty()) {
        return std::unexpected(bad_input(fmt::format("no run '{}' on remote '{}'", given, remote.describe()),
                                         "push it from where it ran: 'mlops runs push ID' there"));
      }
      if (matches.size() > 1 && matches.front() != given) {
        return std::unexpected(
            bad_input(fmt::format("run id '{}' is ambiguous on remote '{}': {}, {}{}", given, remote.describe(),
                                  matches[0], matches[1], matches.size() > 2 ? ", ..." : ""),
                      "give more characters of the id"));
      }
      if (chosen.insert(matches.front()).second) ids.push_back(matches.front());
    }
  }

  PullRunsResult result;
  std::vector<RunRecord> records;
  std::vector<std::vector<MetricPoint>> histories;
  for (const auto& id : ids) {
    const SharedRun& shared = index->at(id);
    auto here = store.exists(id);
    if (!here) return std::unexpected(here.error());
    std::optional<nlohmann::json> ours;
    std::optional<RunRecord> our_record;
    if (*here) {
      auto record = store.get(id);
      if (!record) return std::unexpected(record.error());
      auto history = store.history(id);
      if (!history) return std::unexpected(history.error());
      if (hash_bytes(run_document(*record, *history)) == shared.hash) {
        result.already.push_back(id);  // the usual case of a second pull: nothing downloaded
        continue;
      }
      ours = comparable(*record, *history);
      our_record = std::move(*record);
    }
    auto text = read_document(repo, remote, doc_key(id));
    if (!text) return std::unexpected(text.error());
    if (!*text) {
      return std::unexpected(
          environment_error(fmt::format("remote '{}' indexes run '{}' but its document '{}' is missing",
                                        remote.describe(), id, doc_key(id)),
                            "push the run again from where it ran ('mlops runs push ID')"));
    }
    auto run = parse_run_document(**text, doc_key(id), id);
    if (!run) return std::unexpected(run.error());
    if (ours) {
      auto theirs = document_run(**text);
      if (theirs == *ours) {
        result.already.push_back(id);
        continue;
      }
      return std::unexpected(
          run_conflict(id, remote.describe(), run->record, *our_record, first_difference(theirs, *ours),
                       "two runs got one id; nothing was pulled. Keep yours and pull the others by id, "
                       "or delete yours ('mlops runs delete ID') and pull again"));
    }
    records.push_back(std::move(run->record));
    histories.push_back(std::move(run->history));
  }
  if (records.empty()) return result;

  // The artifacts' objects, under the store lock, before the records that name them.
  auto lock = data::lock_store(repo, LockKind::shared);
  if (!lock) return std::unexpected(lock.error());
  std::vector<data::TrackedData> items;
  for (const auto& record : records) {
    auto more = artifact_items(record);
    items.insert(items.end(), more.begin(), more.end());
  }
  if (!items.empty()) {
    auto fetched = data::fetch(data::Cache(repo), remote, items);
    if (!fetched) return std::unexpected(name_lost_artifact(records, remote).value_or(fetched.error()));
    result.artifact_objects = fetched->objects;
    result.artifact_bytes = fetched->bytes;
  }
  if (auto r = store.create_all(records, histories); !r) return std::unexpected(r.error());
  for (const auto& record : records) result.pulled.push_back(record.id);
  return result;
}

}  // namespace mlops::tracking
