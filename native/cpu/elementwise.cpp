// Broadcasting elementwise kernels (unary, binary, where) over the functors in
// native/kernels/elementwise.h; inner runs with unit or zero strides get their own loops so the
// compiler vectorises them, and an operand transposed against the output goes through the blocks of
// transposed_plane.h.
#include "../kernels/elementwise.h"

#include <type_traits>
#include <vector>

#include "dispatch.h"
#include "kernels.h"
#include "streaming_store.h"
#include "strided_loop.h"
#include "thread_pool.h"
#include "transposed_plane.h"

namespace wt {
namespace cpu {
namespace {

// A run of n outputs from an input run with stride si (1, or any other).
template <class TO, class TI, class F>
void unaryRun(TO* __restrict po, const TI* __restrict px, int64_t si, int64_t n, F f) {
  if (si == 1)
    for (int64_t j = 0; j < n; ++j) po[j] = f(px[j]);
  else
    for (int64_t j = 0; j < n; ++j) po[j] = f(px[j * si]);
}

// An input of a block of a transposed plane (transposed_plane.h) as runs along A: the block's part
// of an input dense along B transposed into `buffer` (row b − b0 at (b − b0)·rowStride), or the
// input itself.
template <class T>
struct PlaneInput {
  const T* p;
  int64_t step, stride;  // the run of row r starts at p + r·step, stride along A

