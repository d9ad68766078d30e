// cpu_noise: how steady this machine's CPU is, as a floor under any latency
// measured on it. Runs a fixed piece of arithmetic (about 1 ms) again and
// again, sleeping 0.4 ms in between, for N seconds, and prints the
// distribution of its duration. On a dedicated core the p99 stays close to
// the median; on a virtual machine whose vCPUs the host also gives to others,
// single runs take several times the median (the host took the vCPU away).
// Usage: cpu_noise [seconds, default 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

volatile unsigned long g_sink;  // keeps the loop from being optimised away

double WorkMs() {
  auto t = std::chrono::steady_clock::now();
  unsigned long x = 0;
  for (int i = 0; i < 1000000; ++i)
    x += static_cast<unsigned long>(i) * static_cast<unsigned long>(i) ^ x;
  g_sink = x;
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5;
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(seconds));
  std::vector<double> ms;
  while (std::chrono::steady_clock::now() < end) {
    ms.push_back(WorkMs());
    std::this_thread::sleep_for(std::chrono::microseconds(400));
  }
  if (ms.empty()) return 1;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double p) {
    return ms[static_cast<size_t>(p / 100 * static_cast<double>(ms.size() - 1))];
  };
  const double median = at(50);
  long slow = std::count_if(ms.begin(), ms.end(), [&](double v) { return v > 3 * median; });
  std::printf(
      "cpu noise: %zu runs of a fixed ~1 ms computation: p50 %.3f  p99 %.3f  max %.3f ms; "
      "%ld runs (%.2f%%) over 3x the median\n",
      ms.size(), median, at(99), ms.back(), slow,
      100.0 * static_cast<double>(slow) / static_cast<double>(ms.size()));
  return 0;
}
