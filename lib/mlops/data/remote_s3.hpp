#pragma once
// A remote in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, R2, GCS interoperability):
// objects at `PREFIX/ab/cdef…`, the same layout as the cache, so any S3 tool can mirror it;
// documents at `PREFIX/<key>`. Transfers go through s3::Client's batches (many requests in
// flight). What the remote is known to hold is remembered in `.mlops/remotes.db`
// (remote_known.hpp), so a push asks only about objects it has not seen there before.
#include <map>
#include <memory>

#include "mlops/core/config.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/remote.hpp"

namespace mlops::data {

// Opens the S3 remote `config` describes, with `settings` (effective_settings) in effect. No
// request is sent. A malformed setting is exit 2 naming where it came from; missing credentials
// exit 3 naming what was tried. Verify::yes ignores what this machine remembers the remote has,
// asks again, and corrects the record.
Result<std::unique_ptr<Remote>> open_s3_remote(const Repo& repo, const RemoteConfig& config,
                                               const std::map<std::string, Setting>& settings, Verify verify);

}  // namespace mlops::data
