#include "mlops/data/remote.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/remote_path.hpp"
#include "mlops/data/remote_s3.hpp"
#include "mlops/data/remote_settings.hpp"
#include "mlops/data/status.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

namespace {

fs::path local_path_of(const Repo& repo, std::string_view url) {
  std::string text(url);
  if (text.starts_with("file://")) text = text.substr(7);
  fs::path p(text);
  return p.is_absolute() ? p : repo.root / p;
}

}  // namespace

Result<std::vector<RemoteObject>> Remote::list() const {
  return std::unexpected(bad_input(fmt::format("remote '{}' cannot list its objects", describe()),
                                   "clean it with the storage's own tools"));
}

Result<void> Remote::upload_many(const std::vector<Hash>& hashes, const Cache& cache, const Advance& advance) const {
  for (const auto& h : hashes) {
    MLOPS_TRY(upload(h, cache.object_path(h)));
    std::error_code ec;
    advance(fs::file_size(cache.object_path(h), ec));
  }
  return {};
}

std::vector<Result<void>> Remote::download_many(const std::vector<Hash>& hashes, const Cache& cache,
                                                const Advance& advance) const {
  std::vector<Result<void>> results;
  results.reserve(hashes.size());
  for (const auto& h : hashes) {
    results.push_back(download(h, cache));
    std::error_code ec;
    if (results.back()) advance(fs::file_size(cache.object_path(h), ec));
  }
  return results;
}

Error corrupt_remote_object(const Hash& hash, std::string_view remote, std::string_view moved_to,
                            std::string_view why_not) {
  std::string message = fmt::format(
      "object {} on remote '{}' is corrupt (its content does not match its hash); it was not placed in the cache",
      hash.str(), remote);
  // The clone that pushed the object remembers the remote has it (S3: .mlops/remotes.db), so a plain
  // push there sends nothing: --verify makes it ask the remote again.
  constexpr std::string_view kRepush =
      "run 'mlops data push --verify' in a clone that has a good copy (check it there with 'mlops data verify' "
      "first): --verify asks the remote what it lacks instead of trusting what that clone remembers sending";
  if (!moved_to.empty()) {
    return environment_error(fmt::format("{}, and was moved aside on the remote to '{}'", message, moved_to),
                             std::string(kRepush));
  }
  std::string hex = hash.hex();
  return environment_error(
      fmt::format("{} and could not be moved aside ({})", message, why_not),
      fmt::format("delete the key '{}/{}' under the remote's root (or have its owner do so), then {}", hex.substr(0, 2),
                  hex.substr(2), kRepush));
}

Result<void> Remote::remove(const Hash&) const {
  return std::unexpected(
      bad_input(fmt::format("remote '{}' cannot delete objects", describe()), "clean it with the storage's own tools"));
}

Result<void> check_document_key(std::string_view key) {
  auto invalid = [&](std::string_view why) {
    return std::unexpected(bad_input(fmt::format("invalid document key '{}': {}", key, why),
                                     "use '/'-separated names of letters, digits and ._-+=@,"));
  };
  if (key.empty()) return invalid("it is empty");
  if (key.size() > 512) return invalid("it is longer than 512 bytes");
  std::size_t start = 0;
  bool first = true;
  while (start <= key.size()) {
    auto slash = key.find('/', start);
    auto part = key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty()) return invalid("it has an empty part");
    if (part.front() == '.') return invalid("a part starts with '.'");
    for (char c : part) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || std::strchr("._-+=@,", c))) {
        return invalid(fmt::format("'{}' is not allowed", c));
      }
    }
    if (first && part.size() <= 2) return invalid("its first part must be longer than two characters");
    first = false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return {};
}

