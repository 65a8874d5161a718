// The operations of Client over the engine (engine.hpp). Each batch function turns its items into
// calls, lets the engine run them (up to `jobs` at once), and gathers one result per item. Multi-
// step operations (multipart uploads, ranged downloads, listings with continuation tokens) chain
// their next calls from the previous call's `done`.
#include "mlops/s3/client.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/s3/credentials.hpp"
#include "mlops/s3/crypto.hpp"
#include "mlops/s3/engine.hpp"
#include "mlops/s3/errors.hpp"
#include "mlops/s3/libraries.hpp"
#include "mlops/s3/xml.hpp"

namespace mlops::s3 {

namespace {

constexpr std::size_t kDeleteBatch = 1000;  // DeleteObjects takes at most 1000 keys

// SIGINT/SIGTERM during an upload: the handler only raises a flag; the engine stops, the multipart
// uploads begun are aborted, and then the signal is raised again with the previous handler back.
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

void on_signal(int signal) {
  g_signal.store(signal);
  g_stop.store(true);
}

class SignalGuard {
 public:
  SignalGuard() {
    g_stop.store(false);
    g_signal.store(0);
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &previous_int_);
    ::sigaction(SIGTERM, &action, &previous_term_);
  }
  ~SignalGuard() {
    ::sigaction(SIGINT, &previous_int_, nullptr);
    ::sigaction(SIGTERM, &previous_term_, nullptr);
    if (int signal = g_signal.exchange(0); signal != 0) {
      // The shell shows nothing for a death by signal: say what was kept and how to go on.
      std::fputs(
          "\nmlops: interrupted; the uploads begun were aborted and the objects sent stay on the remote.\n"
          "hint: run the same command again to send the rest\n",
          stderr);
      // Ended by the signal even where it was ignored (a job started with '&' in a script):
      // the work has stopped, and the caller sees 128 + the signal's number, as from Ctrl-C. A
      // handler of the program's own gets the signal as before.
      const struct sigaction& previous = signal == SIGINT ? previous_int_ : previous_term_;
      if (previous.sa_handler == SIG_IGN) ::signal(signal, SIG_DFL);
      std::raise(signal);
    }
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

std::int64_t parse_time(const std::string& text, const char* format) {
  std::tm tm{};
  if (::strptime(text.c_str(), format, &tm) == nullptr) return 0;
  return static_cast<std::int64_t>(::timegm(&tm));
}

std::string unquote(std::string text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') return text.substr(1, text.size() - 2);
  return text;
}

std::uint64_t to_u64(const std::string& text) {
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') break;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

struct Client::Impl {
  Settings settings;
  std::unique_ptr<Engine> engine;
  FailureContext context;
  Progress progress;
  std::uint64_t threshold = kDefaultMultipartThreshold;
  std::uint64_t chunksize = kDefaultMultipartChunksize;
  mutable bool bucket_missing = false;  // some answer said NoSuchBucket

  std::string full_key(std::string_view key) const {
    return settings.prefix.empty() ? std::string(key) : settings.prefix + "/" + std::string(key);
  }
  std::string relative_key(const std::string& full) const {
    if (settings.prefix.empty()) return full;
    std::string lead = settings.prefix + "/";
    return full.starts_with(lead) ? full.substr(lead.size()) : full;
  }
  std::string url_of(const std::string& full) const { return fmt::format("s3://{}/{}", settings.bucket, full); }
  Error failure(const Call& call, std::string_view what) const {
    if (call.status == 404 && xml_text(call.response, "Code") == std::optional<std::string>("NoSuchBucket")) {
      bucket_missing = true;
    }
    return describe_failure(call, what, context);
  }

  // Headers that go with a new object (PUT, CreateMultipartUpload), not with its parts.
  void object_headers(Call& call) const {
    if (!settings.sse.empty()) call.headers.emplace_back("x-amz-server-side-encryption", settings.sse);
    if (!settings.sse_kms_key_id.empty()) {
      call.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", settings.sse_kms_key_id);
    }
    if (!settings.acl.empty()) call.headers.emplace_back("x-amz-acl", settings.acl);
  }

  void report(std::size_t done, std::size_t total, std::uint64_t bytes) const {
    if (progress) progress(done, total, bytes);
  }
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::open(const Settings& settings) {
  if (settings.bucket.empty())
    return std::unexpected(bad_input("an S3 remote needs a bucket", "write it as s3://BUCKET[/PREFIX]"));
  MLOPS_TRY(load_libraries());
  auto resolved = resolve(settings);
  if (!resolved) return std::unexpected(std::move(resolved.error()));
  auto target = make_target(settings, *resolved);
  if (!target) return std::unexpected(std::move(target.error()));
  if (settings.ssl_verify != "true" && settings.ssl_verify != "false" && !settings.ssl_verify.empty() &&
      ::access(settings.ssl_verify.c_str(), R_OK) != 0) {
    return std::unexpected(bad_input(fmt::format("CA bundle '{}' (the remote's ssl_verify) cannot be read: {}",
                                                 settings.ssl_verify, std::strerror(errno)),
                                     "set ssl_verify to true, false, or the path of a PEM file"));
  }
  auto impl = std::make_unique<Impl>();
  impl->settings = settings;
  while (impl->settings.prefix.starts_with('/')) impl->settings.prefix.erase(0, 1);
  while (impl->settings.prefix.ends_with('/')) impl->settings.prefix.pop_back();
  if (settings.multipart_threshold != 0) impl->threshold = settings.multipart_threshold;
  if (settings.multipart_chunksize != 0) impl->chunksize = settings.multipart_chunksize;
  impl->context.remote =
      settings.remote_name.empty()
          ? fmt::format("s3://{}{}{}", settings.bucket, impl->settings.prefix.empty() ? "" : "/", impl->settings.prefix)
          : fmt::format("remote '{}'", settings.remote_name);
  impl->context.source = resolved->source;
  impl->context.endpoint = target->url();
  impl->context.bucket = settings.bucket;
  impl->engine = std::make_unique<Engine>(std::move(*target), std::move(*resolved), settings);
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

std::string Client::describe() const {
  return fmt::format("s3://{}{}{} (endpoint {}, credentials from {})", impl_->settings.bucket,
                     impl_->settings.prefix.empty() ? "" : "/", impl_->settings.prefix, impl_->context.endpoint,
                     impl_->context.source);
}

const std::string& Client::credential_source() const { return impl_->context.source; }
void Client::set_progress(Progress progress) { impl_->progress = std::move(progress); }
Stats Client::stats() const { return impl_->engine->stats(); }
bool Client::bucket_missing() const { return impl_->bucket_missing; }

Result<std::optional<ObjectInfo>> Client::head(std::string_view key) {
  auto results = head_many({std::string(key)});
  return std::move(results.front());
}

std::vector<Result<std::optional<ObjectInfo>>> Client::head_many(const std::vector<std::string>& keys) {
  std::vector<Result<std::optional<ObjectInfo>>> results(keys.size());
  std::size_t next = 0;
  std::size_t finished = 0;
  Impl& impl = *impl_;
  impl.engine->run([&]() -> std::unique_ptr<Call> {
    if (next == keys.size()) return nullptr;
    std::size_t index = next++;
    auto call = std::make_unique<Call>();
    call->method = "HEAD";
    call->key = impl.full_key(keys[index]);
    call->done = [&, index](Call& done) {
      if (done.status == 404 && done.curl_code == 0) {
        results[index] = std::nullopt;
      } else if (!succeeded(done)) {
        results[index] = std::unexpected(impl.failure(done, fmt::format("checking '{}'", impl.url_of(done.key))));
      } else {
        ObjectInfo info;
        info.key = keys[index];
        info.size = to_u64(done.response_headers["content-length"]);
        info.mtime = parse_time(done.response_headers["last-modified"], "%a, %d %b %Y %H:%M:%S");
        info.etag = unquote(done.response_headers["etag"]);
        results[index] = std::optional<ObjectInfo>(std::move(info));
      }
      impl.report(++finished, keys.size(), 0);
    };
    return call;
  });
  return results;
}

Result<std::vector<ObjectInfo>> Client::list(std::string_view key_prefix) {
  auto results = list_many({std::string(key_prefix)});
  return std::move(results.front());
}

std::vector<Result<std::vector<ObjectInfo>>> Client::list_many(const std::vector<std::string>& key_prefixes) {
  std::vector<Result<std::vector<ObjectInfo>>> results(key_prefixes.size());
  Impl& impl = *impl_;
  std::size_t next = 0;
  std::size_t finished = 0;
  // One page of listing `index` (continuing after `token`); its `done` asks for the next page.
  std::function<std::unique_ptr<Call>(std::size_t, std::string)> page = [&](std::size_t index, std::string token) {
    auto call = std::make_unique<Call>();
    call->method = "GET";
    call->query = {{"list-type", "2"}, {"prefix", impl.full_key(key_prefixes[index])}};
    if (impl.settings.prefix.empty()) call->query[1].second = key_prefixes[index];
    if (!token.empty()) call->query.emplace_back("continuation-token", token);
    call->done = [&, index](Call& done) {
      if (!results[index]) return;
      if (!succeeded(done)) {
        results[index] = std::unexpected(
            impl.failure(done, fmt::format("listing '{}'", impl.url_of(impl.full_key(key_prefixes[index])))));
        impl.report(++finished, key_prefixes.size(), 0);
        return;
      }
      for (std::string_view entry : xml_elements(done.response, "Contents")) {
        ObjectInfo info;
        info.key = impl.relative_key(xml_text(entry, "Key").value_or(""));
        info.size = to_u64(xml_text(entry, "Size").value_or("0"));
        info.mtime = parse_time(xml_text(entry, "LastModified").value_or(""), "%Y-%m-%dT%H:%M:%S");
        info.etag = unquote(xml_text(entry, "ETag").value_or(""));
        results[index]->push_back(std::move(info));
      }
      std::string more = xml_text(done.response, "NextContinuationToken").value_or("");
      if (xml_text(done.response, "IsTruncated") == std::optional<std::string>("true") && !more.empty()) {
        impl.engine->submit(page(index, more));
      } else {
        impl.report(++finished, key_prefixes.size(), 0);
      }
    };
    return call;
  };
  impl.engine->run([&]() -> std::unique_ptr<Call> {
    if (next == key_prefixes.size()) return nullptr;
    return page(next++, "");
  });
  return results;
}

std::vector<Result<void>> Client::upload(const std::vector<Upload>& items) {
  std::vector<Result<void>> results(items.size());
  Impl& impl = *impl_;
  SignalGuard guard;
  std::size_t next = 0;
  std::size_t finished = 0;
  std::uint64_t bytes = 0;
  struct Pending {  // multipart uploads begun that were not completed: aborted at the end
    std::string key;
    std::string upload_id;
  };
  std::vector<Pending> to_abort;

  struct Multipart {
    std::size_t index;
    std::string key;
    std::string upload_id;
    std::vector<std::string> etags;
    std::size_t parts_done = 0;
    std::optional<Error> error;
    std::shared_future<Result<void>> verified;  // Upload::verify, running beside the parts
  };

  auto item_done = [&](std::size_t index, Result<void> result, std::uint64_t size) {
    results[index] = std::move(result);
    if (results[index]) bytes += size;
    impl.report(++finished, items.size(), bytes);
  };

  auto abort_call = [&](const std::string& key, const std::string& upload_id) {
    auto call = std::make_unique<Call>();
    call->method = "DELETE";
    call->key = key;
    call->query = {{"uploadId", upload_id}};
    return call;
  };

  auto start_multipart = [&](std::size_t index, std::uint64_t size) {
    auto state = std::make_shared<Multipart>();
    state->index = index;
    if (items[index].verify) state->verified = std::async(std::launch::async, items[index].verify).share();
    state->key = impl.full_key(items[index].key);
    std::uint64_t part = part_size_for(size, impl.chunksize);
    std::size_t parts = static_cast<std::size_t>((size + part - 1) / part);
    state->etags.resize(parts);
    auto create = std::make_unique<Call>();
    create->method = "POST";
    create->key = state->key;
    create->query = {{"uploads", ""}};
    create->finish_on_stop = true;
    impl.object_headers(*create);
    create->done = [&, state, size, part, parts](Call& done) {
      std::string what = fmt::format("uploading '{}'", impl.url_of(state->key));
      if (!succeeded(done)) {
        item_done(state->index, std::unexpected(impl.failure(done, what)), 0);
        return;
      }
      state->upload_id = xml_text(done.response, "UploadId").value_or("");
      if (state->upload_id.empty()) {
        item_done(state->index,
                  std::unexpected(environment_error(fmt::format("{} failed: the server gave no upload id", what))), 0);
        return;
      }
      if (g_stop.load()) {
        to_abort.push_back({state->key, state->upload_id});
        item_done(state->index, std::unexpected(environment_error(fmt::format("interrupted while {}", what))), 0);
        return;
      }
      // Every part in flight at once (up to `jobs`); Complete or Abort when the last one is back.
      auto part_finished = [&, state, size, what](Call& done_part, std::size_t number) {
        if (succeeded(done_part)) {
          state->etags[number] = done_part.response_headers["etag"];
        } else if (!state->error) {
          state->error = impl.failure(done_part, what);
        }
        if (++state->parts_done < state->etags.size()) return;
        if (!state->error && state->verified.valid()) {
          // Usually long finished: hashing is faster than the network.
          if (const Result<void>& verified = state->verified.get(); !verified) state->error = verified.error();
        }
        if (state->error) {
          if (g_stop.load()) {
            to_abort.push_back({state->key, state->upload_id});
          } else {
            impl.engine->submit(abort_call(state->key, state->upload_id));
          }
          item_done(state->index, std::unexpected(*state->error), 0);
          return;
        }
        auto complete = std::make_unique<Call>();
        complete->method = "POST";
        complete->key = state->key;
        complete->query = {{"uploadId", state->upload_id}};
        complete->error_in_200_body = true;
        std::string body = "<CompleteMultipartUpload>";
        for (std::size_t i = 0; i < state->etags.size(); ++i) {
          body += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", i + 1,
                              xml_escape(state->etags[i]));
        }
        body += "</CompleteMultipartUpload>";
        complete->body = std::move(body);
        complete->done = [&, state, size, what](Call& done_complete) {
          if (succeeded(done_complete)) {
            item_done(state->index, {}, size);
            return;
          }
          // A retried Complete whose first answer was lost finds the upload already completed
          // (S3 and moto say NoSuchUpload): the object is there if a HEAD finds it at its full size.
          // Size suffices because mlops's keys name their content.
          if (done_complete.attempts > 1 && done_complete.curl_code == 0 && !done_complete.interrupted) {
            auto check = std::make_unique<Call>();
            check->method = "HEAD";
            check->key = state->key;
            Error lost = impl.failure(done_complete, what);
            check->done = [&, state, size, lost](Call& done_check) {
              if (succeeded(done_check) && to_u64(done_check.response_headers["content-length"]) == size) {
                item_done(state->index, {}, size);
              } else {
                item_done(state->index, std::unexpected(lost), 0);
              }
            };
            impl.engine->submit(std::move(check));
            return;
          }
          if (g_stop.load()) {
            to_abort.push_back({state->key, state->upload_id});
          } else {
            impl.engine->submit(abort_call(state->key, state->upload_id));
          }
          item_done(state->index, std::unexpected(impl.failure(done_complete, what)), 0);
        };
        impl.engine->submit(std::move(complete));
      };
      for (std::size_t number = 0; number < parts; ++number) {
        auto call = std::make_unique<Call>();
        call->method = "PUT";
        call->key = state->key;
        call->query = {{"partNumber", std::to_string(number + 1)}, {"uploadId", state->upload_id}};
        call->body_from_file = true;
        call->file = items[state->index].file;
        call->file_offset = number * part;
        call->file_length = std::min<std::uint64_t>(part, size - number * part);
        call->done = [part_finished, number](Call& done_part) { part_finished(done_part, number); };
        impl.engine->submit(std::move(call));
      }
    };
    return create;
  };

  impl.engine->run(
      [&]() -> std::unique_ptr<Call> {
        while (next < items.size()) {
          std::size_t index = next++;
          struct stat info {};
          if (::stat(items[index].file.c_str(), &info) != 0) {
            item_done(index, std::unexpected(system_error("read", items[index].file, errno)), 0);
            continue;
          }
          auto size = static_cast<std::uint64_t>(info.st_size);
          if (size >= impl.threshold && size > 0) return start_multipart(index, size);
          if (items[index].verify) {
            if (auto verified = items[index].verify(); !verified) {
              item_done(index, std::unexpected(verified.error()), 0);
              continue;
            }
          }
          auto call = std::make_unique<Call>();
          call->method = "PUT";
          call->key = impl.full_key(items[index].key);
          call->body_from_file = true;
          call->file = items[index].file;
          call->file_length = size;
          impl.object_headers(*call);
          call->done = [&, index, size](Call& done) {
            if (succeeded(done)) {
              item_done(index, {}, size);
            } else {
              item_done(index,
                        std::unexpected(impl.failure(done, fmt::format("uploading '{}'", impl.url_of(done.key)))), 0);
            }
          };
          return call;
        }
        return nullptr;
      },
      &g_stop);

  // Interrupted: abort what was begun, then the guard raises the signal again.
  if (!to_abort.empty()) {
    std::size_t aborting = 0;
    impl.engine->run([&]() -> std::unique_ptr<Call> {
      if (aborting == to_abort.size()) return nullptr;
      const Pending& pending = to_abort[aborting++];
      return abort_call(pending.key, pending.upload_id);
    });
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (results[i] && g_stop.load() && i >= next) {
      results[i] = std::unexpected(environment_error(fmt::format("interrupted before uploading '{}'", items[i].key)));
    }
  }
  return results;
}

std::vector<Result<void>> Client::download(const std::vector<Download>& items,
                                           const std::function<void(std::size_t)>& done) {
  std::vector<Result<void>> results(items.size());
  Impl& impl = *impl_;
  std::size_t next = 0;
  std::size_t finished = 0;
  std::uint64_t bytes = 0;

  struct Fetch {
    std::size_t index;
    int fd = -1;
    std::size_t parts_left = 1;
    std::uint64_t size = 0;
    bool planned = false;  // the ranges after the first have been submitted
    std::optional<Error> error;
  };
  auto close_item = [&](Fetch& fetch) {
    const Download& item = items[fetch.index];
    const bool ours = item.fd < 0;  // the caller's descriptor stays open, its file the caller's
    if (ours && fetch.fd >= 0 && ::close(fetch.fd) != 0 && !fetch.error) {
      fetch.error = system_error("write", item.dest, errno);
    }
    fetch.fd = -1;
    if (fetch.error) {
      std::error_code ignored;
      if (ours) std::filesystem::remove(item.dest, ignored);  // nothing half-written stays behind
      results[fetch.index] = std::unexpected(*fetch.error);
    } else {
      bytes += fetch.size;
    }
    impl.report(++finished, items.size(), bytes);
    if (!fetch.error && done) done(fetch.index);
  };
  // Every download starts as a plain GET of the whole object, which is all there is to most
  // objects: a ranged first request cost s3rver a tenth more time per small object (a pull of
  // 20,000 files of 4 KiB: 27.0 s against 24.3 s). When the headers say the object is bigger than
  // `first_part`, the first request keeps only its first `first_part` bytes (sink_limit) and the
  // rest is asked for at once, as a few big ranges (download_ranges) rather than many small ones.
  const std::uint64_t first_part = std::max<std::uint64_t>(impl.chunksize, 1);

  std::function<std::unique_ptr<Call>(std::shared_ptr<Fetch>, std::uint64_t, std::uint64_t, bool)> ranged;
  // `first` is a 200 whose headers are in: the object's size is its Content-Length.
  auto plan_rest = [&](const std::shared_ptr<Fetch>& fetch, Call& first) {
    if (fetch->planned) return;
    fetch->planned = true;
    auto length = first.response_headers.find("content-length");
    fetch->size = length == first.response_headers.end() ? first.body_bytes : to_u64(length->second);
    auto rest = download_ranges(fetch->size, first_part, impl.chunksize);
    if (rest.empty()) return;
    first.sink_limit = first_part;
    for (const auto& [from, to] : rest) {
      ++fetch->parts_left;
      impl.engine->submit(ranged(fetch, from, to, false));
    }
  };
  ranged = [&](std::shared_ptr<Fetch> fetch, std::uint64_t from, std::uint64_t to, bool first) {
    auto call = std::make_unique<Call>();
    call->method = "GET";
    call->key = impl.full_key(items[fetch->index].key);
    if (!first) call->headers = {{"Range", fmt::format("bytes={}-{}", from, to)}};
    call->sink_fd = fetch->fd;
    call->sink_offset = from;
    call->expect_partial = !first;
    if (first) {
      call->on_headers = [&, fetch](Call& call_with_headers) {
        if (call_with_headers.status == 200) plan_rest(fetch, call_with_headers);
      };
    }
    call->done = [&, fetch, first](Call& done) {
      std::string what = fmt::format("downloading '{}'", impl.url_of(done.key));
      if (!succeeded(done)) {
        if (!fetch->error) fetch->error = impl.failure(done, what);
      } else if (first && !fetch->planned) {
        fetch->planned = true;  // headers and body came in one go: the whole object is here
        fetch->size = done.body_bytes;
      }
      if (--fetch->parts_left == 0) close_item(*fetch);
    };
    return call;
  };

  impl.engine->run([&]() -> std::unique_ptr<Call> {
    while (next < items.size()) {
      std::size_t index = next++;
      auto fetch = std::make_shared<Fetch>();
      fetch->index = index;
      fetch->fd = items[index].fd >= 0
                      ? items[index].fd
                      : ::open(items[index].dest.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fetch->fd < 0) {
        results[index] = std::unexpected(system_error("write", items[index].dest, errno));
        impl.report(++finished, items.size(), bytes);
        continue;
      }
      return ranged(fetch, 0, 0, true);
    }
    return nullptr;
  });
  return results;
}

Result<void> Client::put_bytes(std::string_view key, std::string_view body) {
  Impl& impl = *impl_;
  Result<void> result;
  auto call = std::make_unique<Call>();
  call->method = "PUT";
  call->key = impl.full_key(key);
  call->body = std::string(body);
  impl.object_headers(*call);
  call->done = [&](Call& done) {
    if (!succeeded(done))
      result = std::unexpected(impl.failure(done, fmt::format("uploading '{}'", impl.url_of(done.key))));
  };
  impl.engine->submit(std::move(call));
  impl.engine->run();
  return result;
}

Result<Client::Conditional> Client::put_bytes_if_absent(std::string_view key, std::string_view body) {
  Impl& impl = *impl_;
  Result<Conditional> result = Conditional::written;
  auto call = std::make_unique<Call>();
  call->method = "PUT";
  call->key = impl.full_key(key);
  call->body = std::string(body);
  call->headers.emplace_back("If-None-Match", "*");
  impl.object_headers(*call);
  call->done = [&](Call& done) {
    if (succeeded(done)) return;
    std::string code = done.curl_code == 0 ? xml_text(done.response, "Code").value_or("") : "";
    if (done.curl_code == 0 && (done.status == 412 || code == "PreconditionFailed")) {
      result = Conditional::exists;
    } else if (done.curl_code == 0 && (done.status == 501 || code == "NotImplemented")) {
      result = Conditional::unsupported;
    } else {
      result = std::unexpected(impl.failure(done, fmt::format("uploading '{}'", impl.url_of(done.key))));
    }
  };
  impl.engine->submit(std::move(call));
  impl.engine->run();
  return result;
}

Result<std::optional<std::string>> Client::get_bytes(std::string_view key) {
  Impl& impl = *impl_;
  Result<std::optional<std::string>> result;
  auto call = std::make_unique<Call>();
  call->method = "GET";
  call->key = impl.full_key(key);
  call->done = [&](Call& done) {
    if (done.status == 404 && done.curl_code == 0 &&
        xml_text(done.response, "Code") != std::optional<std::string>("NoSuchBucket")) {
      result = std::optional<std::string>();
    } else if (!succeeded(done)) {
      result = std::unexpected(impl.failure(done, fmt::format("downloading '{}'", impl.url_of(done.key))));
    } else {
      result = std::optional<std::string>(std::move(done.response));
    }
  };
  impl.engine->submit(std::move(call));
  impl.engine->run();
  return result;
}

Result<void> Client::remove(const std::vector<std::string>& keys) {
  Impl& impl = *impl_;
  std::optional<Error> error;
  std::size_t next = 0;
  impl.engine->run([&]() -> std::unique_ptr<Call> {
    if (next >= keys.size() || error) return nullptr;
    std::size_t end = std::min(keys.size(), next + kDeleteBatch);
    std::string body = "<Delete><Quiet>true</Quiet>";
    for (std::size_t i = next; i < end; ++i) {
      body += fmt::format("<Object><Key>{}</Key></Object>", xml_escape(impl.full_key(keys[i])));
    }
    body += "</Delete>";
    next = end;
    auto call = std::make_unique<Call>();
    call->method = "POST";
    call->query = {{"delete", ""}};
    call->headers = {{"Content-MD5", md5_base64(body)}};
    call->body = std::move(body);
    call->done = [&](Call& done) {
      if (error) return;
      if (!succeeded(done)) {
        error = impl.failure(done, fmt::format("deleting objects from '{}'", impl.url_of(impl.settings.prefix)));
        return;
      }
      // Quiet mode lists only the keys that could not be deleted.
      auto failed = xml_elements(done.response, "Error");
      if (!failed.empty()) {
        std::string key = xml_text(failed.front(), "Key").value_or("");
        std::string code = xml_text(failed.front(), "Code").value_or("");
        std::string message = xml_text(failed.front(), "Message").value_or("");
        error = environment_error(fmt::format("cannot delete '{}' from {}: {} {} ({} of the batch failed)",
                                              impl.url_of(key), impl.context.remote, code, message, failed.size()),
                                  "check the user's s3:DeleteObject permission");
      }
    };
    return call;
  });
  if (error) return std::unexpected(*error);
  return {};
}

}  // namespace mlops::s3
