// Transposed planes on the CPU: an output dense along its innermost dimension A and an operand dense
// along another dimension B (e.g. a swapped-axes view). Run along A, such an operand touches a new
// cache line — and, with long strides, a new page — per element (≈ 10× a plain copy, ≈ 14× a plain
// add at 4096² float32). The transposing copy (copy_strided.cpp) and the elementwise ops
// (elementwise.cpp) instead walk the (A, B) plane in blocks (forPlaneBlocks), transposing in tiles
// whose elements stay in L1 (transposeTile).
#pragma once
#include <emmintrin.h>
#include <xmmintrin.h>

#include <cstring>
#include <type_traits>

#include "dispatch.h"
#include "streaming_store.h"
#include "strided_loop.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {

template <class To, class From>
inline To convert(From x) {
  if constexpr (is_cplx<To>::value && is_cplx<From>::value) {
    using R = typename real_of<To>::type;
    return To{(R)x.re, (R)x.im};
  } else if constexpr (is_cplx<To>::value) {
    using R = typename real_of<To>::type;
    return To{(R)x, R(0)};
  } else if constexpr (is_cplx<From>::value) {
    return (To)x.re;  // core never asks for this; defined for completeness of the template
  } else {
    return (To)x;
  }
}

// One T×T tile (or less, at the plane's edges) of a transposing copy: out[b·oB + a] = in[a·xA + b]
// for a in [0, na), b in [0, nb). The tile is gathered into an L1 buffer in output order — reading
// each input row's part in one go; 4-byte elements in sides a multiple of 4 as bits, in 4×4 blocks
// through SSE registers (the baseline ISA) — and written out a row at a time, so each output row's
// part is written in one go: stored straight from the input's order, an output line would take many
// partial writes, with the tile's other rows (which share its L1 set when the row stride is a power
// of two) evicting it in between. `streaming`: the rows go out with streaming stores (whole lines,
// no read for ownership; the caller fences). With plain stores a 4096×4096 float32 transpose ran
// at a third of the copy's rate, every output line read, evicted and written back; streaming, at
// the copy's.
constexpr int64_t kTile = 32;  // a tile's side
template <class To, class From>
inline void transposeTile(To* o, int64_t oB, const From* x, int64_t xA, int64_t na, int64_t nb, bool streaming) {
  constexpr int64_t T = kTile;
  alignas(64) To tile[T * T];  // tile[b·T + a]
  bool gathered = false;
  if constexpr (sizeof(To) == 4 && std::is_same<To, From>::value) {
    if (na % 4 == 0 && nb % 4 == 0) {
      const float* src = reinterpret_cast<const float*>(x);
      float* ft = reinterpret_cast<float*>(tile);
      for (int64_t i = 0; i < na; i += 4)
        for (int64_t j = 0; j < nb; j += 4) {
          // Input rows i..i+3 (along A), columns j..j+3 (along B) -> tile rows j..j+3, columns i..i+3.
          const float* sp = src + i * xA + j;
          __m128 r0 = _mm_loadu_ps(sp), r1 = _mm_loadu_ps(sp + xA), r2 = _mm_loadu_ps(sp + 2 * xA),
                 r3 = _mm_loadu_ps(sp + 3 * xA);
          _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
          float* tp = ft + j * T + i;
          _mm_store_ps(tp, r0);
          _mm_store_ps(tp + T, r1);
          _mm_store_ps(tp + 2 * T, r2);
          _mm_store_ps(tp + 3 * T, r3);
        }
      gathered = true;
    }
  }
  if (!gathered)
    for (int64_t i = 0; i < na; ++i)
      for (int64_t j = 0; j < nb; ++j) tile[j * T + i] = convert<To>(x[i * xA + j]);
  if constexpr (sizeof(To) <= 16 && 16 % sizeof(To) == 0) {
    if (streaming) {
      for (int64_t r = 0; r < nb; ++r) streamCopy(o + r * oB, tile + r * T, na);
      return;
    }
  }
  for (int64_t r = 0; r < nb; ++r) std::memcpy(static_cast<void*>(o + r * oB), tile + r * T, size_t(na) * sizeof(To));
}

// Both sides of the plane at least this long, else the plain strided loops (a thinner side gains
// little: its runs are short either way).
constexpr int64_t kMinTransposedSide = 8;

// Sides of a block of the plane: ≈ 256 KiB of each operand (within L2), with 1 KiB runs of each
// input row for the memory's sake and few enough pages for the TLB.
template <class T>
constexpr int64_t planeBlock() {
  return sizeof(T) <= 4 ? 8 * kTile : 4 * kTile;
}

// Calls block(off, a0, b0, na, nb) for the S×S blocks of the (A = ndim − 1, B) plane of L, for every
// index of the other dimensions, over the pool: off[k] is operand k's element offset of that index
// (the block's corner adds a0 along A and b0 along B), the block covers [a0, a0 + na) × [b0, b0 + nb).
// `streaming`: the block wrote with streaming stores; each thread fences once its blocks are done.
template <int NOPS, class Block>
void forPlaneBlocks(const StridedLoop<NOPS>& L, int B, int64_t SA, int64_t SB, Block&& block, bool streaming) {
  const int nd = L.ndim, A = nd - 1;
  const int64_t nA = L.shape[A], nB = L.shape[B], blocksA = (nA + SA - 1) / SA, blocksB = (nB + SB - 1) / SB;
  int64_t outer = 1;
  for (int d = 0; d < nd; ++d)
    if (d != A && d != B) outer *= L.shape[d];
  parallelFor(outer * blocksB * blocksA, kElementwiseGrain / (SA * SB) + 1, [&](int64_t b, int64_t e) {
    for (int64_t w = b; w < e; ++w) {
      int64_t r = w;
      const int64_t sb = r % blocksB;
      r /= blocksB;
      const int64_t sa = r % blocksA;
      r /= blocksA;
      int64_t off[NOPS] = {};  // the other dimensions' offsets, from r
      for (int d = nd - 1; d >= 0; --d) {
        if (d == A || d == B) continue;
        const int64_t i = r % L.shape[d];
        r /= L.shape[d];
        for (int k = 0; k < NOPS; ++k) off[k] += i * L.strides[k][d];
      }
      const int64_t a0 = sa * SA, b0 = sb * SB;
      block(off, a0, b0, nA - a0 < SA ? nA - a0 : SA, nB - b0 < SB ? nB - b0 : SB);
    }
    if (streaming) _mm_sfence();
  });
}

}  // namespace cpu
}  // namespace wt
