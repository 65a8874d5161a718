#include "mlops/registry/metadata.hpp"

#include <catch2/catch.hpp>

using namespace mlops::registry;

TEST_CASE("messages round-trip through their trailers") {
  Metadata meta;
  meta.artifact = mlops::hash_bytes("model");
  meta.kind = "file";
  meta.size = 5;
  meta.path = "models/m.pkl";
  meta.run = "3f9a2c1b";
  meta.data.emplace_back("data/a=b.csv", mlops::hash_bytes("data"));
  meta.metrics.emplace_back("auc", 0.93);
  meta.metrics.emplace_back("loss", 1e-05);
  meta.gates = {std::string("metrics.auc >= 0.9: pass (0.93)")};
  std::string text = format_message("Registering artifact m version v0.0.1", "retrained\non March", meta);
  CHECK(text.starts_with("Registering artifact m version v0.0.1\n\nretrained\non March\n\nArtifact: xxh3:"));
  CHECK(text.find("Metric: loss=1e-05\n") != std::string::npos);

  mlops::registry::Message back = parse_message(text);
  CHECK(back.subject == "Registering artifact m version v0.0.1");
  CHECK(back.body == "retrained\non March");
  CHECK(back.problems.empty());
  CHECK(back.meta.artifact == meta.artifact);
  CHECK(back.meta.kind == "file");
  CHECK(back.meta.size == 5u);
  CHECK(back.meta.path == "models/m.pkl");
  CHECK(back.meta.run == "3f9a2c1b");
  REQUIRE(back.meta.data.size() == 1);
  CHECK(back.meta.data[0].first == "data/a=b.csv");
  CHECK(back.meta.metrics == meta.metrics);
  CHECK(back.meta.gates == meta.gates);
}

TEST_CASE("a message without trailers is all body") {
  mlops::registry::Message m =
      parse_message("Registering artifact m version v0.0.1\n\nNote: this is prose\nwith two lines\n");
  CHECK(m.body == "Note: this is prose\nwith two lines");
  CHECK(m.problems.empty());
  CHECK_FALSE(m.meta.artifact);
}

TEST_CASE("malformed known trailers are reported and left out") {
  mlops::registry::Message m =
      parse_message("s\n\nArtifact: md5:abc\nMetric: auc\nMetric: f1=0.5\nX-Other: kept out\n");
  CHECK_FALSE(m.meta.artifact);
  CHECK(m.meta.metric("f1") == Approx(0.5));
  CHECK_FALSE(m.meta.metric("auc"));
  REQUIRE(m.problems.size() == 2);
  CHECK(m.problems[0] == "malformed trailer 'Artifact: md5:abc'");
  CHECK(m.problems[1] == "malformed trailer 'Metric: auc'");
}
