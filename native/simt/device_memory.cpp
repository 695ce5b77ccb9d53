// Emulated device memory: cudaMalloc'd blocks wrapped in guard zones (checked after every launch),
// host copies and fills that refuse to run past an allocation, and pinned host memory.
#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>

#include "simt_internal.h"

namespace wt {
namespace simt {
namespace detail {
namespace {

constexpr size_t kGuardBytes = 256;     // before and (at least) after every allocation
constexpr size_t kAlign = 256;          // cudaMalloc's alignment guarantee
constexpr unsigned char kGuardByte = 0xCD;
constexpr unsigned char kFreshByte = 0xFF;  // new allocations read as NaN until written

struct Allocation {
  uint64_t id;
  size_t bytes;
  unsigned char* raw;
  size_t rawBytes;
  unsigned char* user() const { return raw + kGuardBytes; }
};

std::mutex g_mutex;
std::map<uintptr_t, Allocation> g_live;  // by user address
std::set<void*> g_pinned;
uint64_t g_nextId = 1;
size_t g_liveBytes = 0;

// The allocation whose guarded extent contains p, or nullptr.
const Allocation* owner(const void* p) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  auto it = g_live.upper_bound(a + kGuardBytes);
  if (it == g_live.begin()) return nullptr;
  --it;
  const Allocation& al = it->second;
  const uintptr_t raw = reinterpret_cast<uintptr_t>(al.raw);
  return a >= raw && a < raw + al.rawBytes ? &al : nullptr;
}

// A device-side range must lie inside its allocation's usable bytes (pointers outside every allocation,
// such as pinned host memory under unified addressing, are not checked).
bool rangeOk(const void* p, size_t bytes) {
  std::lock_guard<std::mutex> lock(g_mutex);
  const Allocation* al = owner(p);
  if (!al) return true;
  const auto* c = static_cast<const unsigned char*>(p);
  return c >= al->user() && bytes <= size_t(al->user() + al->bytes - c);
}

bool copyRangesOk(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
  const bool dstDevice = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice || kind == cudaMemcpyDefault;
  const bool srcDevice = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice || kind == cudaMemcpyDefault;
  return (!dstDevice || rangeOk(dst, bytes)) && (!srcDevice || rangeOk(src, bytes));
}

std::string describe(const Allocation& al) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "allocation #%" PRIu64 " (%zu bytes at %p)", al.id, al.bytes,
                static_cast<void*>(al.user()));
  return buf;
}

}  // namespace

std::string checkGuardZones() {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::string report;
  for (auto& entry : g_live) {
    Allocation& al = entry.second;
    unsigned char* front = al.raw;
    unsigned char* back = al.user() + al.bytes;
    const size_t backBytes = al.rawBytes - kGuardBytes - al.bytes;
    // Distances of the corrupted bytes nearest the allocation: 1 = the byte just before it, 0 = one past its end.
    size_t before = 0, after = backBytes;
    for (size_t i = kGuardBytes; i-- > 0 && before == 0;)
      if (front[i] != kGuardByte) before = kGuardBytes - i;
    for (size_t i = 0; i < backBytes && after == backBytes; ++i)
      if (back[i] != kGuardByte) after = i;
    if (before == 0 && after == backBytes) continue;
    if (report.empty()) {
      report = "a store outside " + describe(al) + " overwrote";
      if (after < backBytes) report += " byte " + std::to_string(after) + " past its end";
      if (after < backBytes && before > 0) report += " and";
      if (before > 0) report += " byte " + std::to_string(before) + " before its start";
    }
    // Re-arm, so each corruption is reported once, by the launch that made it.
    std::memset(front, kGuardByte, kGuardBytes);
    std::memset(back, kGuardByte, backBytes);
  }
  return report;
}

}  // namespace detail
}  // namespace simt
}  // namespace wt

cudaError_t cudaMalloc(void** ptr, size_t bytes) {
  using namespace wt::simt::detail;
  if (!ptr) return cudaErrorInvalidValue;
  *ptr = nullptr;
  if (bytes == 0) return cudaSuccess;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (bytes > kDeviceCapacity - g_liveBytes) return cudaErrorMemoryAllocation;
  const size_t rawBytes = kGuardBytes + (bytes + kAlign - 1) / kAlign * kAlign + kGuardBytes;
  auto* raw = static_cast<unsigned char*>(std::aligned_alloc(kAlign, rawBytes));
  if (!raw) return cudaErrorMemoryAllocation;
  const Allocation al{g_nextId++, bytes, raw, rawBytes};
  std::memset(raw, kGuardByte, kGuardBytes);
  std::memset(al.user(), kFreshByte, bytes);
  std::memset(al.user() + bytes, kGuardByte, rawBytes - kGuardBytes - bytes);
  g_live.emplace(reinterpret_cast<uintptr_t>(al.user()), al);
  g_liveBytes += bytes;
  *ptr = al.user();
  return cudaSuccess;
}

cudaError_t cudaFree(void* ptr) {
  using namespace wt::simt::detail;
  if (!ptr) return cudaSuccess;
  std::lock_guard<std::mutex> lock(g_mutex);
  const auto it = g_live.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == g_live.end()) return cudaErrorInvalidValue;
  g_liveBytes -= it->second.bytes;
  std::free(it->second.raw);
  g_live.erase(it);
  return cudaSuccess;
}

cudaError_t cudaMallocHost(void** ptr, size_t bytes) {
  using namespace wt::simt::detail;
  if (!ptr) return cudaErrorInvalidValue;
  *ptr = std::aligned_alloc(kAlign, (std::max<size_t>(bytes, 1) + kAlign - 1) / kAlign * kAlign);
  if (!*ptr) return cudaErrorMemoryAllocation;
  std::lock_guard<std::mutex> lock(g_mutex);
  g_pinned.insert(*ptr);
  return cudaSuccess;
}

cudaError_t cudaFreeHost(void* ptr) {
  using namespace wt::simt::detail;
  if (!ptr) return cudaSuccess;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_pinned.erase(ptr) == 0) return cudaErrorInvalidValue;
  std::free(ptr);
  return cudaSuccess;
}

cudaError_t cudaMemGetInfo(size_t* free, size_t* total) {
  using namespace wt::simt::detail;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (free) *free = kDeviceCapacity - g_liveBytes;
  if (total) *total = kDeviceCapacity;
  return cudaSuccess;
}

// Streams run their work at submission, so the asynchronous forms are the synchronous ones.
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
  if (bytes == 0) return cudaSuccess;
  if (!dst || !src || kind < cudaMemcpyHostToHost || kind > cudaMemcpyDefault ||
      !wt::simt::detail::copyRangesOk(dst, src, bytes, kind)) {
    wt::simt::detail::setLastError(cudaErrorInvalidValue);
    return cudaErrorInvalidValue;
  }
  std::memmove(dst, src, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t) {
  return cudaMemcpy(dst, src, bytes, kind);
}

cudaError_t cudaMemset(void* dst, int value, size_t bytes) {
  if (bytes == 0) return cudaSuccess;
  if (!dst || !wt::simt::detail::rangeOk(dst, bytes)) {
    wt::simt::detail::setLastError(cudaErrorInvalidValue);
    return cudaErrorInvalidValue;
  }
  std::memset(dst, value, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemsetAsync(void* dst, int value, size_t bytes, cudaStream_t) { return cudaMemset(dst, value, bytes); }
