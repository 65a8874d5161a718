// One curl multi loop on the calling thread: no locks, and libcurl is only ever called from the
// thread that loaded it. Easy handles are kept and reused, so the multi handle's connection cache
// keeps connections alive from one request to the next.
#include "mlops/s3/engine.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/s3/crypto.hpp"
#include "mlops/s3/xml.hpp"

namespace mlops::s3 {

namespace {

using Clock = std::chrono::steady_clock;

std::string engine_lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

bool is_ip_address(std::string_view host) {
  if (host.starts_with('[')) return true;  // IPv6 literal
  std::string_view name = host.substr(0, host.find(':'));
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

// Buckets with dots break TLS wildcard certificates under virtual-host addressing, and names with
// capitals or underscores are not valid host names: both need path style.
bool host_safe_bucket(std::string_view bucket) {
  return std::all_of(bucket.begin(), bucket.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* data) {
  auto& call = *static_cast<Call*>(data);
  std::size_t room = size * count;
  std::uint64_t length = call.body_from_file ? call.file_length : call.body.size();
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(room, length - call.sent));
  if (n == 0) return 0;
  if (call.body_from_file) {
    ssize_t got = ::pread(call.file_fd, buffer, n, static_cast<off_t>(call.file_offset + call.sent));
    if (got <= 0) return CURL_READFUNC_ABORT;  // the file shrank or cannot be read
    n = static_cast<std::size_t>(got);
  } else {
    std::copy_n(call.body.data() + call.sent, n, buffer);
  }
  call.sent += n;
  return n;
}

int on_seek(void* data, curl_off_t offset, int origin) {
  auto& call = *static_cast<Call*>(data);
  if (origin != SEEK_SET || offset < 0) return CURL_SEEKFUNC_CANTSEEK;
  call.sent = static_cast<std::uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

std::size_t on_write(char* buffer, std::size_t size, std::size_t count, void* data) {
  auto& call = *static_cast<Call*>(data);
  std::size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(static_cast<CURL*>(call.easy), CURLINFO_RESPONSE_CODE, &status);
  if (call.sink_fd >= 0 && status >= 200 && status < 300) {
    if (status == 200 && call.expect_partial) {
      call.unexpected_whole = true;
      return 0;  // the server ignored Range: writing the whole object at a part's offset would corrupt it
    }
    if (call.sink_limit > 0 && call.body_bytes + n > call.sink_limit) {
      // Keep what is wanted, then end the transfer (returning less than was given ends it).
      std::size_t keep =
          call.sink_limit > call.body_bytes ? static_cast<std::size_t>(call.sink_limit - call.body_bytes) : 0;
      call.stopped_at_limit = true;
      if (keep > 0 && on_write(buffer, 1, keep, data) != keep) return 0;
      return keep;
    }
    std::size_t written = 0;
    while (written < n) {
      ssize_t put = ::pwrite(call.sink_fd, buffer + written, n - written,
                             static_cast<off_t>(call.sink_offset + call.body_bytes + written));
      if (put < 0) {
        if (errno == EINTR) continue;
        call.sink_failed = true;
        call.transport_error = fmt::format("cannot write the download: {}", std::strerror(errno));
        return 0;
      }
      written += static_cast<std::size_t>(put);
    }
  } else {
    call.response.append(buffer, n);
  }
  call.body_bytes += n;
  return n;
}

std::size_t on_header(char* buffer, std::size_t size, std::size_t count, void* data) {
  auto& call = *static_cast<Call*>(data);
  std::string_view line(buffer, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    call.response_headers.clear();  // a new response (after 100 Continue, say)
  } else if (line.empty()) {
    long status = 0;
    curl_easy_getinfo(static_cast<CURL*>(call.easy), CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200) call.headers_in = true;  // not the end of a 100 Continue
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    call.response_headers[engine_lower(line.substr(0, colon))] = std::string(value);
  }
  return size * count;
}

// No connection was made: nothing listens, the name does not resolve, or the connect timed out.
bool connect_failure(const Call& call) {
  auto code = static_cast<CURLcode>(call.curl_code);
  if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) return true;
  if (code != CURLE_OPERATION_TIMEDOUT || call.easy == nullptr) return false;
  curl_off_t connected = 0;  // microseconds until the connection was made; 0 when it never was
  curl_easy_getinfo(static_cast<CURL*>(call.easy), CURLINFO_CONNECT_TIME_T, &connected);
  return connected == 0;
}

bool retryable_transport(int code) {
  switch (static_cast<CURLcode>(code)) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string Target::path(const std::string& key) const {
  if (path_style) return key.empty() ? "/" + bucket : "/" + bucket + "/" + key;
  return "/" + key;
}

std::string Target::url() const { return fmt::format("{}://{}", scheme, request_host()); }

Result<Target> make_target(const Settings& settings, const Resolved& resolved) {
  Target target;
  target.bucket = settings.bucket;
  std::string endpoint = resolved.endpoint_url;
  bool aws = endpoint.empty();
  if (aws) endpoint = fmt::format("https://s3.{}.amazonaws.com", resolved.region);
  auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos) {
    return std::unexpected(
        bad_input(fmt::format("endpoint '{}' (from {}) is not a URL", endpoint, resolved.endpoint_source),
                  "give it as http://HOST[:PORT] or https://HOST[:PORT]"));
  }
  target.scheme = engine_lower(endpoint.substr(0, scheme_end));
  if (target.scheme != "http" && target.scheme != "https") {
    return std::unexpected(
        bad_input(fmt::format("endpoint '{}' (from {}) is neither http nor https", endpoint, resolved.endpoint_source),
                  "give it as http://HOST[:PORT] or https://HOST[:PORT]"));
  }
  std::string rest = endpoint.substr(scheme_end + 3);
  target.host = rest.substr(0, rest.find('/'));
  if (target.host.empty()) {
    return std::unexpected(
        bad_input(fmt::format("endpoint '{}' (from {}) has no host", endpoint, resolved.endpoint_source),
                  "give it as http://HOST[:PORT] or https://HOST[:PORT]"));
  }
  switch (settings.addressing) {
    case Addressing::path:
      target.path_style = true;
      break;
    case Addressing::virtual_host:
      target.path_style = false;
      break;
    case Addressing::automatic:
      target.path_style = !(aws || target.host.ends_with(".amazonaws.com")) || is_ip_address(target.host) ||
                          !host_safe_bucket(target.bucket);
      break;
  }
  return target;
}

bool succeeded(const Call& call) {
  if (call.curl_code != 0 || call.interrupted || call.status < 200 || call.status >= 300) return false;
  return !(call.error_in_200_body && call.response.find("<Error>") != std::string::npos);
}

Engine::Engine(Target target, Resolved resolved, const Settings& settings)
    : target_(std::move(target)),
      resolved_(std::move(resolved)),
      jobs_(settings.jobs == 0 ? kDefaultJobs : settings.jobs),
      max_retries_(settings.max_retries < 0 ? kDefaultMaxRetries : static_cast<unsigned>(settings.max_retries)),
      connect_timeout_ms_(
          static_cast<long>(1000 * (settings.connect_timeout > 0 ? settings.connect_timeout : kDefaultConnectTimeout))),
      ssl_verify_(settings.ssl_verify.empty() ? "true" : settings.ssl_verify),
      random_(std::random_device{}()) {
  // The AWS CLI's variable for a CA bundle; an explicit ssl_verify path wins.
  if (ssl_verify_ == "true") ca_bundle_ = process_environment("AWS_CA_BUNDLE").value_or("");
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(jobs_));
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(jobs_));
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(jobs_));
}

