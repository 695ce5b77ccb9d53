// Force-included (-include) before every .cu compiled for the SIMT emulator: the CUDA keywords,
// built-in variables, intrinsics and the runtime-API subset wavetape uses, mapped onto host code.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

// ---- keywords ----
#define __global__
#define __device__
#define __host__
#define __constant__
#define __grid_constant__
#define __forceinline__ inline __attribute__((always_inline))
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
// Block-shared storage is per OS thread; a block's fibers share one OS thread and blocks on a thread
// run one after another. Each block start re-poisons the whole thread-local segment (see block_scheduler.cpp).
#define __shared__ static thread_local

// ---- vector types and built-in variables ----
struct uint3 {
  unsigned x, y, z;
};
struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  constexpr operator uint3() const { return {x, y, z}; }
};

#define WT_SIMT_VEC2(T, N) \
  struct __attribute__((aligned(2 * sizeof(T)))) N##2 { T x, y; }; \
  inline N##2 make_##N##2(T x, T y) { return {x, y}; }
#define WT_SIMT_VEC4(T, N) \
  struct __attribute__((aligned(sizeof(T) >= 8 ? 16 : 4 * sizeof(T)))) N##4 { T x, y, z, w; }; \
  inline N##4 make_##N##4(T x, T y, T z, T w) { return {x, y, z, w}; }
WT_SIMT_VEC2(float, float)
WT_SIMT_VEC2(double, double)
WT_SIMT_VEC2(int, int)
WT_SIMT_VEC2(unsigned, uint)
WT_SIMT_VEC4(float, float)
WT_SIMT_VEC4(double, double)
WT_SIMT_VEC4(int, int)
WT_SIMT_VEC4(unsigned, uint)
#undef WT_SIMT_VEC2
#undef WT_SIMT_VEC4
struct float3 { float x, y, z; };
struct double3 { double x, y, z; };
struct int3 { int x, y, z; };
inline uint3 make_uint3(unsigned x, unsigned y, unsigned z) { return {x, y, z}; }
inline dim3 make_dim3(unsigned x, unsigned y, unsigned z) { return {x, y, z}; }

// Set by the emulator on the worker thread before each fiber runs.
extern thread_local uint3 threadIdx;
extern thread_local uint3 blockIdx;
extern thread_local dim3 blockDim;
extern thread_local dim3 gridDim;
constexpr int warpSize = 32;

// ---- CUDA runtime API: types ----
enum cudaError_t {
  cudaSuccess = 0,
  cudaErrorInvalidValue = 1,
  cudaErrorMemoryAllocation = 2,
  cudaErrorInitializationError = 3,
  cudaErrorInvalidConfiguration = 9,
  cudaErrorInvalidDevice = 101,
  cudaErrorNoDevice = 100,
  cudaErrorInvalidResourceHandle = 400,
  cudaErrorNotReady = 600,
  cudaErrorLaunchFailure = 719
};
using cudaError = cudaError_t;

enum cudaMemcpyKind {
  cudaMemcpyHostToHost = 0,
  cudaMemcpyHostToDevice = 1,
  cudaMemcpyDeviceToHost = 2,
  cudaMemcpyDeviceToDevice = 3,
  cudaMemcpyDefault = 4
};

struct CUstream_st;
struct CUevent_st;
using cudaStream_t = CUstream_st*;
using cudaEvent_t = CUevent_st*;
constexpr unsigned cudaStreamDefault = 0x0;
constexpr unsigned cudaStreamNonBlocking = 0x1;
constexpr unsigned cudaEventDefault = 0x0;
constexpr unsigned cudaEventBlockingSync = 0x1;
constexpr unsigned cudaEventDisableTiming = 0x2;
#define cudaStreamLegacy ((cudaStream_t)0x1)
#define cudaStreamPerThread ((cudaStream_t)0x2)

