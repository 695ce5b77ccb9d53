// __syncthreads detectors and semantics: divergent call sites, a barrier some threads never reach
// because they exited, a deadlock between a warp barrier and a block barrier, and _count/_and/_or.
#include "selftest.h"

namespace {

// Planted bug: odd and even threads wait at different barriers.
__global__ void divergentBarrier(int* out) {
  if (threadIdx.x % 2) {
    __syncthreads();
  } else {
    __syncthreads();
  }
  out[threadIdx.x] = 1;
}

// Planted bug: threads past the data return before the block's barrier.
__global__ void earlyExitBeforeBarrier(const float* in, float* out, int n) {
  __shared__ float s[64];
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  s[threadIdx.x] = in[i];
  __syncthreads();
  out[i] = s[(threadIdx.x + 1) % blockDim.x];
}

// Planted bug: the low half of warp 0 waits for the whole warp at __syncwarp, while the high half
// waits for the whole block at __syncthreads.
__global__ void warpBlockDeadlock(int* out) {
  if (threadIdx.x < 16) {
    __syncwarp();
  } else {
    __syncthreads();
  }
  out[threadIdx.x] = 1;
}

__global__ void barrierReductions(int* counts, int* ands, int* ors) {
  const int t = threadIdx.x;
  const int c = __syncthreads_count(t % 4 == 0);
  const int a = __syncthreads_and(t < 1000);
  const int o = __syncthreads_or(t == 7);
  const int none = __syncthreads_or(0);
  if (t == 0) {
    counts[blockIdx.x] = c;
    ands[blockIdx.x] = a;
    ors[blockIdx.x] = o + 2 * none;
  }
}

}  // namespace

SIMT_SELFTEST(divergent_syncthreads_reported) {
  simt_selftest::DeviceArray<int> out(64);
  const cudaError_t e = wt::simt::launch("divergentBarrier", divergentBarrier, dim3(3), dim3(64), 0, nullptr, out.get());
  return simt_selftest::failedWith(e, cudaErrorLaunchFailure,
                                   {"divergentBarrier: ", "divergent __syncthreads() in block (0,0,0)", "barriers.cu:"},
                                   why);
}

SIMT_SELFTEST(syncthreads_after_exit_reported) {
  const int n = 64 + 64 + 33;
  simt_selftest::DeviceArray<float> in(n, std::vector<float>(n, 1.0f)), out(n);
  const cudaError_t e = wt::simt::launch("earlyExitBeforeBarrier", earlyExitBeforeBarrier, dim3(3), dim3(64), 0,
                                         nullptr, in.get(), out.get(), n);
  return simt_selftest::failedWith(
      e, cudaErrorLaunchFailure,
      {"earlyExitBeforeBarrier: __syncthreads() (barriers.cu:", "reached by 33 of 64 threads of block (2,0,0); the others exited"},
      why);
}

SIMT_SELFTEST(deadlock_reported) {
  simt_selftest::DeviceArray<int> out(64);
  const cudaError_t e =
      wt::simt::launch("warpBlockDeadlock", warpBlockDeadlock, dim3(1), dim3(64), 0, nullptr, out.get());
  return simt_selftest::failedWith(e, cudaErrorLaunchFailure,
                                   {"warpBlockDeadlock: deadlock in block (0,0,0)", "__syncwarp", "__syncthreads()"}, why);
}

SIMT_SELFTEST(syncthreads_count_and_or) {
  const int blocks = 3, threads = 200;
  simt_selftest::DeviceArray<int> counts(blocks), ands(blocks), ors(blocks);
  if (!simt_selftest::launched(wt::simt::launch("barrierReductions", barrierReductions, dim3(blocks), dim3(threads), 0,
                                                nullptr, counts.get(), ands.get(), ors.get()),
                               why))
    return false;
  const std::vector<int> c = counts.read(), a = ands.read(), o = ors.read();
  for (int b = 0; b < blocks; ++b)
    if (c[b] != 50 || a[b] != 1 || o[b] != 1) {
      why = "block " + std::to_string(b) + ": count " + std::to_string(c[b]) + ", and " + std::to_string(a[b]) +
            ", or " + std::to_string(o[b]);
      return false;
    }
  return true;
}
