#include "mlops/interop/mlflow_registry.hpp"

#include <catch2/catch.hpp>

using namespace mlops::interop;

TEST_CASE("an MLflow model version's source as a path in its run's artifacts") {
  MlflowRun run;
  run.run_id = "0123abcd";
  run.artifacts = "/data/mlruns/1/0123abcd/artifacts";
  CHECK(artifact_path_in_run("runs:/0123abcd/model", run) == "model");
  CHECK(artifact_path_in_run("runs:/0123abcd/models/best/", run) == "models/best");
  CHECK(artifact_path_in_run("file:///data/mlruns/1/0123abcd/artifacts/model", run) == "model");
  CHECK(artifact_path_in_run("/data/mlruns/1/0123abcd/artifacts/plots/loss.txt", run) == "plots/loss.txt");
  CHECK(artifact_path_in_run("mlflow-artifacts:/1/0123abcd/artifacts/model", run) == "model");
  CHECK(artifact_path_in_run("s3://bucket/mlruns/1/0123abcd/artifacts/model", run) == "model");
}

TEST_CASE("a source outside its run's artifacts is not one of them") {
  MlflowRun run;
  run.run_id = "0123abcd";
  run.artifacts = "/data/mlruns/1/0123abcd/artifacts";
  CHECK(artifact_path_in_run("runs:/ffff/model", run).empty());
  CHECK(artifact_path_in_run("runs:/0123abcd/../../etc", run).empty());
  CHECK(artifact_path_in_run("file:///data/mlruns/1/0123abcd/artifacts", run).empty());
  CHECK(artifact_path_in_run("/elsewhere/model", run).empty());
  CHECK(artifact_path_in_run("models:/churn/2", run).empty());
  CHECK(artifact_path_in_run("mlflow-artifacts:/1/0123abcd/artifacts/../../x", run).empty());
}

TEST_CASE("MLflow version N is registry version v0.0.N") {
  CHECK(version_name_of_mlflow(1) == "v0.0.1");
  CHECK(version_name_of_mlflow(12) == "v0.0.12");
}
