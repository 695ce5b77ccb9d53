// The CPU schedule of the wavelet family, included by one translation unit per instruction set
// (wavelet.cpp: the x86-64-v2 baseline; wavelet_avx2.cpp: AVX2 + FMA): a row's levels in order on
// its thread (the row and its level buffers stay in L2), rows across the pool; every op runs each
// level as one strip-mined pass (wavelet_pipeline.h). With AVX2, rows go through every op eight
// (float32) or four (float64) at a time, a row per lane (RowLanes); rows along an inner axis
// ([B, n, C] ops) a line of adjacent columns at a time (ColumnLanes), where they lie.
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
  static void stream(float* p, V v) { _mm256_stream_ps(p, v); }  // p 32-byte aligned
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
  static void stream(double* p, V v) { _mm256_stream_pd(p, v); }
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
  using Elem = E;
  static constexpr int kLanes = Isa::kLanes;
  typename Isa::V v;
  RowLanes() = default;
  RowLanes(double a) : v(Isa::set1(E(a))) {}  // implicit, as T(c) / T(0) in the shared code
  explicit RowLanes(typename Isa::V x) : v(x) {}
  static RowLanes load(const E* p) { return RowLanes(Isa::loadu(p)); }
  static void store(E* p, RowLanes x) { Isa::storeu(p, x.v); }
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

