#include "mlops/drift/kept.hpp"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

using namespace mlops;
using namespace mlops::drift;

namespace {

// A repository folder with a store's tmp/ (what `mlops init` makes), removed afterwards.
struct KeptRepo {
  Repo repo;
  KeptRepo() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mlops-kept-XXXXXX").string();
    repo.root = ::mkdtemp(pattern.data());
    std::filesystem::create_directories(repo.tmp());
  }
  ~KeptRepo() { std::filesystem::remove_all(repo.root); }
};

Report kept_sample_report() {
  Report report;
  report.reference = "ref.csv";
  report.current = "cur.csv";
  report.reference_rows = 100;
  report.current_rows = 90;
  ColumnResult column;
  column.name = "<b>age</b>";
  column.statistic = 0.4;
  column.p_value = 0.001;
  column.threshold = 0.05;
  column.drifted = true;
  column.histogram = {{"0-10", "10-20"}, {0.75, 0.25}, {0.25, 0.75}};
  report.columns.push_back(column);
  report.drifted = 1;
  report.dataset_drift = true;
  return report;
}

}  // namespace

TEST_CASE("drift reports are kept in the store and read back with their histograms") {
  KeptRepo dir;
  CHECK(list_kept_reports(dir.repo).value().empty());                    // no folder yet: none, not an error
  auto id = keep_report(dir.repo, kept_sample_report(), 1'764'627'330);  // 2025-12-01 22:15:30 UTC
  REQUIRE(id);
  CHECK(std::regex_match(*id, std::regex("20251201-221530-[0-9a-f]{4}")));
  CHECK(std::filesystem::exists(dir.repo.store() / "drift" / "reports" / (*id + ".json")));
  auto later = keep_report(dir.repo, kept_sample_report(), 1'764'627'390);
  REQUIRE(later);
  CHECK(list_kept_reports(dir.repo).value() == std::vector<std::string>{*later, *id});  // newest first

  auto doc = read_kept_report(dir.repo, *id);
  REQUIRE(doc);
  CHECK((*doc)["format"] == "mlops-drift-report");
  CHECK((*doc)["id"] == *id);
  CHECK((*doc)["created"] == "2025-12-01T22:15:30Z");
  CHECK((*doc)["verdict"] == "Dataset drift detected");
  const auto& column = (*doc)["report"]["columns"][0];
  CHECK(column["name"] == "<b>age</b>");
  CHECK(column["histogram"]["labels"] == nlohmann::ordered_json({"0-10", "10-20"}));
  CHECK(column["histogram"]["current"][1] == 0.75);
}

TEST_CASE("two drift reports kept in the same second get ids of their own") {
  KeptRepo dir;
  auto first = keep_report(dir.repo, kept_sample_report(), 1'764'627'330);
  auto second = keep_report(dir.repo, kept_sample_report(), 1'764'627'330);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(*first != *second);
  CHECK(list_kept_reports(dir.repo).value().size() == 2);
}

TEST_CASE("a kept drift report's id never names a path outside the folder") {
  KeptRepo dir;
  CHECK(valid_kept_id("20251201-221530-ab12"));
  for (const std::string& id :
       std::vector<std::string>{"", "../config", "a/b", "x.json", std::string(65, 'a'), "a b"}) {
    CHECK_FALSE(valid_kept_id(id));
    auto doc = read_kept_report(dir.repo, id);
    REQUIRE_FALSE(doc);
    CHECK(doc.error().exit == Exit::bad_input);
  }
  auto unknown = read_kept_report(dir.repo, "20251201-221530-0000");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "no kept drift report '20251201-221530-0000'");
}

TEST_CASE("a file in the kept reports folder that is not a kept report is an environment error") {
  KeptRepo dir;
  std::filesystem::create_directories(kept_reports_dir(dir.repo));
  std::ofstream(kept_reports_dir(dir.repo) / "broken.json") << "{\"format\": \"something else\"}";
  std::ofstream(kept_reports_dir(dir.repo) / "notes.txt") << "not listed";
  CHECK(list_kept_reports(dir.repo).value() == std::vector<std::string>{"broken"});
  auto doc = read_kept_report(dir.repo, "broken");
  REQUIRE_FALSE(doc);
  CHECK(doc.error().exit == Exit::environment);
  CHECK(doc.error().message.find("is not a kept drift report") != std::string::npos);
}
