// Kernel launches: validates the configuration, runs the blocks on a small pool of worker threads,
// then checks the guard zones of every live device allocation and reports the first failure.
#include <algorithm>
#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "simt_internal.h"

namespace wt {
namespace simt {
namespace detail {
namespace {

constexpr size_t kDefaultDynamicSmem = 48 * 1024;  // above this a GPU needs cudaFuncSetAttribute
constexpr size_t kMaxDynamicSmem = 227 * 1024;     // the sm_90 opt-in limit
constexpr uint64_t kDefaultSeed = 1;

thread_local char t_lastLaunchError[1024];

struct Job {
  const LaunchPlan* plan;
  unsigned blocks;
  std::atomic<unsigned> next{0};
  std::atomic<bool> abort{false};
  std::mutex mutex;
  unsigned failedBlock = UINT_MAX;  // the lowest failing block wins, so reports do not depend on timing
  std::string error;

  void fail(unsigned block, const std::string& why) {
    std::lock_guard<std::mutex> lock(mutex);
    if (block < failedBlock) {
      failedBlock = block;
      error = why;
    }
    abort = true;
  }
};

// Worker threads that run nothing but blocks: their thread-local storage is poisoned at every block
// start, which would clobber the state of any other code sharing the thread.
class WorkerPool {
 public:
  WorkerPool() {
    const unsigned n = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { loop(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  void run(Job& job) {
    std::unique_lock<std::mutex> lock(mutex_);
    job_ = &job;
    busy_ = unsigned(threads_.size());
    ++generation_;
    wake_.notify_all();
    done_.wait(lock, [&] { return busy_ == 0; });
  }

 private:
  void loop() {
    std::string initError;
    BlockScheduler* scheduler = createBlockScheduler(&initError);
    uint64_t seen = 0;
    for (;;) {
      Job* job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) break;
        seen = generation_;
        job = job_;
      }
      for (unsigned b; !job->abort && (b = job->next++) < job->blocks;) {
        std::string why = initError;
        if (!scheduler || !runBlock(scheduler, *job->plan, b, &why)) job->fail(b, why);
      }
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_ == 0) done_.notify_all();
    }
    destroyBlockScheduler(scheduler);
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  Job* job_ = nullptr;
  unsigned busy_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

std::mutex g_attributeMutex;
std::map<const void*, size_t> g_maxDynamicSmem;

uint64_t baseSeed() {
  static const uint64_t seed = [] {
    const char* env = std::getenv("WAVETAPE_SIMT_SEED");
    return env && *env ? std::strtoull(env, nullptr, 0) : kDefaultSeed;
  }();
  return seed;
}

std::string configurationError(const void* kernel, dim3 grid, dim3 block, size_t smem) {
  const auto str = [](dim3 d) {
    return "(" + std::to_string(d.x) + "," + std::to_string(d.y) + "," + std::to_string(d.z) + ")";
  };
  if (grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535)
    return "invalid grid " + str(grid);
  const unsigned long long threads = 1ull * block.x * block.y * block.z;
  if (threads == 0 || threads > 1024 || block.x > 1024 || block.y > 1024 || block.z > 64)
    return "invalid block " + str(block) + " (at most 1024 threads, z at most 64)";
  if (1ull * grid.x * grid.y * grid.z > UINT_MAX) return "grid " + str(grid) + " has too many blocks to emulate";
  if (smem > kDefaultDynamicSmem) {
    std::lock_guard<std::mutex> lock(g_attributeMutex);
    const auto it = g_maxDynamicSmem.find(kernel);
    if (it == g_maxDynamicSmem.end() || it->second < smem)
      return std::to_string(smem) + " bytes of dynamic shared memory need cudaFuncSetAttribute(kernel, "
             "cudaFuncAttributeMaxDynamicSharedMemorySize, " + std::to_string(smem) + ") first, as on a GPU";
  }
  return "";
}

void setLaunchError(const std::string& why) { std::snprintf(t_lastLaunchError, sizeof t_lastLaunchError, "%s", why.c_str()); }

}  // namespace

cudaError_t setMaxDynamicSharedMemory(const void* kernel, int bytes) {
  if (bytes < 0 || size_t(bytes) > kMaxDynamicSmem) return cudaErrorInvalidValue;
  std::lock_guard<std::mutex> lock(g_attributeMutex);
  g_maxDynamicSmem[kernel] = size_t(bytes);
  return cudaSuccess;
}

cudaError_t launchKernel(const char* name, const void* kernel, dim3 grid, dim3 block, size_t dynamicSmemBytes,
                         cudaStream_t, KernelCall call) {
  // One emulated device: launches run one at a time, so a corrupted guard is blamed on the right kernel.
  static std::mutex launchMutex;
  static uint64_t launches = 0;
  std::lock_guard<std::mutex> lock(launchMutex);

  const std::string invalid = configurationError(kernel, grid, block, dynamicSmemBytes);
  if (!invalid.empty()) {
    setLaunchError(std::string(name) + ": " + invalid);
    setLastError(cudaErrorInvalidConfiguration);
    return cudaErrorInvalidConfiguration;
  }

  uint64_t seedState = baseSeed() + 0x9E3779B97F4A7C15ull * ++launches;
  const LaunchPlan plan{name, grid, block, dynamicSmemBytes, call, seedState ^ (seedState >> 29)};
  Job job;
  job.plan = &plan;
  job.blocks = grid.x * grid.y * grid.z;
  static WorkerPool pool;
  pool.run(job);

  std::string why = job.error;
  if (!why.empty()) why += " [WAVETAPE_SIMT_SEED=" + std::to_string(baseSeed()) + "]";
  const std::string guards = checkGuardZones();
  if (!guards.empty()) why += (why.empty() ? "" : "; ") + guards;
  if (why.empty()) {
    t_lastLaunchError[0] = '\0';
    return cudaSuccess;
  }
  setLaunchError(std::string(name) + ": " + why);
  setLastError(cudaErrorLaunchFailure);
  return cudaErrorLaunchFailure;
}

}  // namespace detail

const char* lastLaunchError() { return detail::t_lastLaunchError; }

}  // namespace simt
}  // namespace wt
