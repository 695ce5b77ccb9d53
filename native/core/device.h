// A Device owns memory and runs wt_ops; devices are process-wide and live until exit, so storage
// freed by a late finalizer (after its environment is gone) can still return its memory.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "../abi/plugin_abi.h"

namespace wt {

class Device {
 public:
  explicit Device(std::string name) : name_(std::move(name)) {}
  virtual ~Device() = default;
  const std::string& name() const { return name_; }

  virtual void* alloc(size_t bytes) = 0;  // throws Error(WT_E_OOM)
  virtual void release(void* p, size_t bytes) = 0;
  virtual void copyFromHost(void* dst, const void* src, size_t bytes) = 0;
  virtual void copyToHost(void* dst, const void* src, size_t bytes) = 0;
  virtual void run(const wt_op& op) = 0;  // throws Error
  virtual void synchronize() = 0;
  // Ops with at most this many output elements may run on the caller's thread when the stream
  // is idle: cheaper than a hand-off, and too short to block the event loop.
  virtual int64_t inlineElements() const = 0;
  // True when run() may return before the work ends, so a failure can surface in a later call
  // (a CUDA kernel's error at the next synchronisation); streams then hold results unconfirmed.
  virtual bool failsLate() const { return false; }
  virtual void cacheInfo(uint64_t* cachedBytes) const { *cachedBytes = 0; }
  // Frees the idle blocks the device's allocator keeps for reuse.
  virtual void releaseCache() {}
  // Frees idle blocks until at most keepBytes stay cached (all of them where the allocator cannot
  // free selectively and keepBytes is 0).
  virtual void trimCache(uint64_t keepBytes) {
    if (keepBytes == 0) releaseCache();
  }

  // Process-wide accounting for wt.memory().process: handles of every environment, and bytes of
  // every live storage (including temporaries held by queued work).
  std::atomic<int64_t> liveTensors{0};
  std::atomic<int64_t> liveBytes{0};

 private:
  std::string name_;
};

// All devices: cpu first, then plugin devices in load order.
std::vector<Device*> devices();
Device* cpuDevice();
// Threads of the CPU backend's compute pool, calling thread included (wt.numThreads()). Declared
// here so the binding never reaches into a backend; the CPU backend defines them.
int computeThreads();
void setComputeThreads(int n);
// Throws E_RANGE when the environment's settings for the CPU backend (WAVETAPE_CPU_ISA) are invalid;
// called once by the binding's init, so that a bad value fails loudly at load.
void checkComputeSettings();
// nullptr when no device has that name.
Device* findDevice(const std::string& name);

struct BackendInfo {
  std::string name;    // "cpu", "cuda", "simt"
  bool loaded;         // plugin found and initialised
  std::string path;    // plugin file, when found
  std::string reason;  // why not loaded, or why it has no devices
  std::vector<std::string> devices;
};

// Loads the cuda plugin (and the simt plugin when wantSimt) from the first directory that has
// it. Idempotent: only the first call in a process loads; later calls return the same result.
void loadPlugins(const std::vector<std::string>& dirs, bool wantSimt);
std::vector<BackendInfo> backends();

// wt.releaseCache(): every device frees its idle cached blocks.
void releaseCaches();
// After an environment is torn down: each device keeps at most as many idle bytes as the
// remaining environments hold live there, so the blocks of an exited worker are not kept forever.
void trimCachesToLive();

}  // namespace wt
