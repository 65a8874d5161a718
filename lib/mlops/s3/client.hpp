#pragma once
// A small client for S3-compatible object stores (AWS S3, MinIO, Ceph RGW, R2, GCS interop),
// shaped for what mlops does with a remote: many small content-addressed objects moved in batches,
// a few big ones. Every call is signed with SigV4 (signer.hpp) by one request builder; a batch runs
// up to Settings::jobs requests at once over reused keep-alive connections (one curl multi loop),
// and each request is retried with full-jitter backoff on transport errors, 500/502/503/504 and
// SlowDown (honouring Retry-After). libcurl and OpenSSL are loaded on first use, so commands that
// never touch S3 do not pay for them at start.
//
// Errors follow DESIGN.md: a missing bucket, rejected credentials, an expired token and an
// unreachable endpoint are Exit::environment (3), with the credential source (never a secret) and
// a hint in the message.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::s3 {

enum class Addressing {
  automatic,     // virtual-host style for AWS endpoints, path style for custom endpoints and IPs
  path,          // https://endpoint/bucket/key
  virtual_host,  // https://bucket.endpoint/key
};

// What a remote's config and the environment say. Empty strings mean "not set": the AWS CLI's
// environment variables and ~/.aws files fill them in (credentials.hpp), then the defaults.
struct Settings {
  std::string bucket;        // from s3://BUCKET/PREFIX
  std::string prefix;        // no leading or trailing '/'; may be empty
  std::string endpoint_url;  // e.g. http://127.0.0.1:9000; empty: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, AWS
  std::string region;        // empty: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1
  std::string profile;       // empty: AWS_PROFILE, then "default"
  Addressing addressing = Addressing::automatic;
  std::string ssl_verify = "true";        // "true", "false", or the path of a CA bundle
  unsigned jobs = 0;                      // requests in flight; 0: kDefaultJobs (transfers wait on latency, not CPU)
  std::uint64_t multipart_threshold = 0;  // 0: kDefaultMultipartThreshold
  std::uint64_t multipart_chunksize = 0;  // 0: kDefaultMultipartChunksize (raised so any size fits 10,000 parts)
  int max_retries = -1;                   // retries after the first attempt; negative: kDefaultMaxRetries
  double connect_timeout = 0;             // seconds; 0: kDefaultConnectTimeout
  std::string sse;                        // x-amz-server-side-encryption: "AES256" or "aws:kms"; empty: none
  std::string sse_kms_key_id;             // x-amz-server-side-encryption-aws-kms-key-id
  std::string acl;                        // x-amz-acl (canned ACL), e.g. "bucket-owner-full-control"
  std::string remote_name;                // only for messages: "remote 'NAME'"
  // The remote's own credentials (from `.mlops/config.local.yaml` or MLOPS_REMOTE_<NAME>_*), used
  // before any AWS source when both the key id and the secret are set; `credentials_source` says
  // where they came from, for messages.
  std::string access_key_id, secret_access_key, session_token, credentials_source;
};

inline constexpr unsigned kDefaultJobs = 32;
inline constexpr std::uint64_t kDefaultMultipartThreshold = 64ull << 20;
inline constexpr std::uint64_t kDefaultMultipartChunksize = 16ull << 20;
inline constexpr int kDefaultMaxRetries = 5;
// An endpoint that refuses connections, does not resolve or does not answer the connection is
// down, not busy: it gets at most kConnectRetries quick retries (0.75 s of backoff at most), so
// a wrong endpoint_url or a stopped server is exit 3 within a second or two. Failures of a
// connection that was made (503, SlowDown, a reset in the middle) get all of max_retries.
inline constexpr int kConnectRetries = 2;
// Seconds to make a connection (TCP and TLS): S3 and a LAN server answer in well under one.
inline constexpr double kDefaultConnectTimeout = 3;

// The part size used for an object of `size` bytes: `chunksize` raised (to a whole MiB) until the
// object fits in S3's 10,000 parts, and at least S3's 5 MiB minimum.
std::uint64_t part_size_for(std::uint64_t size, std::uint64_t chunksize);

// A big download goes as a few big ranged GETs in parallel, not many small ones: each request
// costs the server a seek or more (moto reads the whole object for every range, and S3 bills
// per request), while a handful of streams already fills a link.
inline constexpr unsigned kDownloadStreams = 4;
// The inclusive byte ranges of an object of `size` bytes after its first `first_part` bytes:
// kDownloadStreams ranges, each a whole number of MiB and at least `chunksize`.
std::vector<std::pair<std::uint64_t, std::uint64_t>> download_ranges(std::uint64_t size, std::uint64_t first_part,
                                                                     std::uint64_t chunksize);

