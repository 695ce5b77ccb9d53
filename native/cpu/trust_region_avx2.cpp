// The trust-region family's CPU loops compiled for AVX2 (8 float / 4 double lanes): the Cauchy
// row sums and step, the radius rule and Adam; the baseline build is x86-64-v2, so this runs only
// after a CPU check.
#include <immintrin.h>

#include <cstdint>

// Everything shared with other translation units is included above the pragma, so no inline
// function they also instantiate is compiled for AVX2 (kernels/ functions are always-inline).
#include "../abi/plugin_abi.h"
#include "dispatch.h"
#include "kernels.h"
#include "streaming_store.h"
#include "thread_pool.h"
#include "trust_region_avx2.h"

#pragma GCC target("avx2")
// No multiply-add contraction: every lane rounds as the baseline unit and the CUDA kernels (built
// with --fmad=false) do, so results are bitwise the same on every CPU and device. No trapping math:
// the radius rule's comparisons then become blends (FP exceptions are never read).
#pragma GCC optimize("fp-contract=off", "no-trapping-math")

#include "../kernels/trust_region.h"

namespace wt {
namespace cpu {
namespace {

constexpr int kLanes = 8;

// Lanes 0-3 and 4-7 of a block of 8, widened to double.
__m256d lanesLo(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
__m256d lanesHi(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p + 4)); }
__m256d lanesLo(const double* p) { return _mm256_loadu_pd(p); }
__m256d lanesHi(const double* p) { return _mm256_loadu_pd(p + 4); }

// The Cauchy row sums' 8 lanes as two ymm registers per sum, written out: the compiler's SLP
// vectorisation of the plain loop mixed scalar conversions into it and ran at half the speed. The
// same operations in the same order as the baseline's lanes, so the sums are bit for bit its.
struct Lanes {
  __m256d gg0, gg1, gbg0, gbg1;
  // A written-out constructor: an implicit one is not compiled for the target pragma's ISA.
  Lanes() : gg0(_mm256_setzero_pd()), gg1(gg0), gbg0(gg0), gbg1(gg0) {}
  // Adds the terms of the block of 8 at g, model.
  template <bool Diagonal, class T> void add(const T* g, const T* model) {
    const __m256d x0 = lanesLo(g), x1 = lanesHi(g), b0 = lanesLo(model), b1 = lanesHi(model);
    gg0 = _mm256_add_pd(gg0, _mm256_mul_pd(x0, x0));
    gg1 = _mm256_add_pd(gg1, _mm256_mul_pd(x1, x1));
    gbg0 = _mm256_add_pd(gbg0, Diagonal ? _mm256_mul_pd(_mm256_mul_pd(b0, x0), x0) : _mm256_mul_pd(x0, b0));
    gbg1 = _mm256_add_pd(gbg1, Diagonal ? _mm256_mul_pd(_mm256_mul_pd(b1, x1), x1) : _mm256_mul_pd(x1, b1));
  }
  void store(double* gg, double* gbg) const {
    _mm256_store_pd(gg, gg0);
    _mm256_store_pd(gg + 4, gg1);
    _mm256_store_pd(gbg, gbg0);
    _mm256_store_pd(gbg + 4, gbg1);
  }
};

template <class T, bool Diagonal>
int64_t laneSums(const T* __restrict g, const T* __restrict model, int64_t d, double* gg, double* gbg) {
  Lanes l;
  int64_t j = 0;
  for (; j + kLanes <= d; j += kLanes) l.add<Diagonal>(g + j, model + j);
  l.store(gg, gbg);
  return j;
}

template <class T> void scaleRow(const T* __restrict g, double coef, T* __restrict step, int64_t n);

// Eight elements of coef·g streamed to dst, 32-byte aligned (floats rounded once from double).
void streamScaled(float* dst, const float* g, __m256d coef) {
  const __m128 lo = _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(g)), coef));
  const __m128 hi = _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(g + 4)), coef));
  _mm256_stream_ps(dst, _mm256_set_m128(hi, lo));
}
void streamScaled(double* dst, const double* g, __m256d coef) {
  _mm256_stream_pd(dst, _mm256_mul_pd(_mm256_loadu_pd(g), coef));
  _mm256_stream_pd(dst + 4, _mm256_mul_pd(_mm256_loadu_pd(g + 4), coef));
}