struct cudaDeviceProp {
  char name[256];
  size_t totalGlobalMem;
  size_t sharedMemPerBlock;
  size_t sharedMemPerBlockOptin;
  size_t sharedMemPerMultiprocessor;
  int regsPerBlock;
  int warpSize;
  int maxThreadsPerBlock;
  int maxThreadsDim[3];
  int maxGridSize[3];
  int maxThreadsPerMultiProcessor;
  int multiProcessorCount;
  int clockRate;
  int memoryClockRate;
  int memoryBusWidth;
  int l2CacheSize;
  size_t totalConstMem;
  int major;
  int minor;
  int integrated;
  int canMapHostMemory;
  int concurrentKernels;
  int unifiedAddressing;
};

enum cudaDeviceAttr {
  cudaDevAttrMaxThreadsPerBlock = 1,
  cudaDevAttrMaxSharedMemoryPerBlock = 8,
  cudaDevAttrWarpSize = 10,
  cudaDevAttrMultiProcessorCount = 16,
  cudaDevAttrComputeCapabilityMajor = 75,
  cudaDevAttrComputeCapabilityMinor = 76,
  cudaDevAttrMaxSharedMemoryPerBlockOptin = 97
};

enum cudaFuncAttribute {
  cudaFuncAttributeMaxDynamicSharedMemorySize = 8,
  cudaFuncAttributePreferredSharedMemoryCarveout = 9
};

// ---- CUDA runtime API: functions (native/simt/runtime_api.cpp, device_memory.cpp) ----
const char* cudaGetErrorString(cudaError_t error);
const char* cudaGetErrorName(cudaError_t error);
cudaError_t cudaGetLastError();
cudaError_t cudaPeekAtLastError();
cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDevice(int* device);
cudaError_t cudaDeviceSynchronize();
cudaError_t cudaDeviceReset();
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device);
cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device);
cudaError_t cudaMemGetInfo(size_t* free, size_t* total);
cudaError_t cudaDriverGetVersion(int* version);
cudaError_t cudaRuntimeGetVersion(int* version);

cudaError_t cudaMalloc(void** ptr, size_t bytes);
cudaError_t cudaFree(void* ptr);
cudaError_t cudaMallocHost(void** ptr, size_t bytes);
cudaError_t cudaFreeHost(void* ptr);
template <class T> cudaError_t cudaMalloc(T** ptr, size_t bytes) { return cudaMalloc(reinterpret_cast<void**>(ptr), bytes); }
template <class T> cudaError_t cudaMallocHost(T** ptr, size_t bytes) {
  return cudaMallocHost(reinterpret_cast<void**>(ptr), bytes);
}
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t stream = nullptr);
cudaError_t cudaMemset(void* dst, int value, size_t bytes);
cudaError_t cudaMemsetAsync(void* dst, int value, size_t bytes, cudaStream_t stream = nullptr);
template <class T>
cudaError_t cudaMemcpyToSymbol(T& symbol, const void* src, size_t bytes, size_t offset = 0,
                               cudaMemcpyKind kind = cudaMemcpyHostToDevice) {
  if (offset + bytes > sizeof(T)) return cudaErrorInvalidValue;
  std::memcpy(reinterpret_cast<char*>(&symbol) + offset, src, bytes);
  return cudaSuccess;
}
template <class T>
cudaError_t cudaMemcpyFromSymbol(void* dst, const T& symbol, size_t bytes, size_t offset = 0,
                                 cudaMemcpyKind kind = cudaMemcpyDeviceToHost) {
  if (offset + bytes > sizeof(T)) return cudaErrorInvalidValue;
  std::memcpy(dst, reinterpret_cast<const char*>(&symbol) + offset, bytes);
  return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t* stream);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
cudaError_t cudaStreamQuery(cudaStream_t stream);
cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned flags = 0);
cudaError_t cudaEventCreate(cudaEvent_t* event);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned flags);
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream = nullptr);
cudaError_t cudaEventSynchronize(cudaEvent_t event);
cudaError_t cudaEventQuery(cudaEvent_t event);
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end);
cudaError_t cudaEventDestroy(cudaEvent_t event);