struct ObjectInfo {
  std::string key;  // relative to Settings::prefix
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // last modification, seconds since the epoch
  std::string etag;        // without quotes
};

// Counters since open(), for --json reports and the benchmark.
struct Stats {
  std::uint64_t requests = 0;  // HTTP requests sent, retries included
  std::uint64_t retries = 0;
  std::uint64_t bytes_up = 0;    // body bytes sent
  std::uint64_t bytes_down = 0;  // body bytes received
};

// Called from the thread that called a batch function, after each item of the batch completes
// (`done` of `total` items, body bytes moved so far in this batch).
using Progress = std::function<void(std::size_t done, std::size_t total, std::uint64_t bytes)>;

class Client {
 public:
  // Resolves endpoint, region and credentials (environment, then profile files; see
  // credentials.hpp). No request is sent. Missing credentials: exit 3 naming what was tried;
  // libcurl or OpenSSL not installed: exit 3 naming the package.
  static Result<std::unique_ptr<Client>> open(const Settings& settings);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // "s3://bucket/prefix (endpoint http://..., credentials from environment)", for messages.
  std::string describe() const;
  // Where the credentials came from: "environment", "profile 'x' in /home/u/.aws/credentials".
  const std::string& credential_source() const;

  // Keys below are relative to the prefix ("ab/cdef..." becomes "PREFIX/ab/cdef...").

  // HEAD: 404 gives nullopt; 403 is an error ("cannot tell whether ... exists; check permissions"),
  // never "missing".
  Result<std::optional<ObjectInfo>> head(std::string_view key);
  // Many HEADs in flight at once; one result per key, in order.
  std::vector<Result<std::optional<ObjectInfo>>> head_many(const std::vector<std::string>& keys);

  // ListObjectsV2 of every key starting with `key_prefix` (all pages, continuation tokens).
  Result<std::vector<ObjectInfo>> list(std::string_view key_prefix);
  // Several listings in flight at once (e.g. the 256 "ab/" folders); one result per prefix, in order.
  std::vector<Result<std::vector<ObjectInfo>>> list_many(const std::vector<std::string>& key_prefixes);

  struct Upload {
    std::string key;
    std::filesystem::path file;  // streamed from disk, never held in memory
    // Optional: a check of the file (its hash) that must pass before the object may appear. It
    // runs just before a single PUT, and, for a multipart upload, on a thread of its own while the
    // parts go up (Complete waits for it; a failure aborts the upload), so that hashing a big
    // file does not delay its transfer.
    std::function<Result<void>()> verify;
  };
  // PUT for files below the multipart threshold; above it CreateMultipartUpload, the parts in
  // parallel, Complete - and AbortMultipartUpload on any failure or on SIGINT/SIGTERM (after which
  // the signal is raised again, so Ctrl-C still ends the program). One result per item, in order.
  std::vector<Result<void>> upload(const std::vector<Upload>& items);

  struct Download {
    std::string key;
    std::filesystem::path dest;  // created or truncated and written exactly; the caller verifies and renames
    // When >= 0: an empty file the caller has open for writing, written through this descriptor
    // (and left open) instead of `dest` being created; `dest` then only names it in messages.
    int fd = -1;
  };
  // GET; objects above the multipart threshold are fetched as ranged parts in parallel into `dest`.
  // A missing object is exit 3 ("not on the remote"). One result per item, in order. `done`, when
  // given, is called with an item's index as soon as that item is complete, while the others are
  // still in flight, so that the caller's work on it (verifying, publishing) overlaps the
  // transfers; it runs on the transfer loop's thread and must not call this client.
  std::vector<Result<void>> download(const std::vector<Download>& items,
                                     const std::function<void(std::size_t)>& done = {});

  // Small documents (run records, indexes): PUT from memory, and GET into memory (404: nullopt).
  Result<void> put_bytes(std::string_view key, std::string_view body);
  // A PUT that creates `key` only if nothing is there (S3's conditional write, `If-None-Match: *`),
  // so that of two writers of one key exactly one wins. `exists`: the server refused it because the
  // key is there (412). `unsupported`: the server answered 501 / NotImplemented, and nothing was
  // written. A server that ignores the header (s3rver) writes, and says `written`.
  enum class Conditional { written, exists, unsupported };
  Result<Conditional> put_bytes_if_absent(std::string_view key, std::string_view body);
  Result<std::optional<std::string>> get_bytes(std::string_view key);

  // DeleteObjects, 1000 keys per request; a key that is not there is not an error.
  Result<void> remove(const std::vector<std::string>& keys);

  void set_progress(Progress progress);
  Stats stats() const;
  // Whether any answer so far said the bucket does not exist: whatever was known to be in it is
  // gone, even if the bucket is created again.
  bool bucket_missing() const;

  struct Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlops::s3
