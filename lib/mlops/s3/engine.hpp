#pragma once
// The transfer engine under Client: one libcurl multi handle on the calling thread with up to
// `jobs` requests in flight over reused keep-alive connections. Every request is signed here
// (signer.hpp) just before each attempt, so a retry after a long backoff carries a fresh date.
// Failed attempts are retried with full-jitter exponential backoff on transport errors,
// 500/502/503/504, 429, SlowDown and RequestTimeout, waiting at least what Retry-After says.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "mlops/s3/client.hpp"
#include "mlops/s3/credentials.hpp"
#include "mlops/s3/signer.hpp"

namespace mlops::s3 {

// Where requests go: scheme and host of the endpoint, and how the bucket is addressed.
struct Target {
  std::string scheme;  // "http" or "https"
  std::string host;    // host[:port] of the endpoint
  std::string bucket;
  bool path_style = true;

  std::string request_host() const { return path_style ? host : bucket + "." + host; }
  // The decoded request path of `key` (a full key; empty for the bucket itself).
  std::string path(const std::string& key) const;
  std::string url() const;  // for messages: "http://127.0.0.1:9000"
};

// Parses endpoint_url (or the AWS endpoint of `region`) and chooses the addressing style.
Result<Target> make_target(const Settings& settings, const Resolved& resolved);

// One S3 request and, when it is done, its response.
struct Call {
  std::string method;  // GET, HEAD, PUT, POST, DELETE
  std::string key;     // full object key; empty: the bucket
  std::vector<Header> query;
  std::vector<Header> headers;  // further signed headers (Range, Content-MD5, x-amz-acl, ...)

  // The body: `body` (signed with its SHA-256), or bytes [file_offset, file_offset + file_length)
  // of `file`, streamed and sent as UNSIGNED-PAYLOAD.
  std::string body;
  std::filesystem::path file;
  std::uint64_t file_offset = 0;
  std::uint64_t file_length = 0;
  bool body_from_file = false;

  // A 2xx response's body goes to `sink_fd` at `sink_offset` when sink_fd >= 0, else to `response`.
  int sink_fd = -1;
  std::uint64_t sink_offset = 0;
  bool expect_partial = false;  // a ranged GET of a later part: a 200 (whole object) is an error
  // When > 0, the body past this many bytes is not wanted: the transfer ends there, and that is
  // success (a whole-object GET of a big object, whose rest comes as ranged parts in parallel).
  std::uint64_t sink_limit = 0;
  bool error_in_200_body = false;  // CompleteMultipartUpload: 200 with <Error> is a failure
  bool finish_on_stop = false;     // let it finish when interrupted (CreateMultipartUpload)

  // The outcome.
  long status = 0;
  std::string response;                                 // body of an error, or of a response without a sink
  std::map<std::string, std::string> response_headers;  // lower-case names
  int curl_code = 0;                                    // CURLcode; 0 when the transfer worked
  std::string transport_error;                          // libcurl's words when curl_code != 0
  bool interrupted = false;                             // stopped by SIGINT/SIGTERM before it finished
  unsigned attempts = 0;
  double elapsed = 0;  // seconds from the first attempt to the outcome, backoff included
  std::uint64_t body_bytes = 0;

  std::function<void(Call&)> done;  // runs on the engine's thread; may submit further calls
  // Runs on the engine's thread once the headers of a 2xx response are in, before its body (a
  // ranged GET learns the object's size and starts the other parts at once); may submit calls.
  std::function<void(Call&)> on_headers;

  // Engine state.
  std::chrono::steady_clock::time_point first_start{};
  std::uint64_t sent = 0;
  int file_fd = -1;
  bool sink_failed = false;
  bool unexpected_whole = false;
  bool stopped_at_limit = false;
  bool signed_raw_slash = false;
  bool headers_in = false;        // the header callback saw the end of a final response's headers
  bool headers_reported = false;  // on_headers has run for this attempt
  void* easy = nullptr;
  void* header_list = nullptr;
  SignOutput signed_request;
  std::string url;
};

bool succeeded(const Call& call);  // a 2xx without transport error or error body

class Engine {
 public:
  Engine(Target target, Resolved resolved, const Settings& settings);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Queues a call; calls submitted from a `done` run before those the feeder gives.
  void submit(std::unique_ptr<Call> call);
  // Runs until nothing is queued, in flight or waiting to be retried; `feeder` is asked for more
  // whenever a slot is free (nullptr: no more). With `stop` set (by a signal handler), calls in
  // flight are cut off (except finish_on_stop ones) and queued ones are finished as interrupted.
  void run(const std::function<std::unique_ptr<Call>()>& feeder = {}, const std::atomic<bool>* stop = nullptr);

  const Target& target() const { return target_; }
  const Resolved& resolved() const { return resolved_; }
  unsigned jobs() const { return jobs_; }
  Stats stats() const { return stats_; }

 private:
  bool start(Call& call);  // false: the call could not start (its file cannot be read) and is finished
  void finish(std::unique_ptr<Call> call);
  bool should_retry(Call& call) const;
  double backoff(const Call& call);
  void release(Call& call);

  Target target_;
  Resolved resolved_;
  unsigned jobs_;
  unsigned max_retries_;
  long connect_timeout_ms_;
  std::string ssl_verify_;
  std::string ca_bundle_;
  void* multi_ = nullptr;
  std::vector<void*> idle_;
  std::deque<std::unique_ptr<Call>> queue_;
  std::map<void*, std::unique_ptr<Call>> active_;
  std::multimap<std::chrono::steady_clock::time_point, std::unique_ptr<Call>> waiting_;
  std::mt19937_64 random_;
  bool raw_slash_in_query_ = false;  // see should_retry(): moto's signature checker
  Stats stats_;
};

}  // namespace mlops::s3