Engine::~Engine() {
  for (auto& [easy, call] : active_) {
    curl_multi_remove_handle(multi_, easy);
    release(*call);
    curl_easy_cleanup(static_cast<CURL*>(easy));
  }
  for (void* easy : idle_) curl_easy_cleanup(static_cast<CURL*>(easy));
  curl_multi_cleanup(multi_);
}

void Engine::submit(std::unique_ptr<Call> call) { queue_.push_back(std::move(call)); }

void Engine::release(Call& call) {
  if (call.file_fd >= 0) ::close(call.file_fd);
  call.file_fd = -1;
  if (call.header_list != nullptr) curl_slist_free_all(static_cast<curl_slist*>(call.header_list));
  call.header_list = nullptr;
}

bool Engine::start(Call& call) {
  if (call.attempts == 0) call.first_start = Clock::now();
  ++call.attempts;
  ++stats_.requests;
  call.status = 0;
  call.response.clear();
  call.response_headers.clear();
  call.curl_code = 0;
  call.transport_error.clear();
  call.sent = 0;
  call.body_bytes = 0;
  call.sink_failed = false;
  call.unexpected_whole = false;
  call.stopped_at_limit = false;
  call.headers_in = false;
  if (call.body_from_file) {
    call.file_fd = ::open(call.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (call.file_fd < 0) {
      call.curl_code = CURLE_READ_ERROR;
      call.transport_error = fmt::format("cannot read '{}': {}", call.file.string(), std::strerror(errno));
      return false;
    }
  }

  SignInput input;
  input.method = call.method;
  input.host = target_.request_host();
  input.path = target_.path(call.key);
  input.query = call.query;
  input.headers = call.headers;
  input.payload_hash = call.body_from_file ? std::string(kUnsignedPayload) : sha256_hex(call.body);
  input.raw_slash_in_query = raw_slash_in_query_;
  call.signed_raw_slash = raw_slash_in_query_;
  call.signed_request = sign(input, resolved_.credentials, resolved_.region, amz_date(std::time(nullptr)));
  call.url = fmt::format("{}://{}{}", target_.scheme, target_.request_host(), call.signed_request.target);

  CURL* easy = nullptr;
  if (idle_.empty()) {
    easy = curl_easy_init();
  } else {
    easy = static_cast<CURL*>(idle_.back());
    idle_.pop_back();
    curl_easy_reset(easy);
  }
  call.easy = easy;
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : call.signed_request.headers) {
    headers = curl_slist_append(headers, fmt::format("{}: {}", name, value).c_str());
  }
  // No "Expect: 100-continue" round trip before each upload, and no form content type on POSTs.
  headers = curl_slist_append(headers, "Expect:");
  if (call.method == "POST") headers = curl_slist_append(headers, "Content-Type: application/xml");
  call.header_list = headers;

  curl_easy_setopt(easy, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &call);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms_);
  // A server that stops sending for a minute is a failed attempt (retried), not a hang.
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &call);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &call);
  if (ssl_verify_ == "false") {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (ssl_verify_ != "true") {
    curl_easy_setopt(easy, CURLOPT_CAINFO, ssl_verify_.c_str());
  } else if (!ca_bundle_.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, ca_bundle_.c_str());
  }

  bool has_body = call.body_from_file || !call.body.empty();
  if (call.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (call.method == "PUT") {
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, 512L * 1024);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE,
                     static_cast<curl_off_t>(call.body_from_file ? call.file_length : call.body.size()));
  } else if (call.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
  } else if (call.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  }
  if (has_body || call.method == "PUT" || call.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(easy, CURLOPT_READDATA, &call);
    curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(easy, CURLOPT_SEEKDATA, &call);
  }
  curl_multi_add_handle(multi_, easy);
  return true;
}

