// Reading CSV/TSV/JSONL into columns: types, missing values, quoting, errors with lines.
#include "mlops/drift/reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <random>
#include <string>

using namespace mlops::drift;

namespace {

mlops::Result<Dataset> read_text(std::string name, std::string text, ReadOptions options = {}) {
  std::vector<Part> parts;
  parts.push_back(Part{name, Buffer::own(std::move(text))});
  return read_dataset(name, parts, options);
}

std::uint64_t count_of(const Column& c, const std::string& key) {
  for (const auto& [k, n] : c.counts) {
    if (k == key) return n;
  }
  return 0;
}

std::string gzip(const std::string& text) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

TEST_CASE("CSV columns are typed, missing values counted") {
  auto ds = read_text("t.csv", "a,b,c\n1,x,1.5\n2,NA,\n,y,inf\n-4,\"x\",2e3\n");
  REQUIRE(ds);
  REQUIRE(ds->rows == 4);
  const Column& a = *ds->find("a");
  CHECK(a.numeric);
  CHECK(a.integral);
  CHECK(a.missing == 1);
  auto values = a.values;
  std::sort(values.begin(), values.end());
  CHECK(values == std::vector<double>{-4, 1, 2});
  const Column& b = *ds->find("b");
  CHECK_FALSE(b.numeric);
  CHECK(b.missing == 1);
  CHECK(count_of(b, "x") == 2);
  CHECK(count_of(b, "y") == 1);
  const Column& c = *ds->find("c");
  CHECK(c.numeric);
  CHECK_FALSE(c.integral);
  CHECK(c.non_finite == 1);
  CHECK(c.missing == 1);
}

TEST_CASE("numbers parse exactly like from_chars") {
  auto ds = read_text("n.csv", "v\n0.1\n123456.789012\n-0.0\n1e-7\n.5\n999999999999999\n0.30000000000000004\n");
  REQUIRE(ds);
  auto v = ds->find("v")->values;
  CHECK(v == std::vector<double>{0.1, 123456.789012, 0.0, 1e-7, 0.5, 999999999999999.0, 0.30000000000000004});
  CHECK_FALSE(std::signbit(v[2]));
}

TEST_CASE("a text value late in a numeric-looking column makes it text, keeping every value") {
  std::string text = "v\n";
  for (int i = 0; i < 200000; ++i) text += std::to_string(i % 7) + "\n";
  text += "seven\n";
  auto ds = read_text("late.csv", text);
  REQUIRE(ds);
  const Column& v = *ds->find("v");
  CHECK_FALSE(v.numeric);
  std::uint64_t total = 0;
  for (const auto& [k, n] : v.counts) total += n;
  CHECK(total == 200001);
  CHECK(count_of(v, "3") > 28000);
  CHECK(count_of(v, "seven") == 1);
}

TEST_CASE("quoted fields: delimiters, doubled quotes and line breaks inside") {
  auto ds = read_text("q.csv", "k,v\r\n\"a,b\",1\r\n\"say \"\"hi\"\"\",2\r\n\"two\nlines\",3\r\n");
  REQUIRE(ds);
  const Column& k = *ds->find("k");
  CHECK(count_of(k, "a,b") == 1);
  CHECK(count_of(k, "say \"hi\"") == 1);
  CHECK(count_of(k, "two\nlines") == 1);
  CHECK(ds->rows == 3);
}

TEST_CASE("delimiters are detected from the header or given") {
  auto semi = read_text("s.txt", "a;b\n1,5;x\n");
  REQUIRE(semi);
  CHECK(semi->columns.size() == 2);
  auto tsv = read_text("t.tsv", "a,x\tb\n1\t2\n");
  REQUIRE(tsv);
  CHECK(tsv->find("a,x"));
  auto pipe = read_text("p.dat", "a|b,c\n1|2,3\n", ReadOptions{'|'});
  REQUIRE(pipe);
  CHECK(pipe->find("b,c"));
}

TEST_CASE("errors name the file and the line") {
  auto ragged = read_text("r.csv", "a,b\n1,2\n3,4\n5\n");
  REQUIRE_FALSE(ragged);
  CHECK(ragged.error().message == "'r.csv' line 4: expected 2 fields, found 1");
  CHECK(static_cast<int>(ragged.error().exit) == 2);
  auto open = read_text("o.csv", "a\n1\n\"2\n3\n");
  REQUIRE_FALSE(open);
  CHECK(open.error().message == "'o.csv' line 3: unterminated quoted field");
  auto utf8 = read_text("u.csv", "a\nok\n\xC3\x28\n");
  REQUIRE_FALSE(utf8);
  CHECK(utf8.error().message == "'u.csv' line 3: invalid UTF-8");
  auto empty = read_text("e.csv", "\n\n");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == "'e.csv' is empty");
  auto header = read_text("h.csv", "a,b\n");
  REQUIRE_FALSE(header);
  CHECK(header.error().message == "'h.csv' has a header but no data rows");
  auto dup = read_text("d.csv", "a,a\n1,2\n");
  REQUIRE_FALSE(dup);
  CHECK(dup.error().message == "'d.csv' line 1: duplicate column 'a' in the header");
}

