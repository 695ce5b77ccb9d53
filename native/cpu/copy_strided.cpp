// Layout kernels: strided copy with dtype conversion (materialising views, casts, device hops),
// fill and iota.
#include <immintrin.h>

#include <cstring>
#include <type_traits>

#include "dispatch.h"
#include "kernels.h"
#include "streaming_store.h"
#include "strided_loop.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {
namespace {

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
constexpr int64_t kTile = 32;
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

// A copy into an output dense along its innermost dimension A from an input dense along another
// dimension B (a transpose, e.g. materialising a swapped-axes view). Run along A, the input touches a
// new cache line — and, with long strides, a new page — per element (≈ 10× a plain copy). Here the
// (A, B) plane goes in blocks of S×S elements (≈ 256 KiB of input and of output, within L2, with
// 1 KiB runs of each row for the memory's sake and few enough pages for the TLB), each in T×T tiles
// whose elements stay in L1 (a side shorter than a tile, e.g. a few channels, makes thin tiles).
// false: not that layout, or a side too short to gain.
template <class To, class From>
bool copyTransposed(const StridedLoop<2>& L, To* o, const From* x) {
  constexpr int64_t T = kTile, S = sizeof(To) <= 4 ? 8 * T : 4 * T;
  const int nd = L.ndim, A = nd - 1, B = L.transposedPlane(8);
  if (B < 0) return false;
  const int64_t nA = L.shape[A], nB = L.shape[B], blocksA = (nA + S - 1) / S, blocksB = (nB + S - 1) / S;
  int64_t outer = 1;
  for (int d = 0; d < nd; ++d)
    if (d != A && d != B) outer *= L.shape[d];
  const int64_t oB = L.strides[0][B], xA = L.strides[1][A];  // oA = xB = 1
  const bool streaming = L.numel() * int64_t(sizeof(To)) >= kStreamingOutputBytes;
  parallelFor(outer * blocksB * blocksA, kElementwiseGrain / (S * S) + 1, [&](int64_t b, int64_t e) {
    for (int64_t w = b; w < e; ++w) {
      int64_t r = w;
      const int64_t sb = r % blocksB;
      r /= blocksB;
      const int64_t sa = r % blocksA;
      r /= blocksA;
      int64_t offO = 0, offX = 0;  // the outer dimensions' offsets, from r
      for (int d = nd - 1; d >= 0; --d) {
        if (d == A || d == B) continue;
        const int64_t i = r % L.shape[d];
        r /= L.shape[d];
        offO += i * L.strides[0][d];
        offX += i * L.strides[1][d];
      }
      const int64_t aEnd = (sa + 1) * S < nA ? (sa + 1) * S : nA, bEnd = (sb + 1) * S < nB ? (sb + 1) * S : nB;
      for (int64_t a0 = sa * S; a0 < aEnd; a0 += T)
        for (int64_t b0 = sb * S; b0 < bEnd; b0 += T)
          transposeTile(o + offO + a0 + b0 * oB, oB, x + offX + a0 * xA + b0, xA, aEnd - a0 < T ? aEnd - a0 : T,
                        bEnd - b0 < T ? bEnd - b0 : T, streaming);
    }
    if (streaming) _mm_sfence();
  });
  return true;
}

template <class To, class From>
void copyTyped(const wt_op& op) {
  const wt_view& in = op.in[0];
  const wt_view& out = op.out[0];
  const int64_t* st[2] = {out.strides, in.strides};
  StridedLoop<2> L(out.ndim, out.shape, st);
  To* o = static_cast<To*>(out.data);
  const From* x = static_cast<const From*>(in.data);
  if (copyTransposed(L, o, x)) return;
  const int64_t so = L.innerStride(0), si = L.innerStride(1);
  parallelFor(L.numel(), kElementwiseGrain, [&](int64_t b, int64_t e) {
    L.run(b, e, [&](const int64_t* off, int64_t n) {
      To* po = o + off[0];
      const From* px = x + off[1];
      if constexpr (std::is_same<To, From>::value) {
        if (so == 1 && si == 1) {
          std::memcpy(po, px, (size_t)n * sizeof(To));
          return;
        }
      }
      if (so == 1 && si == 1) {
        for (int64_t j = 0; j < n; ++j) po[j] = convert<To>(px[j]);
      } else if (so == 1 && si == 0) {
        // A broadcast run (e.g. the gradient of a sum, materialised): one value, a vectorised fill.
        const To v = convert<To>(px[0]);
        for (int64_t j = 0; j < n; ++j) po[j] = v;
      } else
        for (int64_t j = 0; j < n; ++j) po[j * so] = convert<To>(px[j * si]);
    });
  });
}

}  // namespace

void copy(const wt_op& op, const wt_none_params&) {
  visitDType(op.out[0].dtype, [&](auto to) {
    using To = typename decltype(to)::type;
    visitDType(op.in[0].dtype, [&](auto from) {
      using From = typename decltype(from)::type;
      copyTyped<To, From>(op);
    });
  });
}

void fill(const wt_op& op, const wt_fill_params& p) {
  const wt_view& out = op.out[0];
  visitDType(out.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T v;
    if constexpr (is_cplx<T>::value) {
      using R = typename real_of<T>::type;
      v = T{(R)p.re, (R)p.im};
    } else {
      v = (T)p.re;
    }
    const int64_t* st[1] = {out.strides};
    StridedLoop<1> L(out.ndim, out.shape, st);
    T* o = static_cast<T*>(out.data);
    const int64_t so = L.innerStride(0);
    parallelFor(L.numel(), kElementwiseGrain, [&](int64_t b, int64_t e) {
      L.run(b, e, [&](const int64_t* off, int64_t n) {
        T* po = o + off[0];
        for (int64_t j = 0; j < n; ++j) po[j * so] = v;
      });
    });
  });
}

void iota(const wt_op& op, const wt_iota_params& p) {
  const wt_view& out = op.out[0];
  const double start = p.start, step = p.step;
  visitDType(out.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = static_cast<T*>(out.data);
    parallelFor(out.shape[0], kElementwiseGrain, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) o[k] = convert<T>(start + (double)k * step);
    });
  });
}

}  // namespace cpu
}  // namespace wt