bool Engine::should_retry(Call& call) const {
  if (call.interrupted || call.sink_failed || call.unexpected_whole) return false;
  if (call.curl_code != 0) {
    if (connect_failure(call)) return call.attempts <= static_cast<unsigned>(kConnectRetries);
    return retryable_transport(call.curl_code);
  }
  long status = call.status;
  if (status == 500 || status == 502 || status == 503 || status == 504 || status == 429) return true;
  std::optional<std::string> code = xml_text(call.response, "Code");
  // ConditionalRequestConflict (409): another conditional write of the key was in progress; S3
  // asks for a retry, which then finds the key written (412) or not.
  if (code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" || code == "ServiceUnavailable" ||
      code == "ConditionalRequestConflict") {
    return true;
  }
  return false;
}

double Engine::backoff(const Call& call) {
  // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in
  // [0, min(cap, base * 2^attempt)], so many clients that failed together do not retry together.
  double ceiling = std::min(20.0, 0.25 * std::pow(2.0, static_cast<double>(call.attempts - 1)));
  double delay = std::uniform_real_distribution<double>(0.0, ceiling)(random_);
  if (auto it = call.response_headers.find("retry-after"); it != call.response_headers.end()) {
    double seconds = 0;
    auto [end, error] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), seconds);
    if (error == std::errc()) delay = std::max(delay, std::min(seconds, 60.0));
  }
  return delay;
}

void Engine::finish(std::unique_ptr<Call> call) {
  call->elapsed = std::chrono::duration<double>(Clock::now() - call->first_start).count();
  if (call->done) call->done(*call);
}

