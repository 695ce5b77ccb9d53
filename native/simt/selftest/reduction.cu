// Block reductions through shared memory: the correct one, two planted missing-barrier variants that
// the random interleaving plus poisoned shared memory must turn into wrong sums, and a timing run.
#include <chrono>
#include <cmath>

#include "selftest.h"

namespace {

constexpr int kBlock = 256;

template <class T>
__global__ void blockReduceSum(const T* in, T* partial, int n) {
  __shared__ T s[kBlock];
  const int tid = threadIdx.x;
  const int i = blockIdx.x * blockDim.x + tid;
  s[tid] = i < n ? in[i] : T(0);
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (tid < stride) s[tid] += s[tid + stride];
    __syncthreads();
  }
  if (tid == 0) partial[blockIdx.x] = s[0];
}

// Planted bug: no barrier between filling shared memory and the first reduction step.
__global__ void reduceNoBarrierAfterStore(const float* in, float* partial, int n) {
  __shared__ float s[kBlock];
  const int tid = threadIdx.x;
  const int i = blockIdx.x * blockDim.x + tid;
  s[tid] = i < n ? in[i] : 0.0f;
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (tid < stride) s[tid] += s[tid + stride];
    __syncthreads();
  }
  if (tid == 0) partial[blockIdx.x] = s[0];
}

// Planted bug: no barrier between the reduction steps.
__global__ void reduceNoBarrierInLoop(const float* in, float* partial, int n) {
  __shared__ float s[kBlock];
  const int tid = threadIdx.x;
  const int i = blockIdx.x * blockDim.x + tid;
  s[tid] = i < n ? in[i] : 0.0f;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (tid < stride) s[tid] += s[tid + stride];
  }
  if (tid == 0) partial[blockIdx.x] = s[0];
}

// Small positive integers: every partial and total sum is exact in float, and a race that drops a
// contribution always lowers the sum (with mixed signs, dropped values could cancel out).
template <class T> std::vector<T> ramp(int n) {
  std::vector<T> v(n);
  for (int i = 0; i < n; ++i) v[i] = T(1 + i % 7);
  return v;
}

template <class T> bool reduceMatches(void (*kernel)(const T*, T*, int), const char* name, int n, std::string& why) {
  const std::vector<T> host = ramp<T>(n);
  const int blocks = (n + kBlock - 1) / kBlock;
  simt_selftest::DeviceArray<T> in(n, host), partial(blocks);
  if (!simt_selftest::launched(wt::simt::launch(name, kernel, dim3(blocks), dim3(kBlock), 0, nullptr, in.get(),
                                                partial.get(), n),
                               why))
    return false;
  T expect = 0, got = 0;
  for (T v : host) expect += v;
  for (T v : partial.read()) got += v;
  if (got == expect) return true;
  why = name + std::string(": sum ") + std::to_string(double(got)) + ", expected " + std::to_string(double(expect));
  return false;
}

// A planted race must give a wrong sum in every one of many launches (each launch interleaves differently).
bool alwaysWrong(void (*kernel)(const float*, float*, int), const char* name, std::string& why) {
  for (int run = 0; run < 16; ++run) {
    std::string ignored;
    if (reduceMatches<float>(kernel, name, 3000, ignored)) {
      why = std::string(name) + " produced the right sum in run " + std::to_string(run);
      return false;
    }
  }
  return true;
}

// The best of `runs` launches of blockReduceSum<float> over `blocks` blocks of 256 threads, in ms.
bool timeReduce(int blocks, int runs, double& bestMs, std::string& why) {
  const int n = blocks * kBlock;
  simt_selftest::DeviceArray<float> in(n, ramp<float>(n)), partial(blocks);
  bestMs = 1e9;
  for (int run = 0; run < runs; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!simt_selftest::launched(wt::simt::launch("blockReduceSum<float>", blockReduceSum<float>, dim3(blocks),
                                                  dim3(kBlock), 0, nullptr, in.get(), partial.get(), n),
                                 why))
      return false;
    bestMs = std::min(bestMs, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return true;
}

}  // namespace

SIMT_SELFTEST(block_reduce_sum) {
  for (int n : {1, 255, 256, 257, 3000, 10000})
    if (!reduceMatches<float>(blockReduceSum<float>, "blockReduceSum<float>", n, why) ||
        !reduceMatches<double>(blockReduceSum<double>, "blockReduceSum<double>", n, why) ||
        !reduceMatches<int>(blockReduceSum<int>, "blockReduceSum<int>", n, why))
      return false;
  return true;
}

SIMT_SELFTEST(missing_syncthreads_caught) {
  return alwaysWrong(reduceNoBarrierAfterStore, "reduceNoBarrierAfterStore", why) &&
         alwaysWrong(reduceNoBarrierInLoop, "reduceNoBarrierInLoop", why);
}

// Not timed assertions: print how long a launch of one, and of 64, 256-thread blocks with nine barriers takes.
SIMT_SELFTEST(launch_1x256_block) {
  double ms = 0;
  if (!timeReduce(1, 50, ms, why)) return false;
  why = "(" + std::to_string(ms) + " ms per launch)";
  return true;
}

SIMT_SELFTEST(launch_64x256_blocks) {
  double ms = 0;
  if (!timeReduce(64, 5, ms, why)) return false;
  why = "(" + std::to_string(ms) + " ms per launch)";
  return true;
}
