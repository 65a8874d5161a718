#include "mlops/core/sqlite.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {
struct SqliteTempDir {
  fs::path path;
  SqliteTempDir() {
    char tmpl[] = "/tmp/mlops-unit-sqlite.XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~SqliteTempDir() { fs::remove_all(path); }
};
}  // namespace

// The stat cache throws its database away only when this says so: a busy or unwritable database
// thrown away would cost other processes the file they are using.
TEST_CASE("last_error_is_corruption tells a damaged file from an ordinary failure") {
  SqliteTempDir dir;
  SECTION("a file that is not a database") {
    fs::path file = dir.path / "garbage.db";
    std::ofstream(file) << std::string(4096, 'x');
    auto db = mlops::sql::Database::open(file, "the test database");
    REQUIRE(db);
    auto statement = db->prepare("PRAGMA user_version");
    CHECK_FALSE((statement && statement->step()));
    CHECK(db->last_error_is_corruption());
  }
  SECTION("a statement that fails on a sound database") {
    auto db = mlops::sql::Database::open(dir.path / "sound.db", "the test database");
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE t (x INTEGER PRIMARY KEY)"));
    REQUIRE(db->exec("INSERT INTO t VALUES (1)"));
    CHECK_FALSE(db->exec("INSERT INTO t VALUES (1)"));  // a constraint, not damage
    CHECK_FALSE(db->last_error_is_corruption());
  }
}
