// Layout kernels: strided copy with dtype conversion (materialising views, casts, device hops),
// fill and iota.
#include <immintrin.h>

#include <cstring>
#include <type_traits>

#include "dispatch.h"
#include "kernels.h"
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

// A copy into an output dense along its innermost dimension from an input dense along another one
// (a transpose, e.g. materialising a swapped-axes view). Run along the innermost dimension, one side touches a new cache line — and,
// with long strides, a new page — per element, which cost ≈ 10× a plain copy; here the plane of
// the two dimensions goes in T×T tiles, whose 2·T·T elements stay in L1 while each line is used
// whole. false: not that layout (or too small a plane to gain).
template <class To, class From>
bool copyTransposed(const StridedLoop<2>& L, To* o, const From* x) {
  constexpr int64_t T = 32;
  const int nd = L.ndim, A = nd - 1;  // A: the output's innermost dimension, along which it is dense
  if (nd < 2 || L.strides[0][A] != 1 || L.strides[1][A] == 1) return false;
  int B = -1;  // the dimension along which the input is dense
  for (int d = 0; d < A; ++d)
    if (L.strides[1][d] == 1) B = d;
  if (B < 0 || L.shape[A] < T || L.shape[B] < T) return false;
  const int64_t nA = L.shape[A], nB = L.shape[B], tilesA = (nA + T - 1) / T, tilesB = (nB + T - 1) / T;
  int64_t outer = 1;
  for (int d = 0; d < nd; ++d)
    if (d != A && d != B) outer *= L.shape[d];
  const int64_t oB = L.strides[0][B], xA = L.strides[1][A];  // oA = xB = 1
  parallelFor(outer * tilesB * tilesA, kElementwiseGrain / (T * T) + 1, [&](int64_t b, int64_t e) {
    for (int64_t w = b; w < e; ++w) {
      int64_t r = w;
      const int64_t tb = r % tilesB;
      r /= tilesB;
      const int64_t ta = r % tilesA;
      r /= tilesA;
      int64_t offO = 0, offX = 0;  // the outer dimensions' offsets, from r
      for (int d = nd - 1; d >= 0; --d) {
        if (d == A || d == B) continue;
        const int64_t i = r % L.shape[d];
        r /= L.shape[d];
        offO += i * L.strides[0][d];
        offX += i * L.strides[1][d];
      }
      const int64_t a0 = ta * T, a1 = a0 + T < nA ? a0 + T : nA, b0 = tb * T, b1 = b0 + T < nB ? b0 + T : nB;
      if constexpr (sizeof(To) == 4 && std::is_same<To, From>::value) {
        if (a1 - a0 == T && b1 - b0 == T) {
          // A whole tile of 4-byte elements: 4×4 blocks through SSE registers (the baseline ISA),
          // each moved as bits. Input rows run along B (xA apart), output rows along A (oB apart).
          const float* src = reinterpret_cast<const float*>(x + offX + a0 * xA + b0);
          float* dst = reinterpret_cast<float*>(o + offO + a0 + b0 * oB);
          const int64_t sRow = xA, dRow = oB;
          for (int64_t i = 0; i < T; i += 4)
            for (int64_t j = 0; j < T; j += 4) {
              // Input rows i..i+3 (A), columns j..j+3 (B) -> output rows j..j+3, columns i..i+3.
              const float* sp = src + i * sRow + j;
              __m128 r0 = _mm_loadu_ps(sp), r1 = _mm_loadu_ps(sp + sRow), r2 = _mm_loadu_ps(sp + 2 * sRow),
                     r3 = _mm_loadu_ps(sp + 3 * sRow);
              _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
              float* dp = dst + j * dRow + i;
              _mm_storeu_ps(dp, r0);
              _mm_storeu_ps(dp + dRow, r1);
              _mm_storeu_ps(dp + 2 * dRow, r2);
              _mm_storeu_ps(dp + 3 * dRow, r3);
            }
          continue;
        }
      }
      for (int64_t ib = b0; ib < b1; ++ib) {
        To* po = o + offO + ib * oB;
        const From* px = x + offX + ib;
        for (int64_t ia = a0; ia < a1; ++ia) po[ia] = convert<To>(px[ia * xA]);
      }
    }
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
      if (so == 1 && si == 1)
        for (int64_t j = 0; j < n; ++j) po[j] = convert<To>(px[j]);
      else
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