// kLanes rows, `stride` apart: a level's input or output when it is the rows themselves. An output
// `streaming` is written with streaming stores (an op's output of kStreamingOutputBytes or more: it
// leaves the cache before anyone reads it, so a read-for-ownership per line would be wasted).
template <class E>
struct RowsIn {
  const E* p;
  int64_t stride;
};
template <class E>
struct RowsOut {
  E* p;
  int64_t stride;
  bool streaming = false;
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

// One row's 2 · kLanes samples at p, 64 bytes: one streaming line where p starts a line, else plain
// stores. Streaming only whole aligned lines matters: a line streamed in halves (other rows' stores
// between them) or also written by a plain store leaves the write-combining buffer as partial writes,
// slower than the read-for-ownership it was to save (db4 `symmetric` rows, whose coefficient arrays
// start anywhere in a line, ran 1.6x slower that way).
template <class E>
inline void storeRowLine(E* p, typename LaneIsa<E>::V lo, typename LaneIsa<E>::V hi, bool streaming) {
  if (streaming && (reinterpret_cast<uintptr_t>(p) & 63) == 0) {
    LaneIsa<E>::stream(p, lo);
    LaneIsa<E>::stream(p + LaneIsa<E>::kLanes, hi);
  } else {
    LaneIsa<E>::storeu(p, lo);
    LaneIsa<E>::storeu(p + LaneIsa<E>::kLanes, hi);
  }
}

// in[0 .. len) -> the rows' samples [k0, k0 + len): two square blocks at a time, so that each row
// gets 64 bytes (a whole line, when aligned) in consecutive stores, which a streaming store's
// write-combining buffer needs to leave as one full-line write; the rest in plain stores.
template <class E>
inline void lanesToRows(const RowLanes<E>* in, int64_t len, const RowsOut<E>& y, int64_t k0) {
  using Isa = LaneIsa<E>;
  constexpr int L = Isa::kLanes;
  int64_t k = 0;
  for (; k + 2 * L <= len; k += 2 * L) {
    typename Isa::V r[L], u[L];
    for (int c = 0; c < L; ++c) {
      r[c] = in[k + c].v;
      u[c] = in[k + L + c].v;
    }
    Isa::transpose(r);
    Isa::transpose(u);
    for (int l = 0; l < L; ++l) {
      E* at = y.p + l * y.stride + k0 + k;
      storeRowLine<E>(at, r[l], u[l], y.streaming);
    }
  }
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
  return {y.p + k, y.stride, y.streaming};
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

// The samples of 2·kLanes adjacent columns (16 float32, 8 float64: one 64-byte line) at one
// position, as two vectors: the rows of a transform along an inner axis ([B, n, C], a line of C or
// more), lifted in place with no transposes. Lane by lane the one-row operations, as RowLanes. Copies are member
// by member: GCC copied the implicit aggregate through the stack in 16-byte pieces.
template <class E>
struct ColumnLanes {
  using Isa = LaneIsa<E>;
  using Elem = E;
  static constexpr int kLanes = 2 * Isa::kLanes;
  typename Isa::V lo, hi;
  ColumnLanes() = default;
  ColumnLanes(const ColumnLanes& o) : lo(o.lo), hi(o.hi) {}
  ColumnLanes& operator=(const ColumnLanes& o) {
    lo = o.lo;
    hi = o.hi;
    return *this;
  }
  ColumnLanes(double a) : lo(Isa::set1(E(a))), hi(lo) {}
  ColumnLanes(typename Isa::V l, typename Isa::V h) : lo(l), hi(h) {}
  static ColumnLanes load(const E* p) { return ColumnLanes(Isa::loadu(p), Isa::loadu(p + Isa::kLanes)); }
  static void store(E* p, const ColumnLanes& x) {
    Isa::storeu(p, x.lo);
    Isa::storeu(p + Isa::kLanes, x.hi);
  }
};
template <class E>
inline ColumnLanes<E> operator+(const ColumnLanes<E>& a, const ColumnLanes<E>& b) {
  return ColumnLanes<E>(LaneIsa<E>::add(a.lo, b.lo), LaneIsa<E>::add(a.hi, b.hi));
}
template <class E>
inline ColumnLanes<E> operator*(const ColumnLanes<E>& a, const ColumnLanes<E>& b) {
  return ColumnLanes<E>(LaneIsa<E>::mul(a.lo, b.lo), LaneIsa<E>::mul(a.hi, b.hi));
}
template <class E>
inline ColumnLanes<E>& operator+=(ColumnLanes<E>& a, const ColumnLanes<E>& b) {
  a.lo = LaneIsa<E>::add(a.lo, b.lo);
  a.hi = LaneIsa<E>::add(a.hi, b.hi);
  return a;
}
template <class E>
inline ColumnLanes<E> mulAdd(const ColumnLanes<E>& a, const ColumnLanes<E>& b, const ColumnLanes<E>& c) {
  return ColumnLanes<E>(mulAdd(RowLanes<E>(a.lo), RowLanes<E>(b.lo), RowLanes<E>(c.lo)).v,
                        mulAdd(RowLanes<E>(a.hi), RowLanes<E>(b.hi), RowLanes<E>(c.hi)).v);
}

// V::kLanes adjacent columns of a [n, C] plane, `stride` (C) apart from one position to the next:
// a level's input or output when it is the columns themselves (V: RowLanes or ColumnLanes). An output
// `streaming` (as RowsOut's) streams the positions whose V is one whole aligned line (ColumnLanes).
template <class V>
struct ColumnsIn {
  const typename V::Elem* p;
  int64_t stride;
};
template <class V>
struct ColumnsOut {
  typename V::Elem* p;
  int64_t stride;
  bool streaming = false;
};

template <class V>
inline V loadAt(const ColumnsIn<V>& x, int64_t k) {
  return V::load(x.p + k * x.stride);
}
template <class V>
inline ColumnsIn<V> offsetBy(const ColumnsIn<V>& x, int64_t k) {
  return {x.p + k * x.stride, x.stride};
}
template <class V>
inline ColumnsOut<V> offsetBy(const ColumnsOut<V>& y, int64_t k) {
  return {y.p + k * y.stride, y.stride, y.streaming};
}
template <class V>
inline V valueOrZero(const ColumnsIn<V>& x, int64_t count, int64_t i) {
  return i >= 0 && i < count ? loadAt(x, i) : V(0.0);
}
template <class V>
inline void zeroAt(const ColumnsOut<V>& y, int64_t i) {
  V::store(y.p + i * y.stride, V(0.0));
}
template <class V>
inline void mulAddAt(const ColumnsOut<V>& y, int64_t i, V w, V g) {
  typename V::Elem* at = y.p + i * y.stride;
  V::store(at, mulAdd(w, g, V::load(at)));
}
template <class V>
inline V inputValue(const ColumnsIn<V>& x, int64_t n, int64_t k, int32_t mode) {
  if (k >= 0 && k < n) return loadAt(x, k);
  const wt::wavelet::Terms t = wt::wavelet::extensionTerms(k, n, mode);
  V v(0.0);
  for (int i = 0; i < t.count; ++i) v += V(t.w[i]) * loadAt(x, t.idx[i]);
  return v;
}
template <class V>
inline void fillPairs(V* s0, V* d0, const ColumnsIn<V>& x, int64_t sh, int64_t b, int64_t e) {
  for (int64_t q = b; q < e; ++q) {
    s0[q] = loadAt(x, 2 * q + sh);
    d0[q] = loadAt(x, 2 * q + sh + 1);
  }
}
template <class V>
inline void placeInput(SerialExec&, const ColumnsIn<V>& coef, int64_t len, V c, int64_t shift, bool periodic, V* buf,
                       int64_t lo, int64_t hi) {
  using namespace wt::wavelet;
  for (int64_t q = lo; q < hi; ++q) {
    const int64_t i = q - shift;
    buf[q] = i >= 0 && i < len ? c * loadAt(coef, i) : periodic ? c * loadAt(coef, floorMod(i, len)) : V(0.0);
  }
}
template <class V>
inline V* stage(const ColumnsOut<V>&, V* tmp, int64_t base) {
  return tmp - base;
}
template <class V>
inline void flush(const ColumnsOut<V>& y, const V* tmp, int64_t base, int64_t count) {
  for (int64_t k = 0; k < count; ++k) V::store(y.p + (base + k) * y.stride, tmp[k]);
}
template <class E>
inline void flush(const ColumnsOut<ColumnLanes<E>>& y, const ColumnLanes<E>* tmp, int64_t base, int64_t count) {
  for (int64_t k = 0; k < count; ++k) storeRowLine<E>(y.p + (base + k) * y.stride, tmp[k].lo, tmp[k].hi, y.streaming);
}

#endif

constexpr int64_t kStagger = 5;  // cache lines between consecutive scratch arrays, beyond their lengths

enum class Direction { Analysis, AnalysisAdjoint, Synthesis, SynthesisAdjoint };

// What every row of an op shares: the plan, the tap starts, the scratch sizes, the stage lags.
struct RowOp {
  Direction dir;
  const wt_wavelet_params& p;
  wt::wavelet::LiftPlan plan;
  wt::wavelet::TapStarts ts;
  wt::wavelet::RowScratch rs;
  Pipeline pl;
  RowOp(Direction d, const wt_wavelet_params& params) : dir(d), p(params) {
    using namespace wt::wavelet;
    const bool analysis = analysisSide();
    plan = analysis ? analysisPlan(p) : synthesisPlan(p);
    ts = tapStarts(p);
    rs = analysis ? analysisScratch(p, plan, p.n) : synthesisScratch(p, plan);
    pl = dir == Direction::Analysis          ? analysisPipeline(p)
         : dir == Direction::Synthesis       ? synthesisPipeline(p)
         : dir == Direction::AnalysisAdjoint ? analysisAdjointPipeline(p)
                                             : synthesisAdjointPipeline(p);
  }
  bool analysisSide() const { return dir == Direction::Analysis || dir == Direction::AnalysisAdjoint; }
};

// The four scratch arrays (s, d, a0, a1) of one element type, per pool thread and kept between ops
// (grown, never shrunk): no allocation or first-touch per row. They start on different 4 KiB offsets
// (+ kStagger lines each): arrays a whole number of pages apart alias in the store-to-load check, and
// the strip-mined passes load one while storing another at the same index. Elements of Elem, aligned
// by hand to 32 bytes (node-gyp builds without aligned new).
template <class T, class Elem>
struct Scratch {
  T *s, *d, *a0, *a1;
  explicit Scratch(const wt::wavelet::RowScratch& rs) {
    constexpr int64_t per = int64_t(sizeof(T) / sizeof(Elem));
    const int64_t pad = kStagger * 64 / int64_t(sizeof(T)) + (per > 1 ? 1 : 0);
    const size_t need = size_t(2 * rs.buffer + 2 * rs.approx + 4 * pad) * per + 32 / sizeof(Elem);
    thread_local std::vector<Elem> store;
    if (store.size() < need) store.resize(need);
    s = reinterpret_cast<T*>((reinterpret_cast<uintptr_t>(store.data()) + 31) & ~uintptr_t(31));
    d = s + rs.buffer + pad;
    a0 = d + rs.buffer + pad;
    a1 = a0 + rs.approx + pad;
  }
};

// One row (T: the element) or one vector of rows (T: RowLanes, ColumnLanes; x, y: RowsIn/Out or
// ColumnsIn/Out) through the op, with this thread's scratch.
template <class T, class Elem, class In, class Out>
void runGroup(const RowOp& op, const StepTaps<T>& taps, const In& x, const Out& y) {
  SerialExec ex;
  const Scratch<T, Elem> sc(op.rs);
  const wt_wavelet_params& p = op.p;
  switch (op.dir) {
    case Direction::Analysis:
      analysisRowStrips(ex, p, op.plan, op.ts, op.pl, taps, x, y, sc.s, sc.d, sc.a0, sc.a1);
      break;
    case Direction::Synthesis:
      synthesisRowStrips(ex, p, op.plan, op.ts, op.pl, taps, x, y, sc.s, sc.d, sc.a0, sc.a1);
      break;
    case Direction::AnalysisAdjoint:
      analysisRowAdjointStrips(ex, p, op.plan, op.ts, op.pl, taps, x, y, sc.s, sc.d, sc.a0, sc.a1);
      break;
    case Direction::SynthesisAdjoint:
      synthesisRowAdjointStrips(ex, p, op.plan, op.ts, op.pl, taps, x, y, sc.s, sc.d, sc.a0, sc.a1);
      break;
  }
}

// Rows [b, e) of in -> out (row lengths inLen, outLen): eight float32 or four float64 at a time in
// lanes with AVX2 (transposed inside each level's first and last stages; streaming: the lanes write out
// with streaming stores), the rest one at a time.
template <class T>
void runRows(const RowOp& op, const T* in, int64_t inLen, T* out, int64_t outLen, int64_t b, int64_t e,
             [[maybe_unused]] bool streaming) {
  const bool inverse = !op.analysisSide();
  int64_t r = b;
#ifdef WT_WAVELET_AVX2
  using Lanes = RowLanes<T>;
  constexpr int64_t L = Lanes::kLanes;
  if (e - r >= L) {
    const StepTaps<Lanes> laneTaps(op.p, inverse);
    for (; r + L <= e; r += L)
      runGroup<Lanes, T>(op, laneTaps, RowsIn<T>{in + r * inLen, inLen}, RowsOut<T>{out + r * outLen, outLen, streaming});
    if (streaming) _mm_sfence();  // streaming stores are weakly ordered
  }
#endif
  const StepTaps<T> taps(op.p, inverse);
  for (; r < e; ++r) runGroup<T, T>(op, taps, in + r * inLen, out + r * outLen);
}

// Columns [c0, c1) of one [inLen, C] input plane -> the [outLen, C] output plane: with AVX2 sixteen
// float32 or eight float64 at a time in ColumnLanes, then eight or four in RowLanes; the columns left
// over (or all of them, without AVX2) gathered into rows, run one at a time and scattered back.
template <class T>
void runColumns(const RowOp& op, const T* in, int64_t inLen, T* out, int64_t outLen, int64_t C, int64_t c0,
                int64_t c1, [[maybe_unused]] bool streaming) {
  const bool inverse = !op.analysisSide();
  int64_t c = c0;
#ifdef WT_WAVELET_AVX2
  using Wide = ColumnLanes<T>;
  using Lanes = RowLanes<T>;
  if (c1 - c >= Wide::kLanes) {
    const StepTaps<Wide> wideTaps(op.p, inverse);
    for (; c + Wide::kLanes <= c1; c += Wide::kLanes)
      runGroup<Wide, T>(op, wideTaps, ColumnsIn<Wide>{in + c, C}, ColumnsOut<Wide>{out + c, C, streaming});
  }
  if (c1 - c >= Lanes::kLanes) {
    const StepTaps<Lanes> laneTaps(op.p, inverse);
    for (; c + Lanes::kLanes <= c1; c += Lanes::kLanes)
      runGroup<Lanes, T>(op, laneTaps, ColumnsIn<Lanes>{in + c, C}, ColumnsOut<Lanes>{out + c, C});
  }
#endif
  if (c == c1) return;
  // The columns left are gathered together and scattered back together, in tiles (copy_strided's
  // transposes: a strided element-by-element gather ran at a fifth of the copy's rate), into rows a line more than a whole number of lines apart (rows a power
  // of two apart would all fall in one L1 set).
  const int64_t m = c1 - c, line = 64 / int64_t(sizeof(T));
  const int64_t pitchX = (inLen + line - 1) / line * line + line, pitchY = (outLen + line - 1) / line * line + line;
  const StepTaps<T> taps(op.p, inverse);
  thread_local std::vector<T> rows;
  if (rows.size() < size_t(m * (pitchX + pitchY))) rows.resize(size_t(m * (pitchX + pitchY)));
  T* x = rows.data();
  T* y = x + m * pitchX;
  using wt::cpu::kTile;
  for (int64_t k = 0; k < inLen; k += kTile)
    wt::cpu::transposeTile(x + k, pitchX, in + k * C + c, C, std::min(kTile, inLen - k), m, false);
  for (int64_t j = 0; j < m; ++j) runGroup<T, T>(op, taps, x + j * pitchX, y + j * pitchY);
  for (int64_t k = 0; k < outLen; k += kTile)
    wt::cpu::transposeTile(out + k * C + c, C, y + k, pitchY, m, std::min(kTile, outLen - k), false);
}

template <class T>
void runOp(Direction dir, const wt_op& op, const wt_wavelet_params& p) {
  const RowOp ro(dir, p);
  const int64_t outer = op.in[0].shape[0], inLen = op.in[0].shape[1], outLen = op.out[0].shape[1];
  const int64_t C = op.in[0].ndim == 3 ? op.in[0].shape[2] : 1;  // [outer, len] or [outer, len, C]
  const T* in = static_cast<const T*>(op.in[0].data);
  T* out = static_cast<T*>(op.out[0].data);
  const bool streaming = outer * outLen * C * int64_t(sizeof(T)) >= wt::cpu::kStreamingOutputBytes;
  // Threads take whole groups: of the rows that share lanes (8 float32 or 4 float64 with AVX2), or
  // of the columns one plane's vectors take (16 or 8), so that no thread count splits a group; a few
  // rows per chunk amortise the per-chunk setup.
#ifdef WT_WAVELET_AVX2
  const int64_t rowGroup = RowLanes<T>::kLanes;
  int64_t columnGroup = ColumnLanes<T>::kLanes;
  // Fewer line-wide groups than threads: half-line ones (RowLanes), so that every thread gets one.
  if (op.in[0].ndim == 3 && outer * ((C + columnGroup - 1) / columnGroup) < wt::cpu::numThreads())
    columnGroup = RowLanes<T>::kLanes;
#else
  // Without vectors of columns, a line's worth of columns per item, gathered into rows together.
  const int64_t rowGroup = 1, columnGroup = 64 / int64_t(sizeof(T));
#endif
  if (op.in[0].ndim == 2) {
    const int64_t grain = (wt::cpu::kElementwiseGrain / (inLen + outLen + 1) + 1 + rowGroup - 1) / rowGroup;
    wt::cpu::parallelFor((outer + rowGroup - 1) / rowGroup, grain, [&](int64_t b, int64_t e) {
      runRows<T>(ro, in, inLen, out, outLen, b * rowGroup, std::min(outer, e * rowGroup), streaming);
    });
    return;
  }
  // [outer, len, C]: work items are (plane, group of columns).
  const int64_t groups = (C + columnGroup - 1) / columnGroup;
  const int64_t grain = (wt::cpu::kElementwiseGrain / (inLen + outLen + 1) + 1 + columnGroup - 1) / columnGroup;
  wt::cpu::parallelFor(outer * groups, grain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t o = i / groups, c0 = (i % groups) * columnGroup;
      runColumns<T>(ro, in + o * inLen * C, inLen, out + o * outLen * C, outLen, C, c0, std::min(C, c0 + columnGroup),
                    streaming);
    }
#ifdef WT_WAVELET_AVX2
    if (streaming) _mm_sfence();  // streaming stores are weakly ordered
#endif
  });
}
