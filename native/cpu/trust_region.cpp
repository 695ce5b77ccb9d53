// CPU entries of the trust-region family: the x86-64-v2 instantiation of trust_region_loops.h, the
// dispatch to the AVX2 one (trust_region_avx2.cpp) where cpuHasAvx2Fma holds, and SGD.
#include "../kernels/trust_region.h"
#include "dispatch.h"
#include "kernels.h"
#include "streaming_store.h"
#include "thread_pool.h"
#include "trust_region_avx2.h"

namespace wt {
namespace cpu {
namespace {

constexpr int kLanes = 8;

// The Cauchy row sums' lanes as plain loops (the compiler keeps them in SSE registers).
template <class T, bool Diagonal>
int64_t laneSums(const T* __restrict g, const T* __restrict model, int64_t d, double* gg, double* gbg) {
  int64_t j = 0;
  for (; j + kLanes <= d; j += kLanes)
    for (int l = 0; l < kLanes; ++l) {
      const double x = g[j + l], b = model[j + l];
      gg[l] += x * x;
      gbg[l] += Diagonal ? b * x * x : x * b;
    }
  return j;
}

template <class T> void scaleRow(const T* __restrict g, double coef, T* __restrict step, int64_t n);

template <class T> void writeStepRow(const T* g, double coef, T* step, int64_t d, bool streaming) {
  writeRun(step, d, streaming, [&](T* out, int64_t j0, int64_t n) { scaleRow(g + j0, coef, out, n); });
}

#include "trust_region_loops.h"

template <class T, bool Diagonal> void cauchyRows(const CauchyArgs<T>& a, int64_t b, int64_t e) {
  cauchyRowsTwoPass<T, Diagonal>(a, b, e);
}

}  // namespace

void cauchyStep(const wt_op& op, const wt_cauchy_params& p) {
  if (cpuHasAvx2Fma()) return cauchyStepAvx2(op, p);
  visitFloat(op.in[0].dtype, [&](auto tag) { cauchyOp<typename decltype(tag)::type>(op, p); });
}

void updateRadius(const wt_op& op, const wt_radius_params& p) {
  if (cpuHasAvx2Fma()) return updateRadiusAvx2(op, p);
  visitFloat(op.in[0].dtype, [&](auto tag) { radiusOp<typename decltype(tag)::type>(op, p); });
}

void adamStep(const wt_op& op, const wt_adam_params& p) {
  if (cpuHasAvx2Fma()) return adamStepAvx2(op, p);
  visitFloat(op.in[0].dtype, [&](auto tag) { adamOp<typename decltype(tag)::type>(op, p); });
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