Result<S3Location> parse_s3_url(std::string_view url) {
  auto malformed = [&](std::string_view why) {
    return std::unexpected(
        bad_input(fmt::format("malformed S3 URL '{}': {}", url, why), "write it as s3://BUCKET or s3://BUCKET/PREFIX"));
  };
  if (!url.starts_with("s3://")) return malformed("it does not start with s3://");
  auto rest = url.substr(5);
  auto slash = rest.find('/');
  S3Location location{std::string(rest.substr(0, slash)), {}};
  if (location.bucket.find('@') != std::string::npos || location.bucket.find(':') != std::string::npos) {
    return malformed("credentials and ports do not belong in it (see 'mlops remote modify NAME endpoint_url')");
  }
  const auto& b = location.bucket;
  if (b.size() < 3 || b.size() > 63) return malformed("a bucket name has 3 to 63 characters");
  for (char c : b) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
          c == '-')) {
      return malformed(fmt::format("a bucket name has lower-case letters, digits, '.' and '-', not '{}'", c));
    }
  }
  if (!std::isalnum(static_cast<unsigned char>(b.front())) || !std::isalnum(static_cast<unsigned char>(b.back()))) {
    return malformed("a bucket name starts and ends with a letter or digit");
  }
  if (slash != std::string_view::npos) {
    std::string prefix(rest.substr(slash + 1));
    while (prefix.ends_with('/')) prefix.pop_back();
    if (prefix.starts_with('/') || prefix.find("//") != std::string::npos)
      return malformed("its prefix has an empty part ('//')");
    for (char c : prefix) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '\\')
        return malformed("its prefix has a control character or '\\'");
      // Legal in S3, but every shell line and tool that names such a key must quote it: most
      // likely a slip, and never needed.
      if (c == ' ') return malformed("its prefix has a space (use '-' or '_')");
    }
    location.prefix = std::move(prefix);
  }
  return location;
}

Result<void> check_remote_url(std::string_view url) {
  if (url.empty()) return std::unexpected(bad_input("the remote URL is empty"));
  // "s3:/bucket", "s3:bucket", "S3://bucket": meant as S3, and never a folder anyone wants.
  if (url.size() > 3 && (url[0] == 's' || url[0] == 'S') && url[1] == '3' && url[2] == ':' &&
      !url.starts_with("s3://")) {
    std::string_view rest = url.substr(3);
    while (rest.starts_with('/')) rest.remove_prefix(1);
    return std::unexpected(bad_input(fmt::format("remote URL '{}' is not an S3 URL (S3 URLs start with s3://)", url),
                                     fmt::format("did you mean 's3://{}'?", rest)));
  }
  if (url.starts_with("s3://")) {
    MLOPS_TRY(parse_s3_url(url));
    return {};
  }
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos && !url.starts_with("file://")) {
    return std::unexpected(bad_input(fmt::format("remote URL '{}' uses a scheme mlops cannot reach", url),
                                     "use a local or mounted path, or s3://BUCKET[/PREFIX] for S3-compatible storage "
                                     "(MinIO, Ceph, R2, GCS interoperability: set endpoint_url)"));
  }
  return {};
}

Result<void> prepare_remote_location(const Repo& repo, std::string_view url, CreateRemote create) {
  MLOPS_TRY(check_remote_url(url));
  if (url.starts_with("s3://")) return {};  // a bucket is checked when it is used: credentials may come later
  fs::path root = local_path_of(repo, url);
  std::error_code ec;
  auto status = fs::status(root, ec);
  if (fs::is_directory(status)) return {};
  if (fs::exists(status)) {
    return std::unexpected(bad_input(fmt::format("remote path '{}' is not a folder", root.string()),
                                     "give the folder that holds (or will hold) the remote's objects"));
  }
  if (create == CreateRemote::no) {
    return std::unexpected(bad_input(fmt::format("remote path '{}' does not exist", root.string()),
                                     "check the path and that its disk is mounted; to make a new remote there, "
                                     "add it with --create"));
  }
  fs::create_directories(root, ec);
  if (ec) {
    return std::unexpected(
        environment_error(fmt::format("cannot create remote folder '{}': {}", root.string(), ec.message()),
                          "check that the parent folder exists, is mounted and writable"));
  }
  return {};
}

