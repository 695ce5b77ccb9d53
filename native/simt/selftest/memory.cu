// Memory detectors: guard zones around cudaMalloc blocks, NaN-poisoned static and dynamic shared
// memory (fresh for every block), dynamic shared memory use and overflow, and bounds-checked copies.
#include <cmath>

#include "selftest.h"

namespace {

// Planted bug: `<=` stores one element past the end.
__global__ void scaleOffByOne(float* x, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i <= n) x[i] = 2.0f * i;
}

// Planted bug: stores one element before the start.
__global__ void shiftLeftUnchecked(float* x, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i - 1] = 1.0f;
}

// Reads shared memory before any thread of the block wrote it, then writes it, so a block that saw
// the previous block's values on the same worker would read 1 instead of NaN.
__global__ void readUnwrittenShared(float* outF, double* outD, float* outDyn) {
  __shared__ float sf[64];
  __shared__ double sd[64];
  float* dyn = static_cast<float*>(wt::simt::dynamicSharedMemory());
  const int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
  outF[i] = sf[t];
  outD[i] = sd[t];
  outDyn[i] = dyn[t];
  __syncthreads();
  sf[t] = 1.0f;
  sd[t] = 1.0;
  dyn[t] = 1.0f;
}

// Reverses each block's slice through dynamic shared memory.
__global__ void reverseThroughDynamicShared(const int* in, int* out) {
  int* s = static_cast<int*>(wt::simt::dynamicSharedMemory());
  const int t = threadIdx.x, base = blockIdx.x * blockDim.x;
  s[t] = in[base + t];
  __syncthreads();
  out[base + t] = s[blockDim.x - 1 - t];
}

// Planted bug: the last thread stores one int past the dynamic shared memory it was given.
__global__ void dynamicSharedOverflow(int* out) {
  int* s = static_cast<int*>(wt::simt::dynamicSharedMemory());
  s[threadIdx.x + 1] = 1;
  __syncthreads();
  out[threadIdx.x] = s[threadIdx.x];
}

}  // namespace

SIMT_SELFTEST(global_store_past_end_caught) {
  const int n = 1000;
  simt_selftest::DeviceArray<float> x(n);
  const cudaError_t past = wt::simt::launch("scaleOffByOne", scaleOffByOne, dim3(8), dim3(128), 0, nullptr, x.get(), n);
  if (!simt_selftest::failedWith(past, cudaErrorLaunchFailure,
                                 {"scaleOffByOne: ", "allocation #", "(4000 bytes at", "byte 0 past its end"}, why))
    return false;
  const cudaError_t before =
      wt::simt::launch("shiftLeftUnchecked", shiftLeftUnchecked, dim3(8), dim3(128), 0, nullptr, x.get(), n);
  if (!simt_selftest::failedWith(before, cudaErrorLaunchFailure, {"shiftLeftUnchecked: ", "byte 1 before its start"}, why))
    return false;
  // The guards were re-armed after the report, so a correct kernel on the same buffer passes.
  return simt_selftest::launched(
      wt::simt::launch("scaleOffByOne", scaleOffByOne, dim3(8), dim3(128), 0, nullptr, x.get(), n - 1), why);
}

SIMT_SELFTEST(unwritten_shared_reads_nan) {
  const int blocks = 16, threads = 64, n = blocks * threads;
  simt_selftest::DeviceArray<float> f(n), dyn(n);
  simt_selftest::DeviceArray<double> d(n);
  if (!simt_selftest::launched(wt::simt::launch("readUnwrittenShared", readUnwrittenShared, dim3(blocks),
                                                dim3(threads), threads * sizeof(float), nullptr, f.get(), d.get(),
                                                dyn.get()),
                               why))
    return false;
  const std::vector<float> hf = f.read(), hdyn = dyn.read();
  const std::vector<double> hd = d.read();
  for (int i = 0; i < n; ++i) {
    if (!std::isnan(hf[i]) || !std::isnan(hd[i]) || !std::isnan(hdyn[i])) {
      why = "element " + std::to_string(i) + " read " + std::to_string(hf[i]) + " / " + std::to_string(hd[i]) + " / " +
            std::to_string(hdyn[i]) + " instead of NaN";
      return false;
    }
  }
  return true;
}

