#include "mlops/tracking/environment.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "mlops/tracking/secrets.hpp"

using namespace mlops::tracking;

TEST_CASE("environment variables are captured with secrets redacted") {
  ::setenv("MLOPS_TEST_SECRET_KEY", "value-that-must-not-appear", 1);
  ::setenv("MLOPS_TEST_PLAIN", "visible", 1);
  ::setenv("MLOPS_TEST_URL", "postgres://me:pw@db/x", 1);
  auto variables = environment_variables();
  CHECK(variables.at("MLOPS_TEST_SECRET_KEY") == kRedacted);
  CHECK(variables.at("MLOPS_TEST_PLAIN") == "visible");
  CHECK(variables.at("MLOPS_TEST_URL") == "postgres://me:[redacted]@db/x");
  ::unsetenv("MLOPS_TEST_SECRET_KEY");
  ::unsetenv("MLOPS_TEST_PLAIN");
  ::unsetenv("MLOPS_TEST_URL");
}

TEST_CASE("Python interpreters are recognised by name") {
  for (const char* program : {"python", "python3", "python3.11", "/usr/bin/python3", ".venv/bin/python"}) {
    CHECK(is_python(program));
  }
  for (const char* program : {"pythonista", "ipython", "python3-config", "sh", "/opt/python/bin/node"}) {
    CHECK_FALSE(is_python(program));
  }
}

TEST_CASE("the interpreter's package report becomes python.* keys") {
  auto keys = parse_python_report(
      "some warning on stderr\n@version 3.11.7\n@executable /venv/bin/python\n@package numpy==1.26.4\n"
      "@package scikit-learn==1.4.0\r\n@package broken\n");
  CHECK(keys.at("python.version") == "3.11.7");
  CHECK(keys.at("python.executable") == "/venv/bin/python");
  CHECK(keys.at("python.package.numpy") == "1.26.4");
  CHECK(keys.at("python.package.scikit-learn") == "1.4.0");
  CHECK(keys.size() == 4);
  CHECK(parse_python_report("").empty());
}
