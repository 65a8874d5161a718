#include "mlops/interop/mlflow_store.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace mlops;
using namespace mlops::interop;
namespace fs = std::filesystem;

namespace {

struct MlrunsFolder {
  fs::path path;
  MlrunsFolder() {
    char tmpl[] = "/tmp/mlops-unit-mlruns.XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~MlrunsFolder() { fs::remove_all(path); }
  void write(const fs::path& name, std::string_view text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name) << text;
  }
};

}  // namespace

// tests/fuzz/regressions/mlflow: a meta.yaml holding a scalar made every field lookup throw.
TEST_CASE("an MLflow meta.yaml that is not a mapping is bad input naming the file") {
  MlrunsFolder store;
  for (std::string text : {"file:///tmp/mlruns/0/r1/artifacts", "- a\n- b\n"}) {
    store.write("0/meta.yaml", text);
    auto read = read_mlflow_file_store(store.path, {});
    REQUIRE_FALSE(read);
    CHECK(read.error().exit == Exit::bad_input);
    CHECK(read.error().message.find("0/meta.yaml") != std::string::npos);
    CHECK(read.error().message.find("expected a mapping of fields") != std::string::npos);
  }
  store.write("0/meta.yaml", "experiment_id: '0'\nname: Default\nlifecycle_stage: active\n");
  store.write("0/r1/meta.yaml", "42\n");
  auto read = read_mlflow_file_store(store.path, {});
  REQUIRE_FALSE(read);
  CHECK(read.error().message.find("r1/meta.yaml") != std::string::npos);
}
