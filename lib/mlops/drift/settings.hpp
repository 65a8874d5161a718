#pragma once
// Drift's setting in `.mlops/config.yaml` (the committed file): the default share of drifted
// columns at which a dataset counts as drifted, when neither --drift-share nor --config says.
//
//   drift:
//     drift_share: 0.5
#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::drift {

inline constexpr double kDefaultDriftShare = 0.5;

// drift.drift_share, or the default; bad input naming the file and line when it is not a number
// from 0 to 1.
Result<double> load_drift_share(const Repo& repo);

}  // namespace mlops::drift