TEST_CASE("JSONL: flat objects, absent keys are missing, strings stay text") {
  auto ds = read_text(
      "j.jsonl",
      "{\"a\": 1, \"s\": \"1\", \"b\": true}\n{\"a\": null, \"s\": \"x\\u00e9\\n\"}\n{\"b\": false, \"a\": -2.5e1}\n");
  REQUIRE(ds);
  CHECK(ds->rows == 3);
  const Column& a = *ds->find("a");
  CHECK(a.numeric);
  CHECK(a.missing == 1);
  CHECK(a.values.size() == 2);
  const Column& s = *ds->find("s");
  CHECK_FALSE(s.numeric);
  CHECK(count_of(s, "1") == 1);
  CHECK(count_of(s, "x\xC3\xA9\n") == 1);
  CHECK(s.missing == 1);  // absent on line 3
  const Column& b = *ds->find("b");
  CHECK(count_of(b, "true") == 1);
  CHECK(b.missing == 1);
  auto nested = read_text("n.jsonl", "{\"a\": 1}\n{\"a\": {\"b\": 2}}\n");
  REQUIRE_FALSE(nested);
  CHECK(nested.error().message == "'n.jsonl' line 2: nested value for key 'a' (only flat objects are supported)");
  auto broken = read_text("b.jsonl", "{\"a\": 1\n");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.starts_with("'b.jsonl' line 1:"));
}

TEST_CASE("gzip input is inflated; corrupt gzip is bad input") {
  auto ds = read_text("g.csv.gz", gzip("a,b\n1,x\n2,y\n"));
  REQUIRE(ds);
  CHECK(ds->rows == 2);
  std::string truncated = gzip("a,b\n1,x\n2,y\n3,z\n");
  truncated.resize(truncated.size() / 2);
  auto bad = read_text("bad.csv.gz", truncated);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "'bad.csv.gz' is a truncated gzip file");
}

TEST_CASE("large inputs split into chunks give the same columns as one piece") {
  std::string text = "x,q,c\n";
  for (int i = 0; i < 300000; ++i) {
    text += std::to_string(i) + ".25,\"" + (i % 3 ? "p,q" : "r\"\"s") + "\"," + (i % 5 ? "u" : "") + "\n";
  }
  auto ds = read_text("big.csv", text);
  REQUIRE(ds);
  CHECK(ds->rows == 300000);
  CHECK(ds->find("x")->values.size() == 300000);
  CHECK(count_of(*ds->find("q"), "p,q") == 200000);
  CHECK(count_of(*ds->find("q"), "r\"s") == 100000);
  CHECK(ds->find("c")->missing == 60000);
}

TEST_CASE("many distinct categories are all counted") {
  std::string text = "c\n";
  for (int i = 0; i < 5000; ++i) text += "category-number-" + std::to_string(i % 100) + "\n";
  auto ds = read_text("many.csv", text);
  REQUIRE(ds);
  const Column& c = *ds->find("c");
  CHECK(c.counts.size() == 100);
  CHECK(count_of(c, "category-number-7") == 50);
  CHECK(count_of(c, "category-number-99") == 50);
}

TEST_CASE("JSONL: a key with numbers, then a string, is a text column with every value") {
  auto ds = read_text("mixed.jsonl", "{\"v\": 1}\n{\"v\": 2.5}\n{\"w\": 0}\n{\"v\": \"high\"}\n{\"v\": 1}\n");
  REQUIRE(ds);
  const Column& v = *ds->find("v");
  CHECK_FALSE(v.numeric);
  CHECK(count_of(v, "1") == 2);
  CHECK(count_of(v, "2.5") == 1);
  CHECK(count_of(v, "high") == 1);
  CHECK(v.missing == 1);
}