Result<std::unique_ptr<Remote>> open_remote(const Repo& repo, const RemoteConfig& config, Verify verify,
                                            const RemoteOverrides& overrides) {
  if (auto checked = check_remote_url(config.url); !checked)
    return std::unexpected(bad_url_error(config, checked.error()));
  auto settings = effective_settings(config);
  if (overrides.jobs) settings["jobs"] = Setting{std::to_string(overrides.jobs), "--jobs"};
  if (remote_kind(config.url) == RemoteKind::s3) return open_s3_remote(repo, config, settings, verify);
  for (const auto& [key, setting] : settings) {
    if (auto bad = check_remote_setting(config, key, setting, RemoteKind::path)) return std::unexpected(*bad);
  }
  fs::path root = local_path_of(repo, config.url);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    // Never created here: an unmounted share would otherwise become an empty remote on the local disk.
    return std::unexpected(environment_error(
        fmt::format(
            "remote '{}' is unreachable: '{}' {}{}", config.name, root.string(),
            fs::exists(root, ec) ? "is not a folder" : "does not exist",
            from_environment(config.url_source) ? fmt::format(" (its url comes from {})", config.url_source) : ""),
        from_environment(config.url_source)
            ? fmt::format("mount it, or correct or unset {}", config.url_source)
            : "mount it, or fix its path with 'mlops remote modify " + config.name +
                  " url PATH'; to start an empty remote there, create the folder on purpose "
                  "(mkdir)"));
  }
  auto shared = settings.find("shared");
  bool group = shared != settings.end() && shared->second.value == "group";
  return std::unique_ptr<Remote>(new PathRemote(root, group ? Shared::group : Shared::no));
}

namespace {

// An MLOPS_REMOTE_* variable that names no remote's setting is a typo that would otherwise be
// ignored in silence (a CI job's endpoint_url misspelt sends the traffic to AWS): said once.
void warn_unknown_remote_variables(const Config& config) {
  static bool warned = false;
  if (warned) return;
  warned = true;
  std::vector<std::string> known;
  for (const auto& remote : config.remotes) {
    known.push_back(remote_env_name(remote.name, "url"));
    for (const auto& key : remote_keys()) known.push_back(remote_env_name(remote.name, key.name));
  }
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view variable(*entry);
    variable = variable.substr(0, variable.find('='));
    if (!variable.starts_with("MLOPS_REMOTE_")) continue;
    if (std::find(known.begin(), known.end(), variable) != known.end()) continue;
    auto near = closest(variable, known);
    out::warn(fmt::format("{} names no setting of any remote and is ignored{}", variable,
                          near.empty() ? "" : fmt::format(" (did you mean {}?)", near)));
  }
}

}  // namespace

Result<std::unique_ptr<Remote>> open_named_remote(const Repo& repo, const Config& config, std::string_view name,
                                                  Verify verify, const RemoteOverrides& overrides) {
  warn_unknown_remote_variables(config);
  std::string chosen = name.empty() ? config.default_remote : std::string(name);
  if (chosen.empty()) {
    return std::unexpected(bad_input("no remote given and no default remote is set",
                                     "add one with 'mlops remote add NAME URL --default', or pass --remote NAME"));
  }
  const RemoteConfig* remote = config.find_remote(chosen);
  if (!remote) {
    std::string from = name.empty() ? fmt::format(" (the default remote, from {})", config.default_source) : "";
    return std::unexpected(bad_input(fmt::format("unknown remote '{}'{}", chosen, from), "see 'mlops remote list'"));
  }
  return open_remote(repo, *remote, verify, overrides);
}

std::vector<Hash> objects_of(const Cache& cache, const std::vector<TrackedData>& items, std::vector<Hash>* unexpanded) {
  std::set<Hash> seen;
  std::vector<Hash> objects;
  auto add = [&](const Hash& h) {
    if (seen.insert(h).second) objects.push_back(h);
  };
  for (const auto& item : items) {
    add(item.pointer.hash);
    if (item.pointer.kind != Kind::dir) continue;
    auto manifest = read_manifest(cache, item.pointer.hash);
    if (!manifest) {
      if (unexpanded) unexpanded->push_back(item.pointer.hash);
      continue;
    }
    for (const auto& e : *manifest) add(e.hash);
  }
  return objects;
}

