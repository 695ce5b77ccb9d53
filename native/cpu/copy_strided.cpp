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
#include "transposed_plane.h"

namespace wt {
namespace cpu {
namespace {

// A copy into an output dense along its innermost dimension A from an input dense along another
// dimension B (a transpose, e.g. materialising a swapped-axes view). Run along A, the input touches a
// new cache line — and, with long strides, a new page — per element (≈ 10× a plain copy). Here the
// (A, B) plane goes in blocks of S×S elements (≈ 256 KiB of input and of output, within L2, with
// 1 KiB runs of each row for the memory's sake and few enough pages for the TLB), each in T×T tiles
// whose elements stay in L1 (a side shorter than a tile, e.g. a few channels, makes thin tiles).
// false: not that layout, or a side too short to gain.
template <class To, class From>
bool copyTransposed(const StridedLoop<2>& L, To* o, const From* x) {
  const int A = L.ndim - 1, B = L.transposedPlane(kMinTransposedSide);
  if (B < 0) return false;
  const int64_t oB = L.strides[0][B], xA = L.strides[1][A];  // oA = xB = 1
  const bool streaming = L.numel() * int64_t(sizeof(To)) >= kStreamingOutputBytes;
  forPlaneBlocks(L, B, planeBlock<To>(), planeBlock<To>(), [&](const int64_t* off, int64_t a0, int64_t b0, int64_t na, int64_t nb) {
    for (int64_t i = 0; i < na; i += kTile)
      for (int64_t j = 0; j < nb; j += kTile)
        transposeTile(o + off[0] + (a0 + i) + (b0 + j) * oB, oB, x + off[1] + (a0 + i) * xA + (b0 + j), xA,
                      na - i < kTile ? na - i : kTile, nb - j < kTile ? nb - j : kTile, streaming);
  }, streaming);
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
