// Splits [0, count) into contiguous chunks run on up to `threads` threads (the caller's
// thread takes the first chunk). For work OpenBLAS would run single-threaded anyway.
#pragma once
#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace curio {

template <typename F>
void ParallelFor(int64_t count, int threads, F body) {
  threads = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, count)));
  if (threads == 1) {
    body(0, count);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  const int64_t chunk = (count + threads - 1) / threads;
  for (int t = 1; t < threads; ++t) {
    const int64_t begin = std::min(count, t * chunk), end = std::min(count, begin + chunk);
    if (begin < end) workers.emplace_back([=] { body(begin, end); });
  }
  body(0, std::min(count, chunk));
  for (auto& w : workers) w.join();
}

}  // namespace curio
