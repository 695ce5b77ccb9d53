// The plugin's C ABI (abi/plugin_abi.h): device discovery and the entry points, each of which
// locks its device, runs, and turns any exception into a status and a message.
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memory>
#include <new>
#include <string>
#include <vector>

#include "../abi/plugin_abi.h"
#include "device_context.cuh"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {

bool debugSynchronize() {
#ifdef WAVETAPE_CUDA_DEBUG
  return true;
#else
  static const bool fromEnv = [] {
    const char* v = getenv("WAVETAPE_CUDA_DEBUG");
    return v && strcmp(v, "1") == 0;
  }();
  return fromEnv;
#endif
}

namespace {

// Contexts live until process exit: freeing device memory from static destructors would race the
// CUDA runtime's own teardown.
std::mutex gInitMutex;
std::vector<DeviceContext*>* gDevices = nullptr;

void writeMessage(char* buf, size_t len, const char* msg) {
  if (buf && len > 0) snprintf(buf, len, "%s", msg);
}

DeviceContext& deviceAt(int32_t dev) {
  if (!gDevices || dev < 0 || size_t(dev) >= gDevices->size())
    throw Failure(WT_E_DEVICE, "no device " + std::to_string(dev) + " in this plugin");
  return *(*gDevices)[dev];
}

// Runs `body` on device `dev` under its mutex; no exception crosses the C ABI.
template <class Body>
int32_t onDevice(int32_t dev, char* err, size_t errLen, Body&& body) {
  try {
    DeviceContext& ctx = deviceAt(dev);
    std::lock_guard<std::mutex> lock(ctx.mutex);
    ctx.makeCurrent();
    body(ctx);
    return WT_OK;
  } catch (const Failure& f) {
    writeMessage(err, errLen, f.what());
    return f.status();
  } catch (const std::bad_alloc&) {
    writeMessage(err, errLen, "out of host memory");
    return WT_E_OOM;
  } catch (const std::exception& e) {
    writeMessage(err, errLen, e.what());
    return WT_E_INTERNAL;
  } catch (...) {
    writeMessage(err, errLen, "unknown exception in the cuda plugin");
    return WT_E_INTERNAL;
  }
}

int32_t pluginInit(char* why, size_t whyLen) {
  try {
    std::lock_guard<std::mutex> lock(gInitMutex);
    if (gDevices) return int32_t(gDevices->size());
    int count = 0;
    cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess) {
      std::string reason = std::string("cudaGetDeviceCount: ") + cudaGetErrorString(e);
#ifndef WAVETAPE_SIMT
      if (e == cudaErrorInsufficientDriver) {
        int driver = 0;
        cudaDriverGetVersion(&driver);
        // Version 0 means libcuda.so itself is missing: no NVIDIA driver on this machine.
        if (driver == 0)
          reason = "no NVIDIA driver found (libcuda.so is not installed)";
        else
          reason += " (driver supports CUDA " + std::to_string(driver / 1000) + "." +
                    std::to_string(driver % 1000 / 10) + ", this plugin needs " + std::to_string(CUDART_VERSION / 1000) +
                    "." + std::to_string(CUDART_VERSION % 1000 / 10) + ")";
      }
#endif
      cudaGetLastError();
      writeMessage(why, whyLen, reason.c_str());
      gDevices = new std::vector<DeviceContext*>();
      return 0;
    }
    auto devices = std::make_unique<std::vector<DeviceContext*>>();
    for (int d = 0; d < count; ++d) devices->push_back(new DeviceContext(d));
    if (count == 0) writeMessage(why, whyLen, "no CUDA device is visible");
    gDevices = devices.release();
    return count;
  } catch (const std::exception& e) {
    writeMessage(why, whyLen, e.what());
    return 0;
  }
}

int32_t pluginAlloc(int32_t dev, size_t bytes, void** out, char* err, size_t errLen) {
  return onDevice(dev, err, errLen, [&](DeviceContext& ctx) { *out = ctx.allocator().allocate(bytes); });
}

void pluginRelease(int32_t dev, void* ptr, size_t) {
  char ignored[1];
  onDevice(dev, ignored, 0, [&](DeviceContext& ctx) { ctx.allocator().release(ptr); });
}

int32_t pluginCopyH2D(int32_t dev, void* dst, const void* src, size_t bytes, char* err, size_t errLen) {
  return onDevice(dev, err, errLen, [&](DeviceContext& ctx) { ctx.copyToDevice(dst, src, bytes); });
}

int32_t pluginCopyD2H(int32_t dev, void* dst, const void* src, size_t bytes, char* err, size_t errLen) {
  return onDevice(dev, err, errLen, [&](DeviceContext& ctx) { ctx.copyToHost(dst, src, bytes); });
}

int32_t pluginRun(int32_t dev, const wt_op* op, char* err, size_t errLen) {
  return onDevice(dev, err, errLen, [&](DeviceContext& ctx) {
    ctx.noteOp(op->kind);
    switch (op->kind) {
#define WT_OP(KIND, id, name, entry, P) \
  case WT_OP_##KIND:                         \
    return cuda::entry(ctx, *op, op->params.entry);
#include "../abi/ops.def"
      default:
        throw Failure(WT_E_INTERNAL, "unknown op kind " + std::to_string(op->kind));
    }
  });
}

int32_t pluginSynchronize(int32_t dev, char* err, size_t errLen) {
  return onDevice(dev, err, errLen, [&](DeviceContext& ctx) { ctx.synchronize(); });
}

void pluginMemory(int32_t dev, uint64_t* liveBytes, uint64_t* cachedBytes) {
  *liveBytes = 0;
  *cachedBytes = 0;
  char ignored[1];
  onDevice(dev, ignored, 0, [&](DeviceContext& ctx) {
    *liveBytes = ctx.allocator().liveBytes();
    *cachedBytes = ctx.allocator().cachedBytes();
  });
}

void pluginEmptyCache(int32_t dev) {
  char ignored[1];
  onDevice(dev, ignored, 0, [&](DeviceContext& ctx) { ctx.allocator().emptyCache(); });
}

#ifdef WAVETAPE_SIMT
constexpr const char* kPluginName = "simt";
#else
constexpr const char* kPluginName = "cuda";
#endif

const wt_plugin kPlugin = {WT_ABI_VERSION, kPluginName, pluginInit, pluginAlloc, pluginRelease, pluginCopyH2D,
                           pluginCopyD2H, pluginRun, pluginSynchronize, pluginMemory, pluginEmptyCache};

}  // namespace
}  // namespace cuda
}  // namespace wt

extern "C" __attribute__((visibility("default"))) const wt_plugin* wavetape_plugin_v1(void) {
  return &wt::cuda::kPlugin;
}
