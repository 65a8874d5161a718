#pragma once
// What a failed S3 request means for the user: S3's error codes and libcurl's transport errors
// turned into mlops errors (DESIGN.md: lower-case message with the subject in quotes, a hint,
// exit 3 for everything the environment decides). The credential source is named, never a key.
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/s3/engine.hpp"

namespace mlops::s3 {

struct FailureContext {
  std::string remote;    // "remote 'store'" or "s3://bucket/prefix"
  std::string source;    // where the credentials came from
  std::string endpoint;  // "http://127.0.0.1:9000"
  std::string bucket;
};

// `what`: the request in words, e.g. "uploading 's3://bucket/ab/cdef'".
Error describe_failure(const Call& call, std::string_view what, const FailureContext& context);

}  // namespace mlops::s3