// Elements before dst's first 32-byte boundary (at most n).
template <class T> int64_t headBefore32(const T* dst, int64_t n) {
  const int64_t h = int64_t((32 - reinterpret_cast<uintptr_t>(dst) % 32) % 32 / sizeof(T));
  return h < n ? h : n;
}

// The step row straight from registers into streaming stores (through an L1 buffer, as writeRun
// does, it ran 1.35× slower): plain stores up to dst's first 32-byte boundary and after the last
// whole block.
template <class T> void writeStepRow(const T* g, double coef, T* step, int64_t d, bool streaming) {
  if (!streaming) return scaleRow(g, coef, step, d);
  int64_t j = headBefore32(step, d);
  scaleRow(g, coef, step, j);
  const __m256d c = _mm256_set1_pd(coef);
  for (; j + kLanes <= d; j += kLanes) streamScaled(step + j, g + j, c);
  scaleRow(g + j, coef, step + j, d - j);
}

#include "trust_region_loops.h"

// Streamed rows in one software-pipelined sweep: the pass that takes row r's sums also streams
// row r−1's step (its g still in L1), so loads and streaming stores are in flight together. Row by
// row (sums, then step) the core alternated between a read phase and a write phase and moved half
// of what it does fused (measured 1.7 → 0.8 ms for 48 MB, the host copy's own rate). Same lanes
// and same roundings as the two-pass rows.
template <class T, bool Diagonal> void cauchyRows(const CauchyArgs<T>& a, int64_t b, int64_t e) {
  if (!a.streaming) return cauchyRowsTwoPass<T, Diagonal>(a, b, e);
  const int64_t d = a.d, blocks = d / kLanes;
  double coef = 0;  // row r − 1's
  for (int64_t r = b; r <= e; ++r) {
    const bool sums = r < e, writes = r > b;
    const T* g = a.g + r * d;
    const T* model = a.model + r * d;
    const T* gPrev = a.g + (r - 1) * d;
    T* step = a.step + (r - 1) * d;
    const __m256d c = _mm256_set1_pd(coef);
    int64_t head = 0, writeBlocks = 0;
    if (writes) {
      head = headBefore32(step, d);
      scaleRow(gPrev, coef, step, head);
      writeBlocks = (d - head) / kLanes;
    }
    const int64_t sumBlocks = sums ? blocks : 0, both = sumBlocks < writeBlocks ? sumBlocks : writeBlocks;
    Lanes l;
    int64_t k = 0;
    for (; k < both; ++k) {
      l.add<Diagonal>(g + k * kLanes, model + k * kLanes);
      streamScaled(step + head + k * kLanes, gPrev + head + k * kLanes, c);
    }
    for (int64_t ks = k; ks < sumBlocks; ++ks) l.add<Diagonal>(g + ks * kLanes, model + ks * kLanes);
    for (int64_t kw = k; kw < writeBlocks; ++kw) streamScaled(step + head + kw * kLanes, gPrev + head + kw * kLanes, c);
    if (writes) {
      const int64_t done = head + writeBlocks * kLanes;
      scaleRow(gPrev + done, coef, step + done, d - done);
    }
    if (sums) {
      alignas(32) double gg[kLanes], gbg[kLanes];
      l.store(gg, gbg);
      const tr::CauchyRow<double> row = tr::cauchyFinish(foldRow<T, Diagonal>(g, model, blocks * kLanes, d, gg, gbg), double(a.delta[r]));
      a.storeRow(r, row);
      coef = row.coef;
    }
  }
}

}  // namespace

void cauchyStepAvx2(const wt_op& op, const wt_cauchy_params& p) {
  visitFloat(op.in[0].dtype, [&](auto tag) { cauchyOp<typename decltype(tag)::type>(op, p); });
}

void updateRadiusAvx2(const wt_op& op, const wt_radius_params& p) {
  visitFloat(op.in[0].dtype, [&](auto tag) { radiusOp<typename decltype(tag)::type>(op, p); });
}

void adamStepAvx2(const wt_op& op, const wt_adam_params& p) {
  visitFloat(op.in[0].dtype, [&](auto tag) { adamOp<typename decltype(tag)::type>(op, p); });
}

}  // namespace cpu
}  // namespace wt