  PlaneInput(const T* x, int64_t xA, int64_t xB, int64_t na, int64_t nb, std::vector<T>& buffer, int64_t rowStride) {
    if (xB == 1 && xA != 1) {
      if (buffer.size() < size_t(rowStride * nb)) buffer.resize(size_t(rowStride * nb));
      for (int64_t i = 0; i < na; i += kTile)
        for (int64_t j = 0; j < nb; j += kTile)
          transposeTile(buffer.data() + i + j * rowStride, rowStride, x + i * xA + j, xA, na - i < kTile ? na - i : kTile,
                        nb - j < kTile ? nb - j : kTile, false);
      p = buffer.data(), step = rowStride, stride = 1;
    } else {
      p = x, step = xB, stride = xA;
    }
  }
  const T* row(int64_t r) const { return p + r * step; }
};

template <class TO, class TI, class F>
void unaryLoop(const wt_op& op, F f) {
  const wt_view& out = op.out[0];
  const wt_view& in = op.in[0];
  const int64_t* st[2] = {out.strides, in.strides};
  StridedLoop<2> L(out.ndim, out.shape, st);
  TO* o = static_cast<TO*>(out.data);
  const TI* x = static_cast<const TI*>(in.data);
  const int64_t si = L.innerStride(1);
  const bool streaming = L.numel() * int64_t(sizeof(TO)) >= kStreamingOutputBytes && L.innerStride(0) == 1;
  if (const int B = L.transposedPlane(kMinTransposedSide); B >= 0) {
    const int A = L.ndim - 1;
    const int64_t S = planeBlock<TI>();
    forPlaneBlocks(L, B, S, S, [&](const int64_t* off, int64_t a0, int64_t b0, int64_t na, int64_t nb) {
      thread_local std::vector<TI> buffer;
      const PlaneInput<TI> px(x + off[1] + a0 * L.strides[1][A] + b0 * L.strides[1][B], L.strides[1][A], L.strides[1][B],
                              na, nb, buffer, S);
      for (int64_t r = 0; r < nb; ++r)
        writeRunUnfenced(o + off[0] + a0 + (b0 + r) * L.strides[0][B], na, streaming, [&](TO* po, int64_t j0, int64_t m) {
          unaryRun(po, px.row(r) + j0 * px.stride, px.stride, m, f);
        });
    }, streaming);
    return;
  }
  parallelFor(L.numel(), kElementwiseGrain, [&](int64_t b, int64_t e) {
    L.run(b, e, [&](const int64_t* off, int64_t n) {
      const TI* px = x + off[1];
      writeRun(o + off[0], n, streaming, [&](TO* po, int64_t j0, int64_t m) { unaryRun(po, px + j0 * si, si, m, f); });
    });
  });
}

// A run of n outputs from input runs with strides sa, sb (1, 0 or any other).
template <class T, class F>
void binaryRun(T* __restrict po, const T* __restrict pa, int64_t sa, const T* __restrict pb, int64_t sb, int64_t n, F f) {
  if (sa == 1 && sb == 1) {
    for (int64_t j = 0; j < n; ++j) po[j] = f(pa[j], pb[j]);
  } else if (sa == 1 && sb == 0) {
    const T vb = *pb;
    for (int64_t j = 0; j < n; ++j) po[j] = f(pa[j], vb);
  } else if (sa == 0 && sb == 1) {
    const T va = *pa;
    for (int64_t j = 0; j < n; ++j) po[j] = f(va, pb[j]);
  } else {
    for (int64_t j = 0; j < n; ++j) po[j] = f(pa[j * sa], pb[j * sb]);
  }
}

template <class T, class F>
void binaryLoop(const wt_op& op, F f) {
  const wt_view& out = op.out[0];
  const int64_t* st[3] = {out.strides, op.in[0].strides, op.in[1].strides};
  StridedLoop<3> L(out.ndim, out.shape, st);
  T* o = static_cast<T*>(out.data);
  const T* a = static_cast<const T*>(op.in[0].data);
  const T* b = static_cast<const T*>(op.in[1].data);
  const int64_t sa = L.innerStride(1), sb = L.innerStride(2);
  const bool streaming = L.numel() * int64_t(sizeof(T)) >= kStreamingOutputBytes && L.innerStride(0) == 1;
  int B = -1;
  for (int k = 1; k <= 2 && B < 0; ++k) B = L.transposedPlane(kMinTransposedSide, k);
  if (B >= 0) {
    const int A = L.ndim - 1;
    const int64_t S = planeBlock<T>();
    forPlaneBlocks(L, B, S, S, [&](const int64_t* off, int64_t a0, int64_t b0, int64_t na, int64_t nb) {
      thread_local std::vector<T> bufferA, bufferB;
      auto input = [&](const T* x, int k, std::vector<T>& buffer) {
        return PlaneInput<T>(x + off[k] + a0 * L.strides[k][A] + b0 * L.strides[k][B], L.strides[k][A], L.strides[k][B], na,
                             nb, buffer, S);
      };
      const PlaneInput<T> pa = input(a, 1, bufferA), pb = input(b, 2, bufferB);
      for (int64_t r = 0; r < nb; ++r)
        writeRunUnfenced(o + off[0] + a0 + (b0 + r) * L.strides[0][B], na, streaming, [&](T* po, int64_t j0, int64_t m) {
          binaryRun(po, pa.row(r) + j0 * pa.stride, pa.stride, pb.row(r) + j0 * pb.stride, pb.stride, m, f);
        });
    }, streaming);
    return;
  }
  parallelFor(L.numel(), kElementwiseGrain, [&](int64_t lo, int64_t hi) {
    L.run(lo, hi, [&](const int64_t* off, int64_t n) {
      const T* pa = a + off[1];
      const T* pb = b + off[2];
      writeRun(o + off[0], n, streaming,
               [&](T* po, int64_t j0, int64_t m) { binaryRun(po, pa + j0 * sa, sa, pb + j0 * sb, sb, m, f); });
    });
  });
}

// A run of n outputs: a where the condition (stride sc) is nonzero, else b.
template <class T, class C>
void whereRun(T* po, const C* pc, int64_t sc, const T* pa, int64_t sa, const T* pb, int64_t sb, int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    const C cv = pc[j * sc];
    bool take;
    if constexpr (is_cplx<C>::value) take = cv.re != 0 || cv.im != 0;
    else take = cv != C(0);
    po[j] = take ? pa[j * sa] : pb[j * sb];
  }
}

template <class T, class C>
void whereLoop(const wt_op& op) {
  const wt_view& out = op.out[0];
  const int64_t* st[4] = {out.strides, op.in[0].strides, op.in[1].strides, op.in[2].strides};
  StridedLoop<4> L(out.ndim, out.shape, st);
  T* o = static_cast<T*>(out.data);
  const C* c = static_cast<const C*>(op.in[0].data);
  const T* a = static_cast<const T*>(op.in[1].data);
  const T* b = static_cast<const T*>(op.in[2].data);
  const int64_t sc = L.innerStride(1), sa = L.innerStride(2), sb = L.innerStride(3);
  int B = -1;
  for (int k = 1; k <= 3 && B < 0; ++k) B = L.transposedPlane(kMinTransposedSide, k);
  if (B >= 0) {
    const int A = L.ndim - 1;
    const int64_t S = planeBlock<T>() < planeBlock<C>() ? planeBlock<T>() : planeBlock<C>();
    forPlaneBlocks(L, B, S, S, [&](const int64_t* off, int64_t a0, int64_t b0, int64_t na, int64_t nb) {
      thread_local std::vector<C> bufferC;
      thread_local std::vector<T> bufferA, bufferB;
      auto input = [&](const auto* x, int k, auto& buffer) {
        using E = typename std::remove_const<typename std::remove_pointer<decltype(x)>::type>::type;
        return PlaneInput<E>(x + off[k] + a0 * L.strides[k][A] + b0 * L.strides[k][B], L.strides[k][A], L.strides[k][B], na,
                             nb, buffer, S);
      };
      const PlaneInput<C> pc = input(c, 1, bufferC);
      const PlaneInput<T> pa = input(a, 2, bufferA), pb = input(b, 3, bufferB);
      for (int64_t r = 0; r < nb; ++r)
        whereRun(o + off[0] + a0 + (b0 + r) * L.strides[0][B], pc.row(r), pc.stride, pa.row(r), pa.stride, pb.row(r),
                 pb.stride, na);
    }, false);
    return;
  }
  parallelFor(L.numel(), kElementwiseGrain, [&](int64_t lo, int64_t hi) {
    L.run(lo, hi, [&](const int64_t* off, int64_t n) {
      whereRun(o + off[0], c + off[1], sc, a + off[2], sa, b + off[3], sb, n);
    });
  });
}

}  // namespace

void unary(const wt_op& op, const wt_unary_params& p) {
  const int32_t din = op.in[0].dtype;
  const double p0 = p.p0, p1 = p.p1;
  bool ok = false;
  if (din == WT_F32 || din == WT_F64) {
    visitFloat(din, [&](auto tag) {
      using T = typename decltype(tag)::type;
      ok = ew::visitRealUnary(p.code, p0, p1, [&](auto f) { unaryLoop<T, T>(op, f); });
    });
  } else if (din == WT_C64 || din == WT_C128) {
    auto run = [&](auto tag) {
      using R = typename decltype(tag)::type;
      if (ew::unaryComplexToReal(p.code))
        ok = ew::visitComplexToReal(p.code, [&](auto f) { unaryLoop<R, cplx<R>>(op, f); });
      else
        ok = ew::visitComplexUnary(p.code, p0, p1, [&](auto f) { unaryLoop<cplx<R>, cplx<R>>(op, f); });
    };
    if (din == WT_C64) run(Tag<float>{});
    else run(Tag<double>{});
  }
  if (!ok) fail(WT_E_DTYPE, "cpu: unary op ", p.code, " does not support dtype ", din);
}

void binary(const wt_op& op, const wt_binary_params& p) {
  const int32_t d = op.in[0].dtype;
  bool ok = false;
  if (p.code == WT_BIN_COMPLEX) {
    auto run = [&](auto tag) {
      using R = typename decltype(tag)::type;
      const wt_view& out = op.out[0];
      const int64_t* st[3] = {out.strides, op.in[0].strides, op.in[1].strides};
      StridedLoop<3> L(out.ndim, out.shape, st);
      cplx<R>* o = static_cast<cplx<R>*>(out.data);
      const R* re = static_cast<const R*>(op.in[0].data);
      const R* im = static_cast<const R*>(op.in[1].data);
      const int64_t sa = L.innerStride(1), sb = L.innerStride(2);
      parallelFor(L.numel(), kElementwiseGrain, [&](int64_t lo, int64_t hi) {
        L.run(lo, hi, [&](const int64_t* off, int64_t n) {
          for (int64_t j = 0; j < n; ++j) o[off[0] + j] = cplx<R>{re[off[1] + j * sa], im[off[2] + j * sb]};
        });
      });
    };
    if (d == WT_F32) run(Tag<float>{});
    else if (d == WT_F64) run(Tag<double>{});
    else fail(WT_E_DTYPE, "cpu: complex() needs float32 or float64 parts");
    return;
  }
  if (d == WT_F32 || d == WT_F64) {
    visitFloat(d, [&](auto tag) {
      using T = typename decltype(tag)::type;
      ok = ew::visitRealBinary(p.code, [&](auto f) { binaryLoop<T>(op, f); });
    });
  } else if (d == WT_C64) {
    ok = ew::visitComplexBinary(p.code, [&](auto f) { binaryLoop<cplx<float>>(op, f); });
  } else if (d == WT_C128) {
    ok = ew::visitComplexBinary(p.code, [&](auto f) { binaryLoop<cplx<double>>(op, f); });
  }
  if (!ok) fail(WT_E_DTYPE, "cpu: binary op ", p.code, " does not support dtype ", d);
}

void where(const wt_op& op, const wt_none_params&) {
  visitDType(op.out[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    visitDType(op.in[0].dtype, [&](auto ctag) {
      using C = typename decltype(ctag)::type;
      whereLoop<T, C>(op);
    });
  });
}

}  // namespace cpu
}  // namespace wt
