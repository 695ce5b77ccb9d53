// Non-temporal output for large elementwise ops. A streaming op's output is not read again
// before it leaves the cache, so writing it through the cache costs a read-for-ownership per
// line: 4 bytes moved for every 3 of a float32 add. Runs are computed into a small L1-resident
// buffer and copied out with SSE2 streaming stores (part of x86-64-v2), which write whole lines
// without reading them.
#pragma once
#include <emmintrin.h>

#include <cstdint>
#include <cstring>

namespace wt {
namespace cpu {

// Outputs at least this large are written with streaming stores (well past any core's L2, and a
// sizeable share of a shared L3, so the data would be evicted before anyone reads it).
constexpr int64_t kStreamingOutputBytes = int64_t(8) << 20;

// Writes dst[0, n) as fill(buffer, first, count) produces it: fill computes elements
// [first, first + count) of the run into buffer. Plain stores when !streaming.
template <class T, class Fill>
inline void writeRun(T* dst, int64_t n, bool streaming, const Fill& fill) {
  if (!streaming || sizeof(T) > 16 || 16 % sizeof(T) != 0) {
    fill(dst, 0, n);
    return;
  }
  constexpr int64_t kChunk = 4096 / sizeof(T);
  alignas(64) T buffer[kChunk];
  int64_t j = 0;
  // Head: plain stores up to the first 16-byte boundary.
  const int64_t misaligned = int64_t(reinterpret_cast<uintptr_t>(dst) % 16);
  if (misaligned % sizeof(T) != 0) {
    fill(dst, 0, n);
    return;
  }
  if (misaligned != 0) {
    const int64_t head = (16 - misaligned) / int64_t(sizeof(T));
    j = head < n ? head : n;
    fill(dst, 0, j);
  }
  constexpr int64_t kPerVector = 16 / sizeof(T);
  while (n - j >= kPerVector) {
    int64_t count = n - j < kChunk ? n - j : kChunk;
    count -= count % kPerVector;
    fill(buffer, j, count);
    const char* src = reinterpret_cast<const char*>(buffer);
    char* out = reinterpret_cast<char*>(dst + j);
    for (int64_t k = 0; k < count * int64_t(sizeof(T)); k += 16)
      _mm_stream_si128(reinterpret_cast<__m128i*>(out + k), _mm_load_si128(reinterpret_cast<const __m128i*>(src + k)));
    j += count;
  }
  if (j < n) fill(dst + j, j, n - j);
  _mm_sfence();  // streaming stores are weakly ordered: publish them before the op completes
}

}  // namespace cpu
}  // namespace wt
