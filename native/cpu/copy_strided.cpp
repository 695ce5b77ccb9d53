// Layout kernels: strided copy with dtype conversion (materialising views, casts, device hops),
// fill and iota.
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

template <class To, class From>
void copyTyped(const wt_op& op) {
  const wt_view& in = op.in[0];
  const wt_view& out = op.out[0];
  const int64_t* st[2] = {out.strides, in.strides};
  StridedLoop<2> L(out.ndim, out.shape, st);
  To* o = static_cast<To*>(out.data);
  const From* x = static_cast<const From*>(in.data);
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