void Engine::run(const std::function<std::unique_ptr<Call>()>& feeder, const std::atomic<bool>* stop) {
  bool fed_out = !feeder;
  bool stopping = false;
  for (;;) {
    if (stop != nullptr && stop->load() && !stopping) {
      stopping = true;
      // Cut off every transfer in flight but the ones that must finish (an upload id that must be
      // learnt to be aborted); everything queued or waiting ends as interrupted.
      for (auto it = active_.begin(); it != active_.end();) {
        if (it->second->finish_on_stop) {
          ++it;
          continue;
        }
        curl_multi_remove_handle(multi_, it->first);
        idle_.push_back(it->first);
        auto call = std::move(it->second);
        it = active_.erase(it);
        release(*call);
        call->interrupted = true;
        finish(std::move(call));
      }
    }
    if (stopping) {
      while (!queue_.empty() || !waiting_.empty()) {
        std::unique_ptr<Call> call;
        if (!queue_.empty()) {
          call = std::move(queue_.front());
          queue_.pop_front();
        } else {
          call = std::move(waiting_.begin()->second);
          waiting_.erase(waiting_.begin());
        }
        call->interrupted = true;
        finish(std::move(call));
      }
      fed_out = true;
    }

    auto now = Clock::now();
    while (!waiting_.empty() && waiting_.begin()->first <= now) {
      queue_.push_front(std::move(waiting_.begin()->second));
      waiting_.erase(waiting_.begin());
    }
    while (active_.size() < jobs_ && !stopping) {
      std::unique_ptr<Call> call;
      if (!queue_.empty()) {
        call = std::move(queue_.front());
        queue_.pop_front();
      } else if (!fed_out) {
        call = feeder();
        if (!call) {
          fed_out = true;
          break;
        }
      } else {
        break;
      }
      if (!start(*call)) {
        finish(std::move(call));
        continue;
      }
      void* easy = call->easy;
      active_.emplace(easy, std::move(call));
    }
    if (active_.empty() && queue_.empty() && waiting_.empty() && fed_out) break;

    int running = 0;
    curl_multi_perform(multi_, &running);
    for (auto& [easy, active] : active_) {
      Call& call = *active;
      if (!call.on_headers || !call.headers_in || call.headers_reported) continue;
      if (call.status == 0) curl_easy_getinfo(static_cast<CURL*>(easy), CURLINFO_RESPONSE_CODE, &call.status);
      if (call.status < 200 || call.status >= 300) continue;
      call.headers_reported = true;
      call.on_headers(call);
    }
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      CURLcode code = message->data.result;
      curl_multi_remove_handle(multi_, easy);
      auto node = active_.extract(easy);
      idle_.push_back(easy);
      auto call = std::move(node.mapped());
      call->curl_code = code;
      if (code != CURLE_OK && call->transport_error.empty()) call->transport_error = curl_easy_strerror(code);
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &call->status);
      curl_off_t uploaded = 0;
      curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
      stats_.bytes_up += static_cast<std::uint64_t>(uploaded);
      stats_.bytes_down += call->body_bytes;
      release(*call);
      // A transfer ended on purpose at its sink_limit (the rest is coming as ranged parts).
      if (code == CURLE_WRITE_ERROR && call->stopped_at_limit) {
        call->curl_code = 0;
        call->transport_error.clear();
      }
      // moto's checker computes the canonical query with '/' left as is (real S3 wants %2F): when a
      // request with '/' in a query value is refused for its signature, sign the other way from now on
      // (and again each call that was in flight when the first refusal came back).
      if (call->status == 403 && !call->signed_raw_slash &&
          xml_text(call->response, "Code") == std::optional<std::string>("SignatureDoesNotMatch") &&
          std::any_of(call->query.begin(), call->query.end(),
                      [](const Header& q) { return q.second.find('/') != std::string::npos; })) {
        raw_slash_in_query_ = true;
        queue_.push_front(std::move(call));
        continue;
      }
      bool stopped = stop != nullptr && stop->load();
      if (!stopped && !succeeded(*call) && call->attempts <= max_retries_ && should_retry(*call)) {
        ++stats_.retries;
        auto at =
            Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(backoff(*call)));
        waiting_.emplace(at, std::move(call));
        continue;
      }
      finish(std::move(call));
    }

    int timeout_ms = 100;
    if (active_.empty() && !waiting_.empty()) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(waiting_.begin()->first - Clock::now());
      timeout_ms = static_cast<int>(std::clamp<long long>(wait.count(), 0, 100));
    }
    if (!active_.empty() || timeout_ms > 0) curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
  }
}

}  // namespace mlops::s3
