// The CPU backend's process-wide worker pool: fork-join parallelFor shared by every environment's
// stream. The calling thread takes part, so one thread means no hand-off at all.
#pragma once
#include <cstdint>
#include <functional>

namespace wt {
namespace cpu {

// Threads used by parallelFor (calling thread included). Default: WAVETAPE_NUM_THREADS, else cores.
int numThreads();
void setNumThreads(int n);

// Runs fn(begin, end) over [0, n) in contiguous chunks of at least `grain` items (a few per thread,
// claimed dynamically) on at most numThreads() threads. Safe to call concurrently from several
// threads; returns when every chunk is done.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace cpu
}  // namespace wt
