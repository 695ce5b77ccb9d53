// CPU schedules of the trust-region family: the Cauchy point a row at a time (threads across rows,
// the row's two reductions in 8 double lanes, then the step written from the cache-resident row),
// and the radius rule, Adam and SGD as one elementwise pass each.
#include <type_traits>

#include "../kernels/trust_region.h"
#include "dispatch.h"
#include "kernels.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {
namespace {

constexpr int kLanes = 8;

// Fails the op (reported when its results are read) on the first radius that is not finite and > 0.
template <class T> void checkRadii(const T* delta, int64_t n, const char* fn) {
  for (int64_t i = 0; i < n; ++i)
    if (!tr::validRadius(delta[i]))
      fail(WT_E_RANGE, fn, ": argument 'delta' holds ", double(delta[i]), " at ", i, "; expected finite trust radii > 0");
}

// gᵀg and gᵀBg of one row in double: 8 independent lanes (the compiler keeps them in vector
// registers), folded in a fixed order, so the result does not depend on the thread count.
template <class T, bool Diagonal>
tr::CauchyAcc<double> rowSums(const T* g, const T* model, int64_t d) {
  double gg[kLanes] = {}, gbg[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= d; j += kLanes)
    for (int l = 0; l < kLanes; ++l) {
      const double x = g[j + l], b = model[j + l];
      gg[l] += x * x;
      gbg[l] += Diagonal ? b * x * x : x * b;
    }
  for (; j < d; ++j) {
    const double x = g[j], b = model[j];
    gg[0] += x * x;
    gbg[0] += Diagonal ? b * x * x : x * b;
  }
  for (int w = kLanes / 2; w > 0; w /= 2)
    for (int l = 0; l < w; ++l) {
      gg[l] += gg[l + w];
      gbg[l] += gbg[l + w];
    }
  return {gg[0], gbg[0]};
}

template <class T, bool Diagonal>
void cauchyTyped(const wt_op& op) {
  const int64_t rows = op.in[0].shape[0], d = op.in[0].shape[1];
  const T* g = static_cast<const T*>(op.in[0].data);
  const T* model = static_cast<const T*>(op.in[1].data);
  const T* delta = static_cast<const T*>(op.in[2].data);
  checkRadii(delta, rows, "tr.cauchyStep");
  T* step = static_cast<T*>(op.out[0].data);
  T* predicted = static_cast<T*>(op.out[1].data);
  T* tau = predicted + rows;
  T* onBoundary = tau + rows;
  parallelFor(rows, kElementwiseGrain / (d + 1) + 1, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const T* gr = g + r * d;
      const tr::CauchyRow<double> row = tr::cauchyFinish(rowSums<T, Diagonal>(gr, model + r * d, d), double(delta[r]));
      T* sr = step + r * d;
      for (int64_t j = 0; j < d; ++j) sr[j] = T(row.coef * double(gr[j]));
      predicted[r] = T(row.predicted);
      tau[r] = T(row.tau);
      onBoundary[r] = row.onBoundary ? T(1) : T(0);
    }
  });
}

// One run of Adam elements, with and without state (a first step has none), so each vectorises
// without a per-element branch. A function with __restrict parameters: GCC honours restrict there
// (not on locals), so the loop needs no aliasing check; through a closure's captures it stayed
// scalar behind a failing one (measured 5× slower in cache).
template <class T, bool HasState>
void adamRun(const T* __restrict theta, const T* __restrict g, const T* __restrict m, const T* __restrict v,
             T* __restrict outTheta, T* __restrict outM, T* __restrict outV, int64_t count, const tr::AdamConsts<T> c) {
  for (int64_t i = 0; i < count; ++i) {
    T th = theta[i], mi = T(0), vi = T(0);
    if constexpr (HasState) {
      mi = m[i];
      vi = v[i];
    }
    tr::adamElement(th, g[i], mi, vi, c);
    outTheta[i] = th;
    outM[i] = mi;
    outV[i] = vi;
  }
}

}  // namespace

void cauchyStep(const wt_op& op, const wt_cauchy_params& p) {
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (p.diagonal) cauchyTyped<T, true>(op);
    else cauchyTyped<T, false>(op);
  });
}

void updateRadius(const wt_op& op, const wt_radius_params& p) {
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t n = op.in[0].shape[0];
    const T* actual = static_cast<const T*>(op.in[0].data);
    const T* predicted = static_cast<const T*>(op.in[1].data);
    const T* delta = static_cast<const T*>(op.in[2].data);
    const T* onBoundary = static_cast<const T*>(op.in[3].data);
    checkRadii(delta, n, "tr.updateRadius");
    T* outDelta = static_cast<T*>(op.out[0].data);
    T* accept = outDelta + n;
    T* rho = accept + n;
    parallelFor(n, kElementwiseGrain, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        const tr::RadiusOut<T> r = tr::updateRadius(actual[i], predicted[i], delta[i], onBoundary[i] != T(0), p);
        outDelta[i] = r.delta;
        accept[i] = r.accept ? T(1) : T(0);
        rho[i] = r.rho;
      }
    });
  });
}

void adamStep(const wt_op& op, const wt_adam_params& p) {
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t n = op.in[0].shape[0];
    const T* theta = static_cast<const T*>(op.in[0].data);
    const T* g = static_cast<const T*>(op.in[1].data);
    const T* m = op.n_in == 4 ? static_cast<const T*>(op.in[2].data) : nullptr;
    const T* v = op.n_in == 4 ? static_cast<const T*>(op.in[3].data) : nullptr;
    T* outTheta = static_cast<T*>(op.out[0].data);
    T* outM = static_cast<T*>(op.out[1].data);
    T* outV = outM + n;
    const tr::AdamConsts<T> c(p);
    parallelFor(n, kElementwiseGrain, [&](int64_t b, int64_t e) {
      if (m != nullptr) adamRun<T, true>(theta + b, g + b, m + b, v + b, outTheta + b, outM + b, outV + b, e - b, c);
      else adamRun<T, false>(theta + b, g + b, m, v, outTheta + b, outM + b, outV + b, e - b, c);
    });
  });
}

void sgdStep(const wt_op& op, const wt_sgd_params& p) {
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t n = op.in[0].shape[0];
    const T* theta = static_cast<const T*>(op.in[0].data);
    const T* g = static_cast<const T*>(op.in[1].data);
    const T* buf = op.n_in == 3 ? static_cast<const T*>(op.in[2].data) : nullptr;
    T* outTheta = static_cast<T*>(op.out[0].data);
    T* outBuf = op.n_out == 2 ? static_cast<T*>(op.out[1].data) : nullptr;
    parallelFor(n, kElementwiseGrain, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        T th = theta[i], bi = buf ? buf[i] : T(0);
        tr::sgdElement(th, g[i], bi, p);
        outTheta[i] = th;
        if (outBuf) outBuf[i] = bi;
      }
    });
  });
}

}  // namespace cpu
}  // namespace wt
