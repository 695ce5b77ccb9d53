// The CPU schedule of the wavelet family, included by one translation unit per instruction set
// (wavelet.cpp: the x86-64-v2 baseline; wavelet_avx2.cpp: AVX2 + FMA): a row's levels in order on
// its thread (the row and its level buffers stay in L2), rows across the pool; every op runs each
// level as one strip-mined pass (wavelet_pipeline.h). With AVX2, rows go through every op eight
// (float32) or four (float64) at a time, a row per lane (RowLanes).
// Include inside an anonymous namespace, so each unit's instantiations stay its own.

struct SerialExec {
  template <class F>
  WT_HD void forRange(int64_t lo, int64_t hi, F&& f) {
    for (int64_t i = lo; i < hi; ++i) f(i);
  }
  WT_HD void barrier() {}
  WT_HD bool leader() { return true; }
};

#include "wavelet_pipeline.h"

#ifdef WT_WAVELET_AVX2
// One AVX2 vector of rows: eight float32 or four float64.
template <class E>
struct LaneIsa;
template <>
struct LaneIsa<float> {
  using V = __m256;
  static constexpr int kLanes = 8;
  static V set1(float a) { return _mm256_set1_ps(a); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V loadu(const float* p) { return _mm256_loadu_ps(p); }
  static void storeu(float* p, V v) { _mm256_storeu_ps(p, v); }
  static void transpose(V* r) { transpose8x8(r); }  // r[c] lane k = old r[k] lane c
};
template <>
struct LaneIsa<double> {
  using V = __m256d;
  static constexpr int kLanes = 4;
  static V set1(double a) { return _mm256_set1_pd(a); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V loadu(const double* p) { return _mm256_loadu_pd(p); }
  static void storeu(double* p, V v) { _mm256_storeu_pd(p, v); }
  static void transpose(V* r) { transpose4x4(r); }
};

// The samples of kLanes rows (8 float32, 4 float64) at one position, a row per lane: the
// strip-mined levels instantiated on it lift that many rows at once with every neighbour one whole
// vector away (no unaligned loads, no split or merge shuffles), the rows transposed in and out in
// square blocks. Its operations are the one-row path's, lane by lane, and GCC fuses the same
// products into the same sums in both (these intrinsics are its vector operators), so each row's
// result is bit for bit the one-row result.
template <class E>
struct RowLanes {
  using Isa = LaneIsa<E>;
  static constexpr int kLanes = Isa::kLanes;
  typename Isa::V v;
  RowLanes() = default;
  RowLanes(double a) : v(Isa::set1(E(a))) {}  // implicit, as T(c) / T(0) in the shared code
  explicit RowLanes(typename Isa::V x) : v(x) {}
};
template <class E>
inline RowLanes<E> operator+(RowLanes<E> a, RowLanes<E> b) {
  return RowLanes<E>(LaneIsa<E>::add(a.v, b.v));
}
template <class E>
inline RowLanes<E> operator*(RowLanes<E> a, RowLanes<E> b) {
  return RowLanes<E>(LaneIsa<E>::mul(a.v, b.v));
}
template <class E>
inline RowLanes<E>& operator+=(RowLanes<E>& a, RowLanes<E> b) {
  return a = a + b;
}

inline RowLanes<float> mulAdd(RowLanes<float> a, RowLanes<float> b, RowLanes<float> c) {
  return RowLanes<float>(_mm256_fmadd_ps(a.v, b.v, c.v));
}
inline RowLanes<double> mulAdd(RowLanes<double> a, RowLanes<double> b, RowLanes<double> c) {
  return RowLanes<double>(_mm256_fmadd_pd(a.v, b.v, c.v));
}

// kLanes rows, `stride` apart: a level's input or output when it is the rows themselves.
template <class E>
struct RowsIn {
  const E* p;
  int64_t stride;
};
template <class E>
struct RowsOut {
  E* p;
  int64_t stride;
};

template <class E>
inline RowLanes<E> gatherAt(const RowsIn<E>& x, int64_t k) {
  constexpr int L = RowLanes<E>::kLanes;
  alignas(32) E v[L];
  for (int l = 0; l < L; ++l) v[l] = x.p[l * x.stride + k];
  return RowLanes<E>(LaneIsa<E>::loadu(v));
}

// out[k] = c · (the rows' samples at k0 + k) for k in [0, len), transposed in square blocks (c = 1:
// the samples themselves, exactly).
template <class E>
inline void rowsToLanesScaled(const RowsIn<E>& x, int64_t k0, int64_t len, RowLanes<E> c, RowLanes<E>* out) {
  using Isa = LaneIsa<E>;
  constexpr int L = Isa::kLanes;
  int64_t k = 0;
  for (; k + L <= len; k += L) {
    typename Isa::V r[L];
    for (int l = 0; l < L; ++l) r[l] = Isa::loadu(x.p + l * x.stride + k0 + k);
    Isa::transpose(r);
    for (int j = 0; j < L; ++j) out[k + j] = c * RowLanes<E>(r[j]);
  }
  for (; k < len; ++k) out[k] = c * gatherAt(x, k0 + k);
}

// in[0 .. len) -> the rows' samples [k0, k0 + len).
template <class E>
inline void lanesToRows(const RowLanes<E>* in, int64_t len, const RowsOut<E>& y, int64_t k0) {
  using Isa = LaneIsa<E>;
  constexpr int L = Isa::kLanes;
  int64_t k = 0;
  for (; k + L <= len; k += L) {
    typename Isa::V r[L];
    for (int c = 0; c < L; ++c) r[c] = in[k + c].v;
    Isa::transpose(r);
    for (int l = 0; l < L; ++l) Isa::storeu(y.p + l * y.stride + k0 + k, r[l]);
  }
  for (; k < len; ++k) {
    alignas(32) E v[L];
    Isa::storeu(v, in[k].v);
    for (int l = 0; l < L; ++l) y.p[l * y.stride + k0 + k] = v[l];
  }
}

// The adjoints' element access (wavelet_pipeline.h) on the rows themselves, lane by lane.
template <class E>
inline RowsIn<E> offsetBy(const RowsIn<E>& x, int64_t k) {
  return {x.p + k, x.stride};
}
template <class E>
inline RowsOut<E> offsetBy(const RowsOut<E>& y, int64_t k) {
  return {y.p + k, y.stride};
}
template <class E>
inline RowLanes<E> valueOrZero(const RowsIn<E>& x, int64_t count, int64_t i) {
  return i >= 0 && i < count ? gatherAt(x, i) : RowLanes<E>(0.0);
}
template <class E>
inline void zeroAt(const RowsOut<E>& y, int64_t i) {
  for (int l = 0; l < RowLanes<E>::kLanes; ++l) y.p[l * y.stride + i] = E(0);
}
template <class E>
inline void mulAddAt(const RowsOut<E>& y, int64_t i, RowLanes<E> w, RowLanes<E> g) {
  constexpr int L = RowLanes<E>::kLanes;
  alignas(32) E v[L];
  for (int l = 0; l < L; ++l) v[l] = y.p[l * y.stride + i];
  LaneIsa<E>::storeu(v, mulAdd(w, g, RowLanes<E>(LaneIsa<E>::loadu(v))).v);
  for (int l = 0; l < L; ++l) y.p[l * y.stride + i] = v[l];
}

// The level sources and sinks of wavelet_pipeline.h for the rows themselves, each computing what
// the array version computes (extensionValue's, placeCoefficients' expressions), lane by lane.
template <class E>
inline RowLanes<E> inputValue(const RowsIn<E>& x, int64_t n, int64_t k, int32_t mode) {
  if (k >= 0 && k < n) return gatherAt(x, k);
  const wt::wavelet::Terms t = wt::wavelet::extensionTerms(k, n, mode);
  RowLanes<E> v(0.0);
  for (int i = 0; i < t.count; ++i) v += RowLanes<E>(t.w[i]) * gatherAt(x, t.idx[i]);
  return v;
}
// Pairs [b, e): kLanes samples of the rows at a time, transposed: the even ones to s, the odd to d.
template <class E>
inline void fillPairs(RowLanes<E>* s0, RowLanes<E>* d0, const RowsIn<E>& x, int64_t sh, int64_t b, int64_t e) {
  using Isa = LaneIsa<E>;
  constexpr int L = Isa::kLanes;
  int64_t q = b;
  for (; q + L / 2 <= e; q += L / 2) {
    typename Isa::V r[L];
    for (int l = 0; l < L; ++l) r[l] = Isa::loadu(x.p + l * x.stride + 2 * q + sh);
    Isa::transpose(r);
    for (int c = 0; c < L / 2; ++c) {
      s0[q + c].v = r[2 * c];
      d0[q + c].v = r[2 * c + 1];
    }
  }
  for (; q < e; ++q) {
    s0[q] = gatherAt(x, 2 * q + sh);
    d0[q] = gatherAt(x, 2 * q + sh + 1);
  }
}
template <class E>
inline void placeInput(SerialExec&, const RowsIn<E>& coef, int64_t len, RowLanes<E> c, int64_t shift, bool periodic,
                       RowLanes<E>* buf, int64_t lo, int64_t hi) {
  using namespace wt::wavelet;
  const int64_t qa = lmin(lmax(lo, shift), hi), qb = lmax(lmin(hi, shift + len), qa);
  for (int64_t q = lo; q < qa; ++q) buf[q] = periodic ? c * gatherAt(coef, floorMod(q - shift, len)) : RowLanes<E>(0.0);
  rowsToLanesScaled(coef, qa - shift, qb - qa, c, buf + qa);
  for (int64_t q = qb; q < hi; ++q) buf[q] = periodic ? c * gatherAt(coef, floorMod(q - shift, len)) : RowLanes<E>(0.0);
}
template <class E>
inline RowLanes<E>* stage(const RowsOut<E>&, RowLanes<E>* tmp, int64_t base) {
  return tmp - base;
}
template <class E>
inline void flush(const RowsOut<E>& y, const RowLanes<E>* tmp, int64_t base, int64_t count) {
  lanesToRows(tmp, count, y, base);
}

// analysisRowStrips for kLanes rows (x: the rows, n samples each) into their packed coefficient
// rows: the first level reads the rows, every level writes its details into them, the last its
// approximation; the levels between keep theirs in lanes.
template <class E>
void analysisRowsInLanes(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                         const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<RowLanes<E>>& taps,
                         const RowsIn<E>& x, const RowsOut<E>& packed, RowLanes<E>* s, RowLanes<E>* d,
                         RowLanes<E>* a0, RowLanes<E>* a1) {
  using namespace wt::wavelet;
  int64_t cur = p.n, end = analysisTotal(p, p.n);
  const RowLanes<E>* in = nullptr;
  for (int l = 1; l <= p.levels; ++l) {
    const int64_t len = analysisLength(cur, p.filter_len, p.mode);
    const RowsOut<E> dOut{packed.p + end - len, packed.stride};
    RowLanes<E>* a = (l & 1) ? a0 : a1;
    if (l == 1 && l == p.levels)
      analysisLevelStrips(ex, p, plan, ts, pl, taps, x, cur, packed, dOut, s, d);
    else if (l == 1)
      analysisLevelStrips(ex, p, plan, ts, pl, taps, x, cur, a, dOut, s, d);
    else if (l == p.levels)
      analysisLevelStrips(ex, p, plan, ts, pl, taps, in, cur, packed, dOut, s, d);
    else
      analysisLevelStrips(ex, p, plan, ts, pl, taps, in, cur, a, dOut, s, d);
    end -= len;
    in = a;
    cur = len;
  }
}

// synthesisRowStrips for kLanes packed coefficient rows into as many output rows.
template <class E>
void synthesisRowsInLanes(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                          const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<RowLanes<E>>& taps,
                          const RowsIn<E>& packed, const RowsOut<E>& out, RowLanes<E>* s, RowLanes<E>* d,
                          RowLanes<E>* a0, RowLanes<E>* a1) {
  using namespace wt::wavelet;
  int64_t m = p.n, start = p.n;
  const RowLanes<E>* a = nullptr;
  for (int j = 0; j < p.levels; ++j) {
    const RowsIn<E> dIn{packed.p + start, packed.stride};
    RowLanes<E>* o = (j & 1) ? a1 : a0;
    const bool lastL = j == p.levels - 1;
    if (j == 0 && lastL)
      synthesisLevelStrips(ex, p, plan, ts, pl, taps, packed, dIn, m, out, s, d);
    else if (j == 0)
      synthesisLevelStrips(ex, p, plan, ts, pl, taps, packed, dIn, m, o, s, d);
    else if (lastL)
      synthesisLevelStrips(ex, p, plan, ts, pl, taps, a, dIn, m, out, s, d);
    else
      synthesisLevelStrips(ex, p, plan, ts, pl, taps, a, dIn, m, o, s, d);
    start += m;
    m = synthesisLength(m, p.filter_len, p.mode) - int64_t((p.drop_mask >> j) & 1);
    a = o;
  }
}
#endif

constexpr int64_t kStagger = 5;  // cache lines between consecutive scratch arrays, beyond their lengths

enum class Direction { Analysis, AnalysisAdjoint, Synthesis, SynthesisAdjoint };

// Runs `dir` on rows [b, e) of in -> out (row lengths inLen, outLen) with one set of scratch.
template <class T>
void runRows(Direction dir, const wt_wavelet_params& p, const T* in, int64_t inLen, T* out, int64_t outLen, int64_t b,
             int64_t e) {
  using namespace wt::wavelet;
  const bool analysis = dir == Direction::Analysis || dir == Direction::AnalysisAdjoint;
  const LiftPlan plan = analysis ? analysisPlan(p) : synthesisPlan(p);
  const TapStarts ts = tapStarts(p);
  const RowScratch rs = analysis ? analysisScratch(p, plan, p.n) : synthesisScratch(p, plan);
  // Each pool thread keeps its scratch between ops (grown, never shrunk): no allocation or first-touch
  // per row.
  thread_local std::vector<T> scratch;
  // The four arrays start on different 4 KiB offsets (+ kStagger lines each): arrays a whole number
  // of pages apart alias in the store-to-load check, and the strip-mined passes load one while
  // storing another at the same index.
  const int64_t pad = kStagger * 64 / int64_t(sizeof(T));
  const size_t need = size_t(2 * rs.buffer + 2 * rs.approx + 4 * pad);
  if (scratch.size() < need) scratch.resize(need);
  T* s = scratch.data();
  T* d = s + rs.buffer + pad;
  T* a0 = d + rs.buffer + pad;
  T* a1 = a0 + rs.approx + pad;
  SerialExec ex;
  const Pipeline pl = dir == Direction::Analysis          ? analysisPipeline(p)
                      : dir == Direction::Synthesis       ? synthesisPipeline(p)
                      : dir == Direction::AnalysisAdjoint ? analysisAdjointPipeline(p)
                                                          : synthesisAdjointPipeline(p);
  const StepTaps<T> taps(p, !analysis);
  int64_t r = b;
#ifdef WT_WAVELET_AVX2
  using Lanes = RowLanes<T>;
  constexpr int64_t L = Lanes::kLanes;
  if (e - r >= L) {
    // kLanes rows at a time in lanes, transposed inside each level's first and last stages.
    // Elements of T, aligned by hand to 32 bytes (node-gyp builds without aligned new).
    thread_local std::vector<T> lanes;
    const int64_t padL = kStagger * 64 / int64_t(sizeof(Lanes)) + 1;
    const size_t needL = size_t(2 * rs.buffer + 2 * rs.approx + 4 * padL);
    if (lanes.size() < needL * L + L) lanes.resize(needL * L + L);
    Lanes* ls = reinterpret_cast<Lanes*>((reinterpret_cast<uintptr_t>(lanes.data()) + 31) & ~uintptr_t(31));
    Lanes* ld = ls + rs.buffer + padL;
    Lanes* la0 = ld + rs.buffer + padL;
    Lanes* la1 = la0 + rs.approx + padL;
    const StepTaps<Lanes> laneTaps(p, !analysis);
    for (; r + L <= e; r += L) {
      const RowsIn<T> rin{in + r * inLen, inLen};
      const RowsOut<T> rout{out + r * outLen, outLen};
      switch (dir) {
        case Direction::Analysis: analysisRowsInLanes(ex, p, plan, ts, pl, laneTaps, rin, rout, ls, ld, la0, la1); break;
        case Direction::Synthesis: synthesisRowsInLanes(ex, p, plan, ts, pl, laneTaps, rin, rout, ls, ld, la0, la1); break;
        case Direction::AnalysisAdjoint:
          analysisRowAdjointStrips(ex, p, plan, ts, pl, laneTaps, rin, rout, ls, ld, la0, la1);
          break;
        case Direction::SynthesisAdjoint:
          synthesisRowAdjointStrips(ex, p, plan, ts, pl, laneTaps, rin, rout, ls, ld, la0, la1);
          break;
      }
    }
  }
#endif
  for (; r < e; ++r) {
    const T* x = in + r * inLen;
    T* y = out + r * outLen;
    switch (dir) {
      case Direction::Analysis: analysisRowStrips(ex, p, plan, ts, pl, taps, x, y, s, d, a0, a1); break;
      case Direction::AnalysisAdjoint: analysisRowAdjointStrips(ex, p, plan, ts, pl, taps, x, y, s, d, a0, a1); break;
      case Direction::Synthesis: synthesisRowStrips(ex, p, plan, ts, pl, taps, x, y, s, d, a0, a1); break;
      case Direction::SynthesisAdjoint: synthesisRowAdjointStrips(ex, p, plan, ts, pl, taps, x, y, s, d, a0, a1); break;
    }
  }
}

template <class T>
void runOp(Direction dir, const wt_op& op, const wt_wavelet_params& p) {
  const int64_t rows = op.in[0].shape[0], inLen = op.in[0].shape[1], outLen = op.out[0].shape[1];
  const T* in = static_cast<const T*>(op.in[0].data);
  T* out = static_cast<T*>(op.out[0].data);
  // A chunk of rows shares one scratch allocation; a few rows per chunk amortise it. Chunks are
  // whole groups of the rows that share lanes (8 float32 or 4 float64 rows with AVX2), so that no
  // thread count splits a group.
#ifdef WT_WAVELET_AVX2
  const int64_t group = RowLanes<T>::kLanes;
#else
  const int64_t group = 1;
#endif
  const int64_t grain = (wt::cpu::kElementwiseGrain / (inLen + outLen + 1) + 1 + group - 1) / group;
  wt::cpu::parallelFor((rows + group - 1) / group, grain, [&](int64_t b, int64_t e) {
    runRows<T>(dir, p, in, inLen, out, outLen, b * group, std::min(rows, e * group));
  });
}
