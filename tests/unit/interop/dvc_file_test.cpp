#include "mlops/interop/dvc_file.hpp"

#include <catch2/catch.hpp>

using namespace mlops;
using namespace mlops::interop;

TEST_CASE("a DVC 3 .dvc file of a folder") {
  auto outs = parse_dvc_file(
      "outs:\n- md5: 2c95aad1b961a9e54851867ab3c763fe.dir\n  size: 1432\n  nfiles: 3\n  hash: md5\n  path: images\n"
      "  desc: cats\n",
      "data/images.dvc");
  REQUIRE(outs);
  REQUIRE(outs->size() == 1);
  const DvcOut& out = outs->front();
  CHECK(out.path == "data/images");
  CHECK(out.md5 == "2c95aad1b961a9e54851867ab3c763fe");
  CHECK(out.is_dir);
  CHECK_FALSE(out.legacy);
  CHECK(out.size == 1432u);
  CHECK(out.nfiles == 3u);
  CHECK(out.source == "data/images.dvc");
}

TEST_CASE("a DVC 2 .dvc file, wdir and the cache flag") {
  auto outs = parse_dvc_file(
      "wdir: ../raw\nouts:\n- md5: 3568c76fdbdcb337b85c4beb8e3e74a0\n  path: a.csv\n  cache: false\n", "data/a.dvc");
  REQUIRE(outs);
  CHECK(outs->front().path == "raw/a.csv");
  CHECK(outs->front().legacy);
  CHECK_FALSE(outs->front().cached);
}

TEST_CASE("a .dvc file with an unknown field or an out outside the repository is refused") {
  auto unknown = parse_dvc_file("outs:\n- md5: 3568c76fdbdcb337b85c4beb8e3e74a0\n  path: a\n  colour: blue\n", "a.dvc");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().exit == Exit::bad_input);
  CHECK(unknown.error().message == "'a.dvc:4': unknown field 'colour' in an out");
  auto root = parse_dvc_file("outs: []\nfoo: 1\n", "a.dvc");
  REQUIRE_FALSE(root);
  CHECK(root.error().message == "'a.dvc:2': unknown field 'foo'");
  for (const char* path : {"../x", "/etc/passwd", "sub/../../x"}) {
    auto outside =
        parse_dvc_file(std::string("outs:\n- md5: 3568c76fdbdcb337b85c4beb8e3e74a0\n  path: ") + path + "\n", "a.dvc");
    REQUIRE_FALSE(outside);
    CHECK(outside.error().message.find("is outside the repository") != std::string::npos);
  }
  CHECK_FALSE(parse_dvc_file("outs:\n- md5: nothex\n  path: a\n", "a.dvc"));
  CHECK_FALSE(parse_dvc_file("outs:\n- md5: 3568c76fdbdcb337b85c4beb8e3e74a0\n  path: a\n  hash: sha256\n", "a.dvc"));
  CHECK_FALSE(parse_dvc_file("outs: [\n", "a.dvc"));
}

TEST_CASE("dvc.lock outs, with a stage's wdir from dvc.yaml") {
  std::string lock =
      "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: model.pkl\n"
      "      hash: md5\n      md5: b53efbcdf076d3b880fcf7e01e40073d\n      size: 1700\n"
      "  build@us:\n    cmd: x\n    outs:\n    - path: m.bin\n      md5: b53efbcdf076d3b880fcf7e01e40073d\n";
  auto wdirs = stage_wdirs_of_dvc_yaml(
      "stages:\n  build:\n    foreach: [us]\n    do:\n      wdir: models\n      cmd: x\n", "dvc.yaml");
  REQUIRE(wdirs);
  auto outs = parse_dvc_lock(lock, "dvc.lock", *wdirs);
  REQUIRE(outs);
  REQUIRE(outs->size() == 2);
  CHECK((*outs)[0].path == "model.pkl");
  CHECK((*outs)[0].stage == "train");
  CHECK((*outs)[1].path == "models/m.bin");
  CHECK((*outs)[1].legacy);
  auto old = parse_dvc_lock("train:\n  cmd: x\n", "dvc.lock");
  REQUIRE_FALSE(old);
  CHECK(old.error().message.find("schema '2.0'") != std::string::npos);
}

TEST_CASE("a .dir manifest is read, and one climbing out is refused") {
  auto entries = parse_dir_manifest(R"([{"md5": "de7371b0119f4f75f9de703c7c3bac16", "relpath": "cat.jpeg"}, )"
                                    R"({"md5": "402e97968614f583ece3b35555971f64", "relpath": "sub/index.jpeg"}])",
                                    "x.dir");
  REQUIRE(entries);
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[1].relpath == "sub/index.jpeg");
  auto climbing = parse_dir_manifest(R"([{"md5": "de7371b0119f4f75f9de703c7c3bac16", "relpath": "../x"}])", "x.dir");
  REQUIRE_FALSE(climbing);
  CHECK(climbing.error().message.find("climbs out of its folder") != std::string::npos);
  CHECK_FALSE(parse_dir_manifest(R"([{"md5": "de7371b0119f4f75f9de703c7c3bac16", "relpath": "/etc/x"}])", "x.dir"));
  CHECK_FALSE(parse_dir_manifest(R"({"md5": "x"})", "x.dir"));
  CHECK_FALSE(parse_dir_manifest("not json", "x.dir"));
}

TEST_CASE("the .dir text is what Python's json.dumps(sort_keys=True) writes") {
  std::vector<DvcDirEntry> entries = {{"q\"uote\\x", std::string(32, 'b'), false},
                                      {"caf\xc3\xa9/\xf0\x9f\x98\x80.txt", std::string(32, 'a'), false}};
  // python3 -c 'import json; print(json.dumps([...], sort_keys=True))'
  CHECK(format_dir_manifest(entries) ==
        R"([{"md5": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "relpath": "caf\u00e9/\ud83d\ude00.txt"}, )"
        R"({"md5": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "relpath": "q\"uote\\x"}])");
}

TEST_CASE("join_inside keeps paths in the repository") {
  CHECK(join_inside("data", "a.csv") == "data/a.csv");
  CHECK(join_inside("", "./a/b/") == "a/b");
  CHECK(join_inside("data", "../a") == "a");
  CHECK_FALSE(join_inside("data", "../../a"));
  CHECK_FALSE(join_inside("", "/a"));
  CHECK_FALSE(join_inside("", "."));
  // A base that is not repository-relative cannot lead outside either (tests/fuzz/regressions/dvc).
  CHECK_FALSE(join_inside("/suVb", "../o"));
}

#include "mlops/interop/dvc_export.hpp"

TEST_CASE("an exported .dvc file reads back as the out it describes") {
  std::string md5 = "2c95aad1b961a9e54851867ab3c763fe";
  CHECK(format_dvc_file("images", md5, true, 1432, 3) ==
        "outs:\n- md5: 2c95aad1b961a9e54851867ab3c763fe.dir\n  size: 1432\n  nfiles: 3\n  hash: md5\n  path: images\n");
  for (std::string name : {"images", "123", "true", "a: b", "it's", " lead", "#x", "-x", "caf\xc3\xa9"}) {
    auto outs = parse_dvc_file(format_dvc_file(name, md5, false, 5, 1), "data/x.dvc");
    REQUIRE(outs);
    CHECK(outs->front().path == "data/" + name);
    CHECK_FALSE(outs->front().legacy);
  }
}