TEST_CASE("the fast path parses numbers exactly like from_chars, across chunks") {
  // More than a few MiB, so the text is split into chunks read in parallel.
  const std::vector<std::string> fixed = {"0",
                                          "-0",
                                          "7",
                                          "-12",
                                          "3.",
                                          ".5",
                                          "-.25",
                                          "0.1",
                                          "1e-7",
                                          "-5.4e-05",
                                          "2E3",
                                          "+4.5",
                                          "123456789012345",
                                          "1234567890123456",
                                          "0.30000000000000004",
                                          "99999999.999999",
                                          "-0.000001",
                                          "1.7976931348623157e308"};
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 3.0);
  std::string text = "x,y\n";
  std::vector<std::string> fields;
  for (int i = 0; i < 240000; ++i) {
    std::string f;
    if (i % 50 == 0) {
      f = fixed[static_cast<std::size_t>(i / 50) % fixed.size()];
    } else {
      // Six decimals, some cut to fewer ("-1.234567" to "-1.2345", "-1.23", "-1.")
      f = std::to_string(std::round(normal(rng) * 1e6) / 1e6);
      f.resize(f.size() - static_cast<std::size_t>(i % 7 == 0 ? i % 4 * 2 - (i % 4 == 3 ? 1 : 0) : 0));
    }
    fields.push_back(f);
    text += f + ",c" + std::to_string(i % 3) + (i % 5 == 0 ? "\r\n" : "\n");
    if (i % 10000 == 0) text += "\n";  // blank lines are skipped
  }
  auto ds = read_text("nums.csv", text);
  REQUIRE(ds);
  CHECK(ds->rows == fields.size());
  std::vector<double> want;
  for (const auto& f : fields) {
    const char* b = f.data() + (f[0] == '+' ? 1 : 0);
    double d = 0;
    auto [ptr, ec] = std::from_chars(b, f.data() + f.size(), d);
    REQUIRE(ptr == f.data() + f.size());
    want.push_back(d + 0.0);
  }
  auto got = ds->find("x")->values;
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  CHECK(got == want);
  CHECK(count_of(*ds->find("y"), "c0") == 80000);
}

TEST_CASE("a column's decimals hint counts the digits after the point, exponents included") {
  auto ds = read_text("d.csv", "a,b,c,d\n1.5,3,5.4e-05,1\n2.25,-4,1,0.1\n1e3,7,2,\n");
  REQUIRE(ds);
  CHECK(ds->find("a")->decimals == 2);
  CHECK(ds->find("b")->decimals == 0);
  CHECK(ds->find("c")->decimals == 6);
  CHECK(ds->find("d")->decimals == 1);
}

TEST_CASE("a quote late in a large file sends it through the RFC 4180 path") {
  std::string text = "k,v\n";
  for (int i = 0; i < 200000; ++i) text += "plain,1.5\n";
  text += "\"two\nlines, and a comma\",2\n";
  for (int i = 0; i < 200000; ++i) text += "plain,2.5\n";
  auto ds = read_text("late-quote.csv", text);
  REQUIRE(ds);
  CHECK(ds->rows == 400001);
  CHECK(count_of(*ds->find("k"), "plain") == 400000);
  CHECK(count_of(*ds->find("k"), "two\nlines, and a comma") == 1);
  CHECK(ds->find("v")->values.size() == 400001);
}

TEST_CASE("fast path: missing spellings in text columns, ragged rows and bad UTF-8 deep in a file") {
  std::string text = "k,v\n";
  for (int i = 0; i < 300000; ++i) text += std::string(i % 4 == 0 ? "NA" : i % 4 == 1 ? "" : "cat") + ",1\n";
  auto ds = read_text("m.csv", text);
  REQUIRE(ds);
  CHECK(ds->find("k")->missing == 150000);
  CHECK(ds->find("k")->counts.size() == 1);
  CHECK(count_of(*ds->find("k"), "cat") == 150000);

  std::string ragged = text + "cat,1,extra\n" + "cat,1\n";
  auto r = read_text("r.csv", ragged);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "'r.csv' line 300002: expected 2 fields, found 3");
  std::string shorter = text + "cat\n";
  auto s = read_text("s.csv", shorter);
  REQUIRE_FALSE(s);
  CHECK(s.error().message == "'s.csv' line 300002: expected 2 fields, found 1");
  std::string latin1 = text + "caf\xE9,1\n";
  auto u = read_text("u.csv", latin1);
  REQUIRE_FALSE(u);
  CHECK(u.error().message == "'u.csv' line 300002: invalid UTF-8");
  std::string utf8 = text + "caf\xC3\xA9,1\n";
  auto ok = read_text("ok.csv", utf8);
  REQUIRE(ok);
  CHECK(count_of(*ok->find("k"), "caf\xC3\xA9") == 1);
}