Result<std::vector<RemoteStatus>> remote_status(const Cache& cache, const Remote& remote,
                                                const std::vector<TrackedData>& items) {
  std::vector<std::vector<Hash>> per_item;
  std::vector<Hash> all;
  std::vector<RemoteStatus> statuses;
  for (const auto& item : items) {
    std::vector<Hash> unexpanded;
    per_item.push_back(objects_of(cache, {item}, &unexpanded));
    statuses.push_back(RemoteStatus{item, per_item.back().size(), 0, 0, !unexpanded.empty()});
    all.insert(all.end(), per_item.back().begin(), per_item.back().end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  auto present = remote.contains(all);
  if (!present) return std::unexpected(present.error());
  std::set<Hash> on_remote;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if ((*present)[i]) on_remote.insert(all[i]);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (const auto& h : per_item[i]) {
      if (on_remote.contains(h)) continue;
      ++statuses[i].not_on_remote;
      if (!cache.contains(h)) ++statuses[i].in_neither;
    }
  }
  return statuses;
}

Result<TransferResult> push(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items,
                            Verify ask) {
  TransferResult result;
  result.remembered = ask == Verify::no && remote.remembers_contents();
  auto objects = objects_of(cache, items);
  auto present = remote.contains(objects, ask);
  if (!present) return std::unexpected(present.error());
  std::vector<Hash> to_send;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if ((*present)[i]) {
      ++result.skipped;
    } else if (!cache.contains(objects[i])) {
      return std::unexpected(missing_object_error(objects[i]));
    } else {
      to_send.push_back(objects[i]);
    }
  }
  std::uint64_t total = 0;
  for (const auto& h : to_send) {
    std::error_code ec;
    total += fs::file_size(cache.object_path(h), ec);
  }
  out::Progress progress(fmt::format("Pushing to {}", remote.describe()), total);
  auto uploaded = remote.upload_many(to_send, cache, [&](std::uint64_t bytes) {
    result.bytes += bytes;
    ++result.objects;
    progress.advance(bytes);
  });
  result.requests = remote.requests();
  if (!uploaded) return std::unexpected(uploaded.error());
  return result;
}

namespace {
Result<void> download_missing(const Cache& cache, const Remote& remote, const std::vector<Hash>& wanted,
                              TransferResult& result) {
  std::vector<Hash> missing;
  for (const auto& h : wanted) {
    if (cache.contains(h)) {
      ++result.skipped;
    } else {
      missing.push_back(h);
    }
  }
  if (missing.empty()) return {};
  auto results = remote.download_many(missing, cache, [&](std::uint64_t bytes) {
    result.bytes += bytes;
    ++result.objects;
  });
  result.requests = remote.requests();
  // Everything that arrived is kept; the first failure is reported, the environment's (an
  // unreachable remote, a corrupt object: exit 3) before an object that is simply not there.
  const Error* first = nullptr;
  for (const auto& r : results) {
    if (!r && (!first || (first->exit != Exit::environment && r.error().exit == Exit::environment))) {
      first = &r.error();
    }
  }
  if (first) return std::unexpected(*first);
  return {};
}
}  // namespace

Result<TransferResult> fetch(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items) {
  TransferResult result;
  // Manifests first: a folder's files are known only once its manifest is here.
  std::vector<Hash> manifests;
  for (const auto& item : items) {
    if (item.pointer.kind == Kind::dir) manifests.push_back(item.pointer.hash);
  }
  if (auto r = download_missing(cache, remote, manifests, result); !r) return std::unexpected(r.error());
  auto objects = objects_of(cache, items);
  if (auto r = download_missing(cache, remote, objects, result); !r) return std::unexpected(r.error());
  result.skipped = objects.size() - std::min(objects.size(), result.objects);
  if (auto r = cache.flush(); !r) return std::unexpected(r.error());
  return result;
}

Result<TransferResult> fetch_version(const Repo& repo, const Hash& hash, Kind kind, std::string_view remote_name) {
  Cache cache(repo);
  TrackedData item;
  item.pointer.hash = hash;
  item.pointer.kind = kind;
  if (version_in_cache(cache, item.pointer)) return TransferResult{};
  auto config = load_config(repo);
  if (!config) return std::unexpected(config.error());
  auto remote = open_named_remote(repo, *config, remote_name);
  if (!remote) return std::unexpected(remote.error());
  return fetch(cache, **remote, {item});
}

Result<void> fetch_objects(const Repo& repo, const std::vector<Hash>& wanted, std::string_view remote_name) {
  Cache cache(repo);
  std::vector<Hash> missing;
  for (const auto& h : wanted) {
    if (!cache.contains(h)) missing.push_back(h);
  }
  if (missing.empty()) return {};
  auto config = load_config(repo);
  if (!config) return std::unexpected(config.error());
  auto remote = open_named_remote(repo, *config, remote_name);
  if (!remote) return std::unexpected(remote.error());
  TransferResult result;
  if (auto r = download_missing(cache, **remote, missing, result); !r) return r;
  return cache.flush();
}

}  // namespace mlops::data
