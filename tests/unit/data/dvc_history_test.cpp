#include "mlops/data/dvc_history.hpp"

#include <catch2/catch.hpp>

using namespace mlops;
using namespace mlops::data;

namespace {
const std::string kDvcHistoryHash = "xxh3:0123456789abcdef0123456789abcdef";
const std::string kCommitA(40, 'a');
const std::string kCommitB(40, 'b');

DvcHistory sample_dvc_history() {
  DvcHistory history;
  Pointer file;
  file.path = "train.csv";
  file.hash = *Hash::parse(kDvcHistoryHash);
  file.size = 12;
  Pointer folder = file;
  folder.path = "images";
  folder.kind = Kind::dir;
  folder.files = 3;
  history.versions[{kCommitB, "data/train.csv"}] = file;
  history.versions[{kCommitA, "data/images"}] = folder;
  history.missing[{kCommitA, "data/train.csv"}] =
      DvcNotImported{"data/train.csv", "d41d8cd98f00b204e9800998ecf8427e", "not in DVC's cache", {}, "dvc fetch x"};
  return history;
}
}  // namespace

TEST_CASE("the DVC history is written sorted by commit and path, and read back the same") {
  auto text = format_dvc_history(sample_dvc_history());
  // Versions and missing versions interleave in (commit, path) order.
  auto images = text.find("\"data/images\"");
  auto missing = text.find("\"missing\"");
  auto train_b = text.find(kCommitB);
  REQUIRE(images != std::string::npos);
  CHECK(images < missing);
  CHECK(missing < train_b);
  auto parsed = parse_dvc_history(text, "h");
  REQUIRE(parsed);
  CHECK(format_dvc_history(*parsed) == text);
  const auto& folder = parsed->versions.at({kCommitA, "data/images"});
  CHECK(folder.path == "images");
  CHECK(folder.kind == Kind::dir);
  CHECK(folder.files == 3);
  CHECK(parsed->missing.at({kCommitA, "data/train.csv"}).fetch == "dvc fetch x");
}

TEST_CASE("a damaged DVC history line is named with its line and never half read") {
  std::string good = format_dvc_history(sample_dvc_history());
  for (const std::string& bad :
       {std::string("{\"commit\": 1}"), std::string("not json"),
        "{\"commit\":\"" + kCommitA + "\",\"path\":\"../x\",\"hash\":\"" + kDvcHistoryHash +
            "\",\"kind\":\"file\",\"size\":1,\"files\":1}",
        "{\"commit\":\"" + kCommitA + "\",\"path\":\"x\",\"hash\":\"md5:00\",\"kind\":\"file\",\"size\":1,\"files\":1}",
        "{\"commit\":\"" + kCommitA + "\",\"path\":\"x\",\"hash\":\"" + kDvcHistoryHash +
            "\",\"kind\":\"link\",\"size\":1,\"files\":1}",
        "{\"commit\":\"" + kCommitA + "\",\"path\":\"x\",\"hash\":\"" + kDvcHistoryHash +
            "\",\"kind\":\"file\",\"size\":-1,\"files\":1}"}) {
    auto parsed = parse_dvc_history(good + bad + "\n", "h");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().exit == Exit::bad_input);
    CHECK(parsed.error().message.starts_with("h:4: "));
  }
  CHECK(parse_dvc_history("\n\n", "h")->versions.empty());
}
