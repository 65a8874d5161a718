#pragma once
// Running independent tasks on every core with std::thread.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

namespace mlops {

inline unsigned worker_count() { return std::max(1u, std::thread::hardware_concurrency()); }

// Calls task(i) for every i in [0, n), spread over the cores (at most `max_workers` threads:
// walking folders stops scaling long before the core count on big machines); returns when all
// are done. Tasks must not throw; a task that wants the rest skipped returns early itself.
template <class Task>
void parallel_for(std::size_t n, Task&& task, std::size_t max_workers = SIZE_MAX) {
  std::size_t workers = std::min({n, std::size_t{worker_count()}, max_workers});
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) task(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto body = [&] {
    for (std::size_t i = next++; i < n; i = next++) task(i);
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(body);
  body();
  for (auto& t : threads) t.join();
}

}  // namespace mlops