namespace wt {
namespace simt {
namespace detail {
cudaError_t setMaxDynamicSharedMemory(const void* kernel, int bytes);
}
}  // namespace simt
}  // namespace wt
template <class T> cudaError_t cudaFuncSetAttribute(T* kernel, cudaFuncAttribute attr, int value) {
  if (attr == cudaFuncAttributeMaxDynamicSharedMemorySize)
    return wt::simt::detail::setMaxDynamicSharedMemory(reinterpret_cast<const void*>(kernel), value);
  return cudaSuccess;
}

// ---- the emulator's launch interface (native/simt/launch.cpp) ----
namespace wt {
namespace simt {

// Why the last launch on this host thread failed (kernel, block, thread, cause); "" after a success.
const char* lastLaunchError();
// The running block's dynamic shared memory (poisoned at block start); WT_DYNAMIC_SMEM wraps it.
void* dynamicSharedMemory();

namespace detail {
struct KernelCall {
  void (*invoke)(const void* bound);
  const void* bound;
};
cudaError_t launchKernel(const char* name, const void* kernel, dim3 grid, dim3 block, size_t dynamicSmemBytes,
                         cudaStream_t stream, KernelCall call);
template <class Fn, class Params>
struct BoundKernel {
  Fn fn;
  Params params;
  static void invoke(const void* self) {
    auto* b = static_cast<const BoundKernel*>(self);
    std::apply(b->fn, b->params);
  }
};
}  // namespace detail

// Runs every block of `kernel` (each CUDA thread a fiber) and checks the bug detectors; on failure
// returns the error and lastLaunchError() says what went wrong where.
template <class... KArgs, class... Args>
cudaError_t launch(const char* name, void (*kernel)(KArgs...), dim3 grid, dim3 block, size_t dynamicSmemBytes,
                   cudaStream_t stream, Args&&... args) {
  static_assert(sizeof...(KArgs) == sizeof...(Args), "wt::simt::launch: argument count differs from the kernel's");
  using Params = std::tuple<std::decay_t<KArgs>...>;
  const detail::BoundKernel<void (*)(KArgs...), Params> bound{kernel, Params(std::forward<Args>(args)...)};
  return detail::launchKernel(name, reinterpret_cast<const void*>(kernel), grid, block, dynamicSmemBytes, stream,
                              {&decltype(bound)::invoke, &bound});
}

// ---- synchronisation points (native/simt/block_scheduler.cpp) ----
namespace detail {
enum class WarpOp : int {
  kSync, kShflIdx, kShflUp, kShflDown, kShflXor, kBallot, kMatchAny, kMatchAll,
  kReduceAddU, kReduceMinU, kReduceMaxU, kReduceAddI, kReduceMinI, kReduceMaxI
};
struct WarpResult {
  uint64_t bits;
  bool flag;
};
void syncThreads(int kind, int predicate, int* out, const char* file, int line);
WarpResult warpExchange(WarpOp op, unsigned mask, uint64_t bits, int arg, int width, const char* file, int line);
unsigned activeMask();
void yieldFiber();

template <class T> uint64_t toBits(T v) {
  static_assert(std::is_arithmetic<T>::value && sizeof(T) <= 8, "warp intrinsics exchange arithmetic values");
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  return bits;
}
template <class T> T fromBits(uint64_t bits) {
  T v;
  std::memcpy(&v, &bits, sizeof(T));
  return v;
}
}  // namespace detail
}  // namespace simt
}  // namespace wt

// ---- barriers and warp intrinsics: each records its call site, so divergence can be named ----
inline void __syncthreads(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  wt::simt::detail::syncThreads(0, 0, nullptr, file, line);
}
inline int __syncthreads_count(int pred, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  int out = 0;
  wt::simt::detail::syncThreads(1, pred != 0, &out, file, line);
  return out;
}
inline int __syncthreads_and(int pred, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  int out = 0;
  wt::simt::detail::syncThreads(2, pred != 0, &out, file, line);
  return out;
}
inline int __syncthreads_or(int pred, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  int out = 0;
  wt::simt::detail::syncThreads(3, pred != 0, &out, file, line);
  return out;
}
inline void __syncwarp(unsigned mask = 0xffffffffu, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  wt::simt::detail::warpExchange(wt::simt::detail::WarpOp::kSync, mask, 0, 0, warpSize, file, line);
}

