// Non-temporal output for large streaming ops (elementwise, the trust-region steps). Such an op's
// output is not read again before it leaves the cache, so writing it through the cache costs a
// read-for-ownership per line: 4 bytes moved for every 3 of a float32 add. Runs are computed into a
// small L1-resident buffer and copied out with SSE2 streaming stores (part of x86-64-v2), which
// write whole lines without reading them.
#pragma once
#include <emmintrin.h>

#include <cstdint>
#include <cstring>

namespace wt {
namespace cpu {

// Outputs at least this large are written with streaming stores (well past any core's L2, and a
// sizeable share of a shared L3, so the data would be evicted before anyone reads it).
constexpr int64_t kStreamingOutputBytes = int64_t(8) << 20;

// Copies src[0, n) to dst: streaming stores from dst's first 16-byte boundary on, plain stores for
// the head before it and the tail after the last whole vector. The caller fences (_mm_sfence) once
// its run is done: streaming stores are weakly ordered.
template <class T>
inline void streamCopy(T* dst, const T* src, int64_t n) {
  static_assert(sizeof(T) <= 16 && 16 % sizeof(T) == 0, "whole elements per vector");
  constexpr int64_t kPerVector = 16 / sizeof(T);
  const int64_t misaligned = int64_t(reinterpret_cast<uintptr_t>(dst) % 16);
  if (misaligned % sizeof(T) != 0) {  // no 16-byte boundary falls between elements
    memcpy(dst, src, size_t(n) * sizeof(T));
    return;
  }
  int64_t j = misaligned == 0 ? 0 : (16 - misaligned) / int64_t(sizeof(T));
  j = j < n ? j : n;
  for (int64_t i = 0; i < j; ++i) dst[i] = src[i];
  for (; j + kPerVector <= n; j += kPerVector)
    _mm_stream_si128(reinterpret_cast<__m128i*>(dst + j), _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + j)));
  for (; j < n; ++j) dst[j] = src[j];
}

// Elements of a run computed into an L1-resident buffer before streamCopy moves them out.
template <class T>
constexpr int64_t kStreamChunk = 4096 / int64_t(sizeof(T));

// Writes dst[0, n) as fill(buffer, first, count) produces it: fill computes elements
// [first, first + count) of the run into buffer. Plain stores when !streaming. The caller fences
// (_mm_sfence) once its streaming runs are done (writeRun: this run).
template <class T, class Fill>
inline void writeRunUnfenced(T* dst, int64_t n, bool streaming, const Fill& fill) {
  if constexpr (sizeof(T) > 16 || 16 % sizeof(T) != 0) {
    fill(dst, 0, n);
  } else {
    if (!streaming) {
      fill(dst, 0, n);
      return;
    }
    alignas(64) T buffer[kStreamChunk<T>];
    for (int64_t j = 0; j < n; j += kStreamChunk<T>) {
      const int64_t count = n - j < kStreamChunk<T> ? n - j : kStreamChunk<T>;
      fill(buffer, j, count);
      streamCopy(dst + j, buffer, count);
    }
  }
}
template <class T, class Fill>
inline void writeRun(T* dst, int64_t n, bool streaming, const Fill& fill) {
  writeRunUnfenced(dst, n, streaming, fill);
  if (streaming) _mm_sfence();
}

}  // namespace cpu
}  // namespace wt
