// `.mlops/config.yaml`: committed, so written by every clone's people and tools. The whole load
// runs, with each module's settings reader.
#include "fuzz.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/repo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto root = [] {
    auto dir = mlops::fuzz::scratch() / "repo";
    std::filesystem::create_directories(dir / ".git");
    return dir;
  }();
  mlops::fuzz::write_scratch("repo/.mlops/config.yaml", mlops::fuzz::text(data, size));
  auto repo = mlops::find_store(root);
  if (repo) (void)mlops::load_config(*repo);
  return 0;
}
