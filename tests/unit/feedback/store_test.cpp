// The feedback store: each event once, whatever the number of imports.
#include "mlops/feedback/store.hpp"

#include <stdlib.h>

#include <catch2/catch.hpp>

using namespace mlops;

namespace {

struct StoreDir {
  std::filesystem::path path;
  StoreDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mlops-feedback-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~StoreDir() { std::filesystem::remove_all(path); }
};

trace::FeedbackEvent event(const std::string& line) {
  auto e = trace::parse_feedback_line(line, "test");
  REQUIRE(e);
  return *e;
}

}  // namespace

TEST_CASE("feedback store: an import adds only the events it has not seen", "[feedback]") {
  StoreDir dir;
  Repo repo{dir.path, dir.path};
  auto none = feedback::FeedbackStore::open_existing(repo);
  REQUIRE(none);
  CHECK_FALSE(*none);
  CHECK_FALSE(std::filesystem::exists(feedback::store_path(repo)));  // looking creates nothing
  std::vector<trace::FeedbackEvent> events = {
      event(R"({"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "00f067aa0ba902b7",)"
            R"( "time": "2026-12-01T10:02:00Z", "signal": "thumbs", "value": "down", "user": "u1"})"),
      event(R"({"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "00f067aa0ba902b7",)"
            R"( "time": "2026-12-01T10:01:00.000000001Z", "signal": "edit", "text": "We open at 9."})"),
  };
  auto store = feedback::FeedbackStore::open(repo);
  REQUIRE(store);
  auto first = store->add(events, "a.jsonl");
  REQUIRE(first);
  CHECK(first->added == 2);
  CHECK(first->present == 0);
  auto again = store->add(events, "a.jsonl");
  REQUIRE(again);
  CHECK(again->added == 0);
  CHECK(again->present == 2);
  auto all = store->all();
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].signal == trace::FeedbackSignal::edit);  // time order
  CHECK((*all)[0].text == "We open at 9.");
  CHECK((*all)[0].time_ns == events[1].time_ns);  // nanoseconds survive the store
  CHECK((*all)[1].user == "u1");
  CHECK((*all)[1].key() == events[0].key());
}
