// The client against real S3 servers (moto, s3rver), started and stopped by tests/s3/with-servers.sh,
// which runs these hidden test cases ("[.s3-server]", never part of the plain unit run) once per
// server with its endpoint in the environment:
//   MLOPS_S3_ENDPOINT   http://127.0.0.1:PORT        MLOPS_S3_BUCKET  an existing, empty bucket
//   MLOPS_S3_SERVER     moto | s3rver                MLOPS_S3_PROXY   the fault proxy's endpoint (optional)
//   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY         valid keys for the server
//   MLOPS_S3_SESSION_KEY_ID, _SECRET, _TOKEN         temporary credentials (optional; moto's STS)
#include <fmt/format.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mlops/core/file.hpp"
#include "mlops/data/remote_s3.hpp"
#include "mlops/s3/client.hpp"

// Fails with the error's message and hint, so a failure against a server says what it said.
#define REQUIRE_OK(expr)                                                                                \
  do {                                                                                                  \
    const auto checked_ = (expr); /* a copy: expr may name part of a temporary */                       \
    if (!checked_) FAIL((#expr) << ": " << checked_.error().message << " | " << checked_.error().hint); \
  } while (false)

namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

struct ServerDir {
  fs::path path;
  ServerDir() {
    char pattern[] = "/tmp/mlops-s3-server.XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~ServerDir() { fs::remove_all(path); }
};

std::string random_bytes(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(generator());
  return bytes;
}

void write_bytes(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fresh prefix per test case, so that cases do not see each other's objects.
mlops::s3::Settings server_settings(const std::string& prefix) {
  mlops::s3::Settings settings;
  settings.endpoint_url = env("MLOPS_S3_ENDPOINT");
  settings.bucket = env("MLOPS_S3_BUCKET");
  settings.prefix = prefix + "-" + std::to_string(::getpid());
  settings.region = "us-east-1";
  settings.remote_name = "store";
  return settings;
}

std::unique_ptr<mlops::s3::Client> open_client(const mlops::s3::Settings& settings) {
  auto client = mlops::s3::Client::open(settings);
  if (!client) FAIL(client.error().message);
  return std::move(*client);
}

std::string uploads_in_progress(const std::string& prefix);

// Uploads `count` files of distinct sizes (one empty), downloads them into another folder and
// compares every byte; the listing sees each with its size.
void round_trip(mlops::s3::Client& client, std::size_t count, std::size_t size) {
  ServerDir dir;
  fs::create_directories(dir.path / "up");
  fs::create_directories(dir.path / "down");
  std::vector<mlops::s3::Client::Upload> uploads;
  std::vector<mlops::s3::Client::Download> downloads;
  std::vector<std::string> contents;
  for (std::size_t i = 0; i < count; ++i) {
    std::string name = "ab/obj" + std::to_string(i);
    contents.push_back(random_bytes(i == 0 ? 0 : size + i, i));
    fs::path file = dir.path / "up" / std::to_string(i);
    write_bytes(file, contents.back());
    uploads.push_back({name, file, {}});
    downloads.push_back({name, dir.path / "down" / std::to_string(i)});
  }
  for (auto& result : client.upload(uploads)) REQUIRE_OK(result);
  auto listed = client.list("ab/");
  REQUIRE_OK(listed);
  CHECK(listed->size() == count);
  for (const auto& info : *listed) {
    std::size_t index = std::stoul(info.key.substr(std::string("ab/obj").size()));
    CHECK(info.size == contents.at(index).size());
  }
  for (auto& result : client.download(downloads)) REQUIRE_OK(result);
  for (std::size_t i = 0; i < count; ++i) CHECK(read_bytes(downloads[i].dest) == contents[i]);
}

}  // namespace

TEST_CASE("s3 server: round trip, HEAD, small documents and delete", "[.s3-server]") {
  auto client = open_client(server_settings("basic"));
  round_trip(*client, 40, 1000);

  auto there = client->head("ab/obj3");
  REQUIRE_OK(there);
  REQUIRE(there->has_value());
  CHECK((*there)->size == 1003);
  CHECK((*there)->mtime > 1700000000);
  auto absent = client->head("ab/nothing");
  REQUIRE_OK(absent);
  CHECK_FALSE(absent->has_value());

  REQUIRE_OK(client->put_bytes("runs/index.json", "{\"a\": 1}\n"));
  auto document = client->get_bytes("runs/index.json");
  REQUIRE_OK(document);
  CHECK(*document == std::optional<std::string>("{\"a\": 1}\n"));
  auto no_document = client->get_bytes("runs/none.json");
  REQUIRE_OK(no_document);
  CHECK_FALSE(no_document->has_value());

  std::vector<std::string> keys{"runs/index.json", "ab/obj1", "ab/obj2", "ab/not-there"};
  REQUIRE_OK(client->remove(keys));
  auto gone = client->head_many({"ab/obj1", "ab/obj2", "ab/obj3"});
  REQUIRE(gone.size() == 3);
  CHECK_FALSE(gone[0]->has_value());
  CHECK_FALSE(gone[1]->has_value());
  CHECK(gone[2]->has_value());
  CHECK(client->stats().requests > 40);
}

TEST_CASE("s3 server: a conditional PUT creates a key only if it is absent", "[.s3-server]") {
  auto client = open_client(server_settings("conditional"));
  auto fresh = client->put_bytes_if_absent("docs/new.json", "first");
  REQUIRE_OK(fresh);
  CHECK(*fresh == mlops::s3::Client::Conditional::written);
  auto again = client->put_bytes_if_absent("docs/new.json", "second");
  REQUIRE_OK(again);
  auto stored = client->get_bytes("docs/new.json");
  REQUIRE_OK(stored);
  if (env("MLOPS_S3_SERVER") == "s3rver") {
    // s3rver ignores If-None-Match on PUT: the reason documents are read before they are written.
    CHECK(*again == mlops::s3::Client::Conditional::written);
  } else {
    CHECK(*again == mlops::s3::Client::Conditional::exists);  // 412 Precondition Failed
    CHECK(**stored == "first");
  }
}

TEST_CASE("s3 server: listings of more than 1000 keys follow continuation tokens", "[.s3-server]") {
  auto client = open_client(server_settings("many"));
  ServerDir dir;
  std::vector<mlops::s3::Client::Upload> uploads;
  std::vector<std::string> keys;
  write_bytes(dir.path / "tiny", "x");
  for (int i = 0; i < 1100; ++i) {
    keys.push_back(fmt::format("{:02x}/{:06d}", i % 3, i));
    uploads.push_back({keys.back(), dir.path / "tiny", {}});
  }
  for (auto& result : client->upload(uploads)) REQUIRE_OK(result);
  // A fresh client lists first of all, several prefixes at once (against moto this also checks
  // that every listing in flight is signed again when the first one learns its quirk).
  auto lister = open_client(server_settings("many"));
  auto per_folder = lister->list_many({"00/", "01/", "02/", "03/"});
  REQUIRE(per_folder.size() == 4);
  for (const auto& listed : per_folder) REQUIRE_OK(listed);
  CHECK(per_folder[0]->size() == 367);
  CHECK(per_folder[1]->size() == 367);
  CHECK(per_folder[2]->size() == 366);
  CHECK(per_folder[3]->empty());
  auto all = lister->list("");
  REQUIRE_OK(all);
  CHECK(all->size() == 1100);
  REQUIRE_OK(client->remove(keys));  // two DeleteObjects requests
  auto none = client->list("");
  REQUIRE_OK(none);
  CHECK(none->empty());
}

TEST_CASE("s3 server: multipart upload and ranged parallel download of a big file", "[.s3-server]") {
  auto settings = server_settings("multipart");
  settings.multipart_threshold = 6 << 20;
  settings.multipart_chunksize = 5 << 20;  // S3's smallest part
  auto client = open_client(settings);
  ServerDir dir;
  std::string content = random_bytes((12 << 20) + 12345, 42);
  write_bytes(dir.path / "big", content);
  auto before = client->stats().requests;
  auto up = client->upload({{"cd/big", dir.path / "big", {}}});
  REQUIRE_OK(up.front());
  CHECK(client->stats().requests - before == 5);  // create, 3 parts, complete
  auto info = client->head("cd/big");
  REQUIRE_OK(info);
  REQUIRE(info->has_value());
  CHECK((*info)->size == content.size());
  if (env("MLOPS_S3_SERVER") == "moto") CHECK((*info)->etag.ends_with("-3"));  // S3's multipart ETag counts the parts

  before = client->stats().requests;
  auto down = client->download({{"cd/big", dir.path / "back"}});
  REQUIRE_OK(down.front());
  CHECK(client->stats().requests - before == 3);  // the first part, then the other two at once
  CHECK(read_bytes(dir.path / "back") == content);

  // A big object goes down as kDownloadStreams ranges after the first part, whatever its size.
  std::string bigger = random_bytes((41 << 20) + 7, 43);
  write_bytes(dir.path / "bigger", bigger);
  REQUIRE_OK(client->upload({{"cd/bigger", dir.path / "bigger", {}}}).front());
  before = client->stats().requests;
  REQUIRE_OK(client->download({{"cd/bigger", dir.path / "bigger-back"}}).front());
  CHECK(client->stats().requests - before == 1 + mlops::s3::kDownloadStreams);
  CHECK(read_bytes(dir.path / "bigger-back") == bigger);
}

TEST_CASE("s3 server: an upload whose check fails never appears; a multipart one is aborted", "[.s3-server]") {
  auto settings = server_settings("verify");
  settings.multipart_threshold = 6 << 20;
  settings.multipart_chunksize = 5 << 20;
  auto client = open_client(settings);
  ServerDir dir;
  write_bytes(dir.path / "small", "small");
  write_bytes(dir.path / "big", random_bytes(12 << 20, 5));
  write_bytes(dir.path / "good", "good");
  auto refuse = []() -> mlops::Result<void> { return std::unexpected(mlops::bad_input("not the bytes it names")); };
  auto accept = []() -> mlops::Result<void> { return {}; };
  auto before = client->stats().requests;
  auto results = client->upload({{"ab/small", dir.path / "small", refuse},
                                 {"cd/big", dir.path / "big", refuse},
                                 {"ef/good", dir.path / "good", accept}});
  REQUIRE(results.size() == 3);
  REQUIRE_FALSE(results[0]);
  REQUIRE_FALSE(results[1]);
  REQUIRE_OK(results[2]);
  CHECK_THAT(results[0].error().message, Catch::Contains("not the bytes it names"));
  CHECK_THAT(results[1].error().message, Catch::Contains("not the bytes it names"));
  // The small one was never sent; the big one's parts went up beside its check and were aborted:
  // create, 3 parts, abort; and one PUT for the good one.
  CHECK(client->stats().requests - before == 6);
  for (const char* key : {"ab/small", "cd/big"}) {
    auto head = client->head(key);
    REQUIRE_OK(head);
    CHECK_FALSE(head->has_value());
  }
  if (env("MLOPS_S3_SERVER") == "moto" && ::system("aws --version >/dev/null 2>&1") == 0) {
    CHECK(uploads_in_progress(settings.prefix) == "None");
  }
}

TEST_CASE("s3 server: a wrong secret key is refused, exit 3 naming the credential source", "[.s3-server]") {
  if (env("MLOPS_S3_SERVER") == "s3rver") {
    WARN("s3rver does not verify signatures: skipped (moto does)");
    return;
  }
  std::string good = env("AWS_SECRET_ACCESS_KEY");
  ::setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret-key", 1);
  auto client = open_client(server_settings("wrong"));
  auto listed = client->list("");
  auto headed = client->head("ab/x");
  ::setenv("AWS_SECRET_ACCESS_KEY", good.c_str(), 1);
  REQUIRE_FALSE(listed);
  CHECK(listed.error().exit == mlops::Exit::environment);
  CHECK_THAT(listed.error().message,
             Catch::Contains("secret key from environment (AWS_ACCESS_KEY_ID)") && Catch::Contains("remote 'store'"));
  CHECK(listed.error().message.find("not-the-secret-key") == std::string::npos);
  REQUIRE_FALSE(headed);  // a 403 on HEAD is never "missing"
  CHECK_THAT(headed.error().message, Catch::Contains("cannot tell whether it exists"));
}

TEST_CASE("s3 server: a missing bucket is exit 3 with a hint", "[.s3-server]") {
  auto settings = server_settings("nobucket");
  settings.bucket = "mlops-no-such-bucket";
  auto client = open_client(settings);
  auto listed = client->list("");
  REQUIRE_FALSE(listed);
  CHECK(listed.error().exit == mlops::Exit::environment);
  CHECK_THAT(listed.error().message, Catch::Contains("bucket 'mlops-no-such-bucket' does not exist"));
  CHECK_THAT(listed.error().hint, Catch::Contains("aws s3 mb"));
}

TEST_CASE("s3 server: temporary credentials with a session token", "[.s3-server]") {
  if (env("MLOPS_S3_SESSION_TOKEN").empty()) {
    WARN("no session credentials from this server: skipped");
    return;
  }
  std::string id = env("AWS_ACCESS_KEY_ID");
  std::string secret = env("AWS_SECRET_ACCESS_KEY");
  ::setenv("AWS_ACCESS_KEY_ID", env("MLOPS_S3_SESSION_KEY_ID").c_str(), 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", env("MLOPS_S3_SESSION_SECRET").c_str(), 1);
  ::setenv("AWS_SESSION_TOKEN", env("MLOPS_S3_SESSION_TOKEN").c_str(), 1);
  auto client = mlops::s3::Client::open(server_settings("session"));
  ::setenv("AWS_SESSION_TOKEN", "not-the-token", 1);
  auto wrong = mlops::s3::Client::open(server_settings("session"));
  ::setenv("AWS_ACCESS_KEY_ID", id.c_str(), 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", secret.c_str(), 1);
  ::unsetenv("AWS_SESSION_TOKEN");
  REQUIRE(client);
  round_trip(**client, 5, 100);
  REQUIRE(wrong);
  auto refused = (*wrong)->list("");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().exit == mlops::Exit::environment);
  CHECK_THAT(refused.error().message, Catch::Contains("session token from environment (AWS_ACCESS_KEY_ID)"));
  CHECK(refused.error().message.find("not-the-token") == std::string::npos);
}

TEST_CASE("s3 server: through a proxy that fails requests, transfers still complete", "[.s3-server]") {
  if (env("MLOPS_S3_PROXY").empty()) {
    WARN("no fault proxy: skipped");
    return;
  }
  auto settings = server_settings("faults");
  settings.endpoint_url = env("MLOPS_S3_PROXY");
  settings.multipart_threshold = 6 << 20;
  settings.multipart_chunksize = 5 << 20;
  settings.max_retries = 10;
  auto client = open_client(settings);
  round_trip(*client, 150, 2000);
  ServerDir dir;
  std::string content = random_bytes(11 << 20, 7);
  write_bytes(dir.path / "big", content);
  REQUIRE_OK(client->upload({{"cd/big", dir.path / "big", {}}}).front());
  REQUIRE_OK(client->download({{"cd/big", dir.path / "back"}}).front());
  CHECK(read_bytes(dir.path / "back") == content);
  CHECK(client->stats().retries > 0);
}

namespace {

// The multipart uploads in progress under `prefix`, as the aws CLI sees them (an independent client).
std::string uploads_in_progress(const std::string& prefix) {
  std::string command = fmt::format(
      "aws --endpoint-url {} s3api list-multipart-uploads --bucket {} --prefix {} --output text "
      "--query 'Uploads[].Key' 2>&1",
      env("MLOPS_S3_ENDPOINT"), env("MLOPS_S3_BUCKET"), prefix);
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  ::pclose(pipe);
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return output;
}

volatile std::sig_atomic_t g_test_interrupts = 0;
void count_interrupt(int) { g_test_interrupts = g_test_interrupts + 1; }

}  // namespace

TEST_CASE("s3 server: Ctrl-C during a multipart upload aborts it, then the signal goes on", "[.s3-server]") {
  if (::system("aws --version >/dev/null 2>&1") != 0) {
    WARN("no aws CLI to list multipart uploads: skipped");
    return;
  }
  auto settings = server_settings("interrupt");
  settings.multipart_threshold = 6 << 20;
  settings.multipart_chunksize = 5 << 20;
  settings.jobs = 2;
  auto client = open_client(settings);
  ServerDir dir;
  write_bytes(dir.path / "small", "small");
  write_bytes(dir.path / "big", random_bytes(40 << 20, 9));
  // The signal comes when the small file is done, while the big one's parts are going up; this
  // test's own handler stands for the default one (which would end the test program).
  struct sigaction counting {
  }, previous{};
  counting.sa_handler = count_interrupt;
  ::sigaction(SIGINT, &counting, &previous);
  g_test_interrupts = 0;
  client->set_progress([](std::size_t done, std::size_t, std::uint64_t) {
    if (done == 1) ::kill(::getpid(), SIGINT);
  });
  auto results = client->upload({{"ab/small", dir.path / "small", {}}, {"cd/big", dir.path / "big", {}}});
  ::sigaction(SIGINT, &previous, nullptr);
  client->set_progress({});
  CHECK(g_test_interrupts == 1);  // raised again once the upload was cleaned up
  REQUIRE(results.size() == 2);
  REQUIRE_OK(results[0]);
  REQUIRE_FALSE(results[1]);
  CHECK_THAT(results[1].error().message, Catch::Contains("interrupted"));
  auto big = client->head("cd/big");
  REQUIRE_OK(big);
  CHECK_FALSE(big->has_value());
  // s3rver has no ListMultipartUploads (NotImplemented); moto lists what was not aborted.
  if (env("MLOPS_S3_SERVER") == "moto") CHECK(uploads_in_progress(settings.prefix) == "None");
}

// ---- documents on an S3 remote (data/remote_s3.cpp) ----

namespace {

std::string s3_env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

struct S3Scratch {
  fs::path dir;
  mlops::Repo repo;
  S3Scratch() {
    char pattern[] = "/tmp/mlops-remote-s3.XXXXXX";
    dir = ::mkdtemp(pattern);
    repo.root = dir;
    fs::create_directories(dir / ".mlops" / "tmp");
  }
  ~S3Scratch() { fs::remove_all(dir); }
  S3Scratch(const S3Scratch&) = delete;
  S3Scratch& operator=(const S3Scratch&) = delete;

  // A remote on a fresh prefix of the test bucket, through `endpoint`.
  std::unique_ptr<mlops::data::Remote> open(const std::string& prefix, const std::string& endpoint) const {
    mlops::RemoteConfig config;
    config.name = "store";
    config.url = "s3://" + s3_env("MLOPS_S3_BUCKET") + "/" + prefix;
    config.url_source = "test";
    std::map<std::string, mlops::Setting> settings{{"endpoint_url", mlops::Setting{endpoint, "test"}}};
    auto remote = mlops::data::open_s3_remote(repo, config, settings, mlops::data::Verify::no);
    if (!remote) FAIL(remote.error().message);
    return std::move(*remote);
  }
  fs::path file(const std::string& name, const std::string& content) const {
    std::ofstream(dir / name) << content;
    return dir / name;
  }
};

}  // namespace

TEST_CASE("s3 remote: of two writers of one document at the same moment, exactly one wins", "[.s3-server]") {
  S3Scratch scratch;
  std::string prefix = "race-" + std::to_string(::getpid());
  // Each writer has its own connection pool and engine, as two processes would.
  auto a = scratch.open(prefix, s3_env("MLOPS_S3_ENDPOINT"));
  auto b = scratch.open(prefix, s3_env("MLOPS_S3_ENDPOINT"));
  auto mine = scratch.file("a.json", "{\"writer\": \"a\"}\n");
  auto theirs = scratch.file("b.json", "{\"writer\": \"b\"}\n");
  bool conditional = s3_env("MLOPS_S3_SERVER") != "s3rver";  // s3rver ignores If-None-Match on PUT
  int raced = 0;
  for (int round = 0; round < 12; ++round) {
    std::string key = "runs/docs/r" + std::to_string(round) + ".json";
    std::atomic<int> ready{0};
    mlops::Result<mlops::data::DocumentPut> got_a = mlops::data::DocumentPut::written,
                                            got_b = mlops::data::DocumentPut::written;
    auto write = [&](const mlops::data::Remote& remote, const fs::path& file,
                     mlops::Result<mlops::data::DocumentPut>& got) {
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();  // both start together
      got = remote.put_document(key, file);
    };
    std::thread first(write, std::cref(*a), mine, std::ref(got_a));
    std::thread second(write, std::cref(*b), theirs, std::ref(got_b));
    first.join();
    second.join();
    REQUIRE(got_a);
    REQUIRE(got_b);
    INFO("round " << round << ": a " << static_cast<int>(*got_a) << ", b " << static_cast<int>(*got_b));
    bool a_won = *got_a == mlops::data::DocumentPut::written;
    bool b_won = *got_b == mlops::data::DocumentPut::written;
    if (a_won && b_won) ++raced;
    auto stored = scratch.dir / ("stored" + std::to_string(round));
    auto found = a->get_document(key, stored);
    REQUIRE(found);
    REQUIRE(*found);
    if (conditional && a_won && b_won) {
      // moto checks If-None-Match and then writes, in two steps, so now and then two writers both
      // pass the check (seen once in 12 rounds under load; S3 decides atomically). What is stored
      // is still one writer's whole document.
      CHECK(s3_env("MLOPS_S3_SERVER") == "moto");
      CHECK((mlops::read_file(stored).value() == mlops::read_file(mine).value() ||
             mlops::read_file(stored).value() == mlops::read_file(theirs).value()));
    } else if (conditional) {
      // One wrote; the other was refused (or found it) and compared: different bytes, "differs".
      CHECK(a_won != b_won);
      CHECK((a_won ? *got_b : *got_a) == mlops::data::DocumentPut::differs);
      CHECK(mlops::read_file(stored).value() == mlops::read_file(a_won ? mine : theirs).value());
    } else {
      CHECK((a_won || b_won));
      CHECK((mlops::read_file(stored).value() == mlops::read_file(mine).value() ||
             mlops::read_file(stored).value() == mlops::read_file(theirs).value()));
    }
  }
  if (!conditional) WARN("s3rver ignores conditional writes: both writers wrote in " << raced << " of 12 rounds");
  if (conditional && raced > 0) WARN("moto let both writers write in " << raced << " of 12 rounds");
}
