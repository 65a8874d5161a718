#include "mlops/s3/errors.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "mlops/s3/xml.hpp"

namespace mlops::s3 {

namespace {

std::string attempts_note(const Call& call) {
  if (call.attempts <= 1) return {};
  return fmt::format(" (gave up after {} attempts over {:.1f} s)", call.attempts, call.elapsed);
}

}  // namespace

Error describe_failure(const Call& call, std::string_view what, const FailureContext& context) {
  if (call.interrupted) return environment_error(fmt::format("interrupted while {}", what));
  if (call.unexpected_whole) {
    return environment_error(fmt::format("{} failed: {} ignored the byte range asked for", what, context.endpoint),
                             "set the remote's multipart_chunksize above the object's size to fetch it whole");
  }
  if (call.curl_code != 0) {
    auto code = static_cast<CURLcode>(call.curl_code);
    if (code == CURLE_READ_ERROR || code == CURLE_WRITE_ERROR || code == CURLE_ABORTED_BY_CALLBACK) {
      return environment_error(fmt::format("{} failed: {}", what, call.transport_error));
    }
    if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE) {
      return environment_error(
          fmt::format("cannot trust the TLS certificate of {} for {}: {}", context.endpoint, context.remote,
                      call.transport_error),
          "set the remote's ssl_verify to the path of the CA bundle that signed it (or to false for a test server)");
    }
    std::string hint =
        "check that the server is up and the endpoint_url and region are right; max_retries and connect_timeout "
        "set how long mlops tries";
    if (context.endpoint.starts_with("https://") &&
        (code == CURLE_OPERATION_TIMEDOUT || code == CURLE_SSL_CONNECT_ERROR || code == CURLE_RECV_ERROR)) {
      hint += "; a server that speaks plain HTTP needs an endpoint_url that starts with http://";
    }
    if (code == CURLE_COULDNT_RESOLVE_HOST && context.endpoint.find("amazonaws.com") != std::string::npos) {
      hint += "; for a team server, set endpoint_url on this machine too (another clone may have set it with --local)";
    }
    return environment_error(fmt::format("cannot reach {} for {}: {}{}", context.endpoint, context.remote,
                                         call.transport_error, attempts_note(call)),
                             hint);
  }

  std::string code = xml_text(call.response, "Code").value_or("");
  std::string message = xml_text(call.response, "Message").value_or("");
  long status = call.status;
  if (code == "NoSuchBucket") {
    return environment_error(
        fmt::format("bucket '{}' does not exist at {} ({})", context.bucket, context.endpoint, context.remote),
        fmt::format("create it (e.g. 'aws s3 mb s3://{}') or correct the remote's URL", context.bucket));
  }
  if (code == "InvalidAccessKeyId") {
    return environment_error(
        fmt::format("{} does not know the access key from {} ({})", context.endpoint, context.source, context.remote),
        "check the access key id there, or the profile and endpoint the remote uses");
  }
  if (code == "SignatureDoesNotMatch") {
    return environment_error(fmt::format("{} rejected the signature made with the secret key from {} ({})",
                                         context.endpoint, context.source, context.remote),
                             "check the secret access key there (it must belong to the access key id)");
  }
  if (code == "ExpiredToken" || code == "TokenRefreshRequired" || code == "RequestExpired") {
    return environment_error(
        fmt::format("the session token from {} has expired ({})", context.source, context.remote),
        "refresh your credentials (a new AWS_SESSION_TOKEN, 'aws sso login', ...) and run the command again");
  }
  if (code == "InvalidToken") {
    return environment_error(
        fmt::format("{} rejected the session token from {} ({})", context.endpoint, context.source, context.remote),
        "refresh your credentials and run the command again");
  }
  if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" ||
      code == "IllegalLocationConstraintException" || (status == 301 && code.empty())) {
    std::string region = xml_text(call.response, "Region").value_or("");
    if (auto it = call.response_headers.find("x-amz-bucket-region");
        region.empty() && it != call.response_headers.end()) {
      region = it->second;
    }
    return environment_error(fmt::format("bucket '{}' is not served by {} with this region ({})", context.bucket,
                                         context.endpoint, context.remote),
                             region.empty()
                                 ? std::string("set the remote's region to the bucket's region")
                                 : fmt::format("the bucket is in '{}': set the remote's region to it", region));
  }
  if (code == "AccessDenied" || code == "AllAccessDisabled" || code == "AccountProblem") {
    return environment_error(
        fmt::format("access denied {} with the credentials from {} ({})", what, context.source, context.remote),
        "check the bucket's policy and the user's permissions (s3:ListBucket, s3:GetObject, s3:PutObject, "
        "s3:DeleteObject, s3:AbortMultipartUpload)");
  }
  if (status == 403 && code.empty()) {  // a HEAD has no body to say why
    return environment_error(
        fmt::format("{} answered 403 Forbidden {} with the credentials from {} ({}): cannot tell whether it exists",
                    context.endpoint, what, context.source, context.remote),
        "check the credentials and their permissions (s3:GetObject and s3:ListBucket on the bucket)");
  }
  if (status == 404 && code.empty() && call.method != "HEAD") {
    // S3 explains every 404 but a HEAD's in an XML body: an empty one is another kind of server
    // (a web server, a proxy, the console port of a MinIO) behind endpoint_url.
    return environment_error(
        fmt::format("{} failed: {} answered 404 without an S3 error ({})", what, context.endpoint, context.remote),
        "is the remote's endpoint_url an S3 service (the API's port, not a console's)? check it with 'mlops remote "
        "list'");
  }
  if (code == "NoSuchKey" || (status == 404 && code.empty())) {
    return environment_error(fmt::format("{} failed: the object is not on {}", what, context.remote),
                             "push it from a machine that has it ('mlops data push')");
  }
  std::string said = code.empty() ? fmt::format("HTTP {}", status) : fmt::format("HTTP {} {}", status, code);
  if (!message.empty()) said += ": " + message;
  return environment_error(
      fmt::format("{} failed at {} ({}): {}{}", what, context.endpoint, context.remote, said, attempts_note(call)),
      status >= 500 ? "the server is failing; run the command again later"
                    : "check the remote's settings ('mlops remote list')");
}

}  // namespace mlops::s3