SIMT_SELFTEST(dynamic_shared_memory) {
  const int blocks = 5, threads = 96, n = blocks * threads;
  std::vector<int> host(n);
  for (int i = 0; i < n; ++i) host[i] = i * 3 + 1;
  simt_selftest::DeviceArray<int> in(n, host), out(n);
  if (!simt_selftest::launched(wt::simt::launch("reverseThroughDynamicShared", reverseThroughDynamicShared,
                                                dim3(blocks), dim3(threads), threads * sizeof(int), nullptr, in.get(),
                                                out.get()),
                               why))
    return false;
  const std::vector<int> got = out.read();
  for (int b = 0; b < blocks; ++b)
    for (int t = 0; t < threads; ++t)
      if (got[b * threads + t] != host[b * threads + threads - 1 - t]) {
        why = "element " + std::to_string(b * threads + t) + " is " + std::to_string(got[b * threads + t]);
        return false;
      }
  // As on a GPU, more than 48 KiB of dynamic shared memory needs the kernel's attribute raised first.
  const size_t big = 64 * 1024;
  const cudaError_t refused = wt::simt::launch("reverseThroughDynamicShared", reverseThroughDynamicShared, dim3(1),
                                               dim3(threads), big, nullptr, in.get(), out.get());
  if (!simt_selftest::failedWith(refused, cudaErrorInvalidConfiguration, {"cudaFuncSetAttribute"}, why)) return false;
  if (cudaFuncSetAttribute(reverseThroughDynamicShared, cudaFuncAttributeMaxDynamicSharedMemorySize, int(big)) !=
      cudaSuccess) {
    why = "cudaFuncSetAttribute failed";
    return false;
  }
  return simt_selftest::launched(wt::simt::launch("reverseThroughDynamicShared", reverseThroughDynamicShared, dim3(1),
                                                  dim3(threads), big, nullptr, in.get(), out.get()),
                                 why);
}

SIMT_SELFTEST(dynamic_shared_overflow_caught) {
  simt_selftest::DeviceArray<int> out(64);
  const cudaError_t e = wt::simt::launch("dynamicSharedOverflow", dynamicSharedOverflow, dim3(2), dim3(64),
                                         64 * sizeof(int), nullptr, out.get());
  return simt_selftest::failedWith(e, cudaErrorLaunchFailure,
                                   {"dynamicSharedOverflow: ", "past the end of the 256 bytes of dynamic shared memory"},
                                   why);
}

SIMT_SELFTEST(memcpy_bounds_checked) {
  simt_selftest::DeviceArray<float> x(16);
  std::vector<float> host(17, 1.0f);
  if (cudaMemcpy(x.get(), host.data(), 17 * sizeof(float), cudaMemcpyHostToDevice) != cudaErrorInvalidValue ||
      cudaMemcpy(host.data(), x.get() + 1, 16 * sizeof(float), cudaMemcpyDeviceToHost) != cudaErrorInvalidValue ||
      cudaMemset(x.get() + 8, 0, 9 * sizeof(float)) != cudaErrorInvalidValue) {
    why = "a copy or fill past the end of a 16-float allocation was accepted";
    return false;
  }
  if (cudaMemcpy(x.get(), host.data(), 16 * sizeof(float), cudaMemcpyHostToDevice) != cudaSuccess ||
      cudaMemset(x.get() + 8, 0, 8 * sizeof(float)) != cudaSuccess) {
    why = "an in-bounds copy or fill was refused";
    return false;
  }
  cudaGetLastError();
  return true;
}