#define WT_SIMT_SHFL(fn, op)                                                                                  \
  template <class T>                                                                                         \
  inline T fn(unsigned mask, T var, int arg, int width = warpSize, const char* file = __builtin_FILE(),      \
              int line = __builtin_LINE()) {                                                                 \
    using namespace wt::simt::detail;                                                                        \
    return fromBits<T>(warpExchange(WarpOp::op, mask, toBits(var), arg, width, file, line).bits);           \
  }
WT_SIMT_SHFL(__shfl_sync, kShflIdx)
WT_SIMT_SHFL(__shfl_up_sync, kShflUp)
WT_SIMT_SHFL(__shfl_down_sync, kShflDown)
WT_SIMT_SHFL(__shfl_xor_sync, kShflXor)
#undef WT_SIMT_SHFL

inline unsigned __ballot_sync(unsigned mask, int pred, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  using namespace wt::simt::detail;
  return static_cast<unsigned>(warpExchange(WarpOp::kBallot, mask, pred != 0, 0, warpSize, file, line).bits);
}
inline int __any_sync(unsigned mask, int pred, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  return __ballot_sync(mask, pred, file, line) != 0;
}
inline int __all_sync(unsigned mask, int pred, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  return __ballot_sync(mask, pred, file, line) == mask;
}
inline unsigned __activemask() { return wt::simt::detail::activeMask(); }
template <class T>
inline unsigned __match_any_sync(unsigned mask, T value, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  using namespace wt::simt::detail;
  return static_cast<unsigned>(warpExchange(WarpOp::kMatchAny, mask, toBits(value), 0, warpSize, file, line).bits);
}
template <class T>
inline unsigned __match_all_sync(unsigned mask, T value, int* pred, const char* file = __builtin_FILE(),
                                 int line = __builtin_LINE()) {
  using namespace wt::simt::detail;
  const WarpResult r = warpExchange(WarpOp::kMatchAll, mask, toBits(value), 0, warpSize, file, line);
  *pred = r.flag;
  return static_cast<unsigned>(r.bits);
}
#define WT_SIMT_REDUCE(fn, T, op)                                                                              \
  inline T fn(unsigned mask, T value, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {     \
    using namespace wt::simt::detail;                                                                         \
    return fromBits<T>(warpExchange(WarpOp::op, mask, toBits(value), 0, warpSize, file, line).bits);         \
  }
WT_SIMT_REDUCE(__reduce_add_sync, unsigned, kReduceAddU)
WT_SIMT_REDUCE(__reduce_min_sync, unsigned, kReduceMinU)
WT_SIMT_REDUCE(__reduce_max_sync, unsigned, kReduceMaxU)
WT_SIMT_REDUCE(__reduce_add_sync, int, kReduceAddI)
WT_SIMT_REDUCE(__reduce_min_sync, int, kReduceMinI)
WT_SIMT_REDUCE(__reduce_max_sync, int, kReduceMaxI)
#undef WT_SIMT_REDUCE

// Fences also let other fibers run, so spin-waits on flags written by other threads make progress.
inline void __threadfence() {
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  wt::simt::detail::yieldFiber();
}
inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __nanosleep(unsigned) { wt::simt::detail::yieldFiber(); }

// ---- bit manipulation ----
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __ffsll(long long x) { return __builtin_ffsll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
inline int __clzll(long long x) { return x == 0 ? 64 : __builtin_clzll(static_cast<unsigned long long>(x)); }
inline unsigned __brev(unsigned x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  return __builtin_bswap32(x);
}
inline float __int_as_float(int x) { return wt::simt::detail::fromBits<float>(static_cast<uint32_t>(x)); }
inline int __float_as_int(float x) { return static_cast<int>(wt::simt::detail::toBits(x)); }
inline unsigned __float_as_uint(float x) { return static_cast<unsigned>(wt::simt::detail::toBits(x)); }
inline float __uint_as_float(unsigned x) { return wt::simt::detail::fromBits<float>(x); }
inline double __longlong_as_double(long long x) {
  return wt::simt::detail::fromBits<double>(static_cast<uint64_t>(x));
}
inline long long __double_as_longlong(double x) { return static_cast<long long>(wt::simt::detail::toBits(x)); }

// ---- atomics (GCC builtins: blocks run in parallel on several OS threads) ----
#define WT_SIMT_ATOMIC_INT(T)                                                                                  \
  inline T atomicAdd(T* p, T v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }                        \
  inline T atomicSub(T* p, T v) { return __atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST); }                        \
  inline T atomicAnd(T* p, T v) { return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); }                        \
  inline T atomicOr(T* p, T v) { return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); }                          \
  inline T atomicXor(T* p, T v) { return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); }                        \
  inline T atomicMax(T* p, T v) {                                                                             \
    T old = __atomic_load_n(p, __ATOMIC_SEQ_CST);                                                             \
    while (old < v && !__atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {  \
    }                                                                                                         \
    return old;                                                                                               \
  }                                                                                                           \
  inline T atomicMin(T* p, T v) {                                                                             \
    T old = __atomic_load_n(p, __ATOMIC_SEQ_CST);                                                             \
    while (v < old && !__atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {  \
    }                                                                                                         \
    return old;                                                                                               \
  }                                                                                                           \
  inline T atomicExch(T* p, T v) {                                                                            \
    wt::simt::detail::yieldFiber();                                                                           \
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);                                                       \
  }                                                                                                           \
  inline T atomicCAS(T* p, T compare, T v) {                                                                  \
    wt::simt::detail::yieldFiber();                                                                           \
    __atomic_compare_exchange_n(p, &compare, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                   \
    return compare;                                                                                           \
  }
WT_SIMT_ATOMIC_INT(int)
WT_SIMT_ATOMIC_INT(unsigned)
WT_SIMT_ATOMIC_INT(long long)
WT_SIMT_ATOMIC_INT(unsigned long long)
#undef WT_SIMT_ATOMIC_INT

namespace wt {
namespace simt {
namespace detail {
template <class F, class Op> F atomicFloatUpdate(F* p, Op op) {
  using Bits = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;
  Bits* bp = reinterpret_cast<Bits*>(p);
  Bits old = __atomic_load_n(bp, __ATOMIC_SEQ_CST);
  for (;;) {
    const F next = op(fromBits<F>(old));
    Bits nb;
    std::memcpy(&nb, &next, sizeof nb);
    if (__atomic_compare_exchange_n(bp, &old, nb, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return fromBits<F>(old);
  }
}
}  // namespace detail
}  // namespace simt
}  // namespace wt
inline float atomicAdd(float* p, float v) {
  return wt::simt::detail::atomicFloatUpdate(p, [v](float x) { return x + v; });
}
inline double atomicAdd(double* p, double v) {
  return wt::simt::detail::atomicFloatUpdate(p, [v](double x) { return x + v; });
}
inline float atomicExch(float* p, float v) {
  wt::simt::detail::yieldFiber();
  return __int_as_float(__atomic_exchange_n(reinterpret_cast<int*>(p), __float_as_int(v), __ATOMIC_SEQ_CST));
}
inline unsigned atomicInc(unsigned* p, unsigned limit) {
  unsigned old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
  while (!__atomic_compare_exchange_n(p, &old, old >= limit ? 0u : old + 1, false, __ATOMIC_SEQ_CST,
                                      __ATOMIC_SEQ_CST)) {
  }
  return old;
}
inline unsigned atomicDec(unsigned* p, unsigned limit) {
  unsigned old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
  while (!__atomic_compare_exchange_n(p, &old, (old == 0 || old > limit) ? limit : old - 1, false, __ATOMIC_SEQ_CST,
                                      __ATOMIC_SEQ_CST)) {
  }
  return old;
}

// ---- loads and math intrinsics, mapped onto host libm ----
template <class T> inline T __ldg(const T* p) { return *p; }
template <class T> inline T __ldcs(const T* p) { return *p; }
template <class T> inline void __stcs(T* p, T v) { *p = v; }

inline float __expf(float x) { return expf(x); }
inline float __exp10f(float x) { return powf(10.0f, x); }
inline float __logf(float x) { return logf(x); }
inline float __log2f(float x) { return log2f(x); }
inline float __log10f(float x) { return log10f(x); }
inline float __sinf(float x) { return sinf(x); }
inline float __cosf(float x) { return cosf(x); }
inline float __tanf(float x) { return tanf(x); }
inline float __powf(float x, float y) { return powf(x, y); }
inline void __sincosf(float x, float* s, float* c) { *s = sinf(x); *c = cosf(x); }
inline float __fdividef(float x, float y) { return x / y; }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline float __fsqrt_rn(float x) { return sqrtf(x); }
inline float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }
inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
inline double __fma_rn(double a, double b, double c) { return fma(a, b, c); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __drcp_rn(double x) { return 1.0 / x; }
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }
inline float rcbrtf(float x) { return 1.0f / cbrtf(x); }
inline double rcbrt(double x) { return 1.0 / cbrt(x); }
// sin(pi x) and cos(pi x) as CUDA computes them: the argument is reduced exactly to |r| <= 1/4 around
// a multiple of 1/2, so integers and half-integers give exact zeros and ones (sin(M_PI * x) does not).
namespace wt {
namespace simt {
namespace detail {
inline void sinCosPi(double x, double* s, double* c) {
  const double n = std::nearbyint(2.0 * x);  // 2x and x - n/2 are exact in double
  const double r = x - 0.5 * n;
  const double sr = r == 0.0 ? std::copysign(0.0, x) : std::sin(M_PI * r), cr = std::cos(M_PI * r);
  switch (static_cast<int>(std::fmod(std::fabs(n), 4.0)) * (n < 0 ? -1 : 1) & 3) {
    case 0: *s = sr; *c = cr; break;
    case 1: *s = cr; *c = -sr; break;
    case 2: *s = -sr; *c = -cr; break;
    default: *s = -cr; *c = sr; break;
  }
}
}  // namespace detail
}  // namespace simt
}  // namespace wt
inline void sincospi(double x, double* s, double* c) { wt::simt::detail::sinCosPi(x, s, c); }
inline void sincospif(float x, float* s, float* c) {
  double sd, cd;
  wt::simt::detail::sinCosPi(x, &sd, &cd);
  *s = static_cast<float>(sd);
  *c = static_cast<float>(cd);
}
// glibc 2.41 added the C23 sinpi/cospi family; older C libraries need these.
#if !(defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 41)))
inline double sinpi(double x) {
  double s, c;
  sincospi(x, &s, &c);
  return s;
}
inline double cospi(double x) {
  double s, c;
  sincospi(x, &s, &c);
  return c;
}
inline float sinpif(float x) { return static_cast<float>(sinpi(x)); }
inline float cospif(float x) { return static_cast<float>(cospi(x)); }
#endif
inline int __float2int_rn(float x) { return static_cast<int>(nearbyintf(x)); }
inline int __float2int_rz(float x) { return static_cast<int>(x); }
inline int __double2int_rn(double x) { return static_cast<int>(nearbyint(x)); }
inline int __mul24(int a, int b) { return a * b; }
inline unsigned __umul24(unsigned a, unsigned b) { return a * b; }
inline int __mulhi(int a, int b) { return static_cast<int>((static_cast<long long>(a) * b) >> 32); }
inline unsigned __umulhi(unsigned a, unsigned b) {
  return static_cast<unsigned>((static_cast<unsigned long long>(a) * b) >> 32);
}
// CUDA's global min/max overloads, for any pair of arithmetic types.
template <class A, class B, class = std::enable_if_t<std::is_arithmetic<A>::value && std::is_arithmetic<B>::value>>
inline std::common_type_t<A, B> min(A a, B b) {
  using C = std::common_type_t<A, B>;
  return static_cast<C>(b) < static_cast<C>(a) ? static_cast<C>(b) : static_cast<C>(a);
}
template <class A, class B, class = std::enable_if_t<std::is_arithmetic<A>::value && std::is_arithmetic<B>::value>>
inline std::common_type_t<A, B> max(A a, B b) {
  using C = std::common_type_t<A, B>;
  return static_cast<C>(a) < static_cast<C>(b) ? static_cast<C>(b) : static_cast<C>(a);
}
