#pragma once
// What the libFuzzer targets share (tests/fuzz/README.md). Each target feeds the bytes it is given
// to one parser of outside input; the sanitizers and libFuzzer report whatever goes wrong. A parser
// may refuse the input (that is its job); it must never crash, hang, leak or read out of bounds.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace mlops::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A folder of this process's own under $TMPDIR (else /dev/shm, where a database's fsync costs
// nothing, else /tmp), made on first use and removed at exit, for the parsers that read a file.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::error_code ec;
    std::filesystem::path base = tmp && *tmp                                     ? tmp
                                 : std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm"
                                                                                 : "/tmp";
    auto path = base / ("mlops-fuzz." + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch(), ignored);
    });
    return path;
  }();
  return dir;
}

// Writes `bytes` to `name` under scratch() (replacing it) and returns its path.
inline std::filesystem::path write_scratch(const std::filesystem::path& name, std::string_view bytes) {
  auto path = scratch() / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

}  // namespace mlops::fuzz
