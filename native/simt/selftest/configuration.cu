// Launch configuration checks and the emulated device's runtime API: invalid shapes are refused
// with a message, the device reports itself, and kernel arguments convert to the parameter types.
#include <cstring>

#include "selftest.h"

namespace {

__global__ void storeConverted(double* out, double scale, long long offset) {
  out[threadIdx.x] = scale * threadIdx.x + double(offset);
}

}  // namespace

SIMT_SELFTEST(invalid_configuration_rejected) {
  simt_selftest::DeviceArray<double> out(64);
  const cudaError_t tooBig =
      wt::simt::launch("storeConverted", storeConverted, dim3(1), dim3(2048), 0, nullptr, out.get(), 1.0, 0LL);
  if (!simt_selftest::failedWith(tooBig, cudaErrorInvalidConfiguration, {"storeConverted: invalid block (2048,1,1)"}, why))
    return false;
  const cudaError_t empty =
      wt::simt::launch("storeConverted", storeConverted, dim3(0), dim3(32), 0, nullptr, out.get(), 1.0, 0LL);
  if (!simt_selftest::failedWith(empty, cudaErrorInvalidConfiguration, {"invalid grid (0,1,1)"}, why)) return false;
  if (cudaGetLastError() != cudaErrorInvalidConfiguration || cudaGetLastError() != cudaSuccess) {
    why = "cudaGetLastError does not report, then clear, the launch error";
    return false;
  }
  // int -> double and int -> long long, as a kernel launch converts its arguments.
  if (!simt_selftest::launched(
          wt::simt::launch("storeConverted", storeConverted, dim3(1), dim3(64), 0, nullptr, out.get(), 2, 5), why))
    return false;
  const std::vector<double> got = out.read();
  for (int i = 0; i < 64; ++i)
    if (got[i] != 2.0 * i + 5) {
      why = "converted arguments gave " + std::to_string(got[i]) + " at " + std::to_string(i);
      return false;
    }
  if (std::strlen(wt::simt::lastLaunchError()) != 0) {
    why = "lastLaunchError() is not empty after a successful launch";
    return false;
  }
  return true;
}

SIMT_SELFTEST(runtime_api_device) {
  int count = 0, device = -1, driver = 0;
  cudaDeviceProp prop;
  size_t free = 0, total = 0;
  cudaStream_t stream = nullptr;
  cudaEvent_t start = nullptr, stop = nullptr;
  float ms = -1.0f;
  const bool ok = cudaGetDeviceCount(&count) == cudaSuccess && count == 1 && cudaSetDevice(0) == cudaSuccess &&
                  cudaGetDevice(&device) == cudaSuccess && device == 0 &&
                  cudaGetDeviceProperties(&prop, 0) == cudaSuccess &&
                  std::strcmp(prop.name, "wavetape simt emulator") == 0 && prop.major == 9 && prop.warpSize == 32 &&
                  prop.maxThreadsPerBlock == 1024 && prop.sharedMemPerBlock == 48 * 1024 &&
                  cudaMemGetInfo(&free, &total) == cudaSuccess && free <= total && total == prop.totalGlobalMem &&
                  cudaDriverGetVersion(&driver) == cudaSuccess && driver > 0 &&
                  cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking) == cudaSuccess &&
                  cudaEventCreate(&start) == cudaSuccess && cudaEventCreate(&stop) == cudaSuccess &&
                  cudaEventRecord(start, stream) == cudaSuccess && cudaEventRecord(stop, stream) == cudaSuccess &&
                  cudaStreamWaitEvent(stream, stop, 0) == cudaSuccess && cudaEventSynchronize(stop) == cudaSuccess &&
                  cudaEventElapsedTime(&ms, start, stop) == cudaSuccess && ms >= 0.0f &&
                  cudaStreamSynchronize(stream) == cudaSuccess && cudaEventDestroy(start) == cudaSuccess &&
                  cudaEventDestroy(stop) == cudaSuccess && cudaStreamDestroy(stream) == cudaSuccess &&
                  cudaStreamDestroy(stream) == cudaErrorInvalidResourceHandle && cudaSetDevice(1) == cudaErrorInvalidDevice;
  if (!ok) why = "a runtime API call misbehaved";
  return ok;
}
