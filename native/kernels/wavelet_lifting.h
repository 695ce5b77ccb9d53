// The wavelet family's math, written once for the CPU and CUDA schedules: pywt's signal extensions
// as linear maps, the lifting plan (which pairs each step computes on a linear buffer), and one row's
// multilevel analysis, synthesis and their adjoints, parametrised by how a block runs a loop.
#pragma once
#include <math.h>
#include <stdint.h>

#include "../abi/plugin_abi.h"
#include "hd.h"

namespace wt {
namespace wavelet {

// pywt's modes, in lib/ops/wavelet_native.ts's WAVELET_MODES order.
enum Mode : int32_t {
  kZero = 0,
  kConstant,
  kSymmetric,
  kReflect,
  kPeriodic,
  kSmooth,
  kAntisymmetric,
  kAntireflect,
  kPeriodization,
};
constexpr int kMaxSteps = 32;
constexpr int kMaxTaps = 64;

WT_HD int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}
WT_HD int64_t floorMod(int64_t a, int64_t m) {
  const int64_t r = a % m;
  return r < 0 ? r + m : r;
}
WT_HD int64_t lmin(int64_t a, int64_t b) { return a < b ? a : b; }
WT_HD int64_t lmax(int64_t a, int64_t b) { return a > b ? a : b; }

// a·b + c rounded once. The extension's fold-back spells its products out as this: left to the
// compiler's contraction, one schedule's instantiations (a row alone, rows in SIMD lanes) round them
// differently (smooth's weights make it visible). A SIMD element type brings its own overload.
WT_HD float mulAdd(float a, float b, float c) { return fmaf(a, b, c); }
WT_HD double mulAdd(double a, double b, double c) { return fma(a, b, c); }

// pywt's output lengths: dwt_coeff_len, and idwt's 2m - L + 2 (2m in periodization).
WT_HD int64_t analysisLength(int64_t n, int32_t L, int32_t mode) {
  return mode == kPeriodization ? (n + 1) / 2 : (n + L - 1) / 2;
}
WT_HD int64_t synthesisLength(int64_t m, int32_t L, int32_t mode) {
  return mode == kPeriodization ? 2 * m : 2 * m - L + 2;
}
// The lifting runs on y: analysis reads y[k] = xe[k + analysisShift] (pywt's filter bank evaluates
// its convolution at odd positions 2o + 1, lifting's periodization map at 2o + L/2), synthesis
// returns out[t] = y[t + synthesisShift] (idwt keeps the full convolution's samples L - 2 ...).
WT_HD int64_t analysisShift(int32_t L, int32_t mode) { return mode == kPeriodization ? 0 : 1 - L / 2; }
WT_HD int64_t synthesisShift(int32_t L, int32_t mode) { return mode == kPeriodization ? 0 : L / 2 - 1; }

// An extended sample as a linear combination of at most three samples of the signal.
struct Terms {
  int64_t idx[3];
  double w[3];
  int count;
};

WT_HD Terms oneTerm(int64_t i, double w) {
  Terms t;
  t.idx[0] = i;
  t.w[0] = w;
  t.count = 1;
  return t;
}

// pywt's extension at position -m (m >= 1) of a signal of length n, mode not periodic/periodization.
// Repeated reflections follow pywt's convolution loops for extensions longer than the signal.
// n = 1: reflect, antireflect and smooth are the constant extension (pywt never returns for the
// first two and falls back to constant for the last).
WT_HD Terms leftTerms(int64_t m, int64_t n, int32_t mode) {
  if (n == 1 && (mode == kReflect || mode == kAntireflect || mode == kSmooth)) mode = kConstant;
  switch (mode) {
    case kConstant: return oneTerm(0, 1);
    case kSymmetric: {
      const int64_t r = (m - 1) % (2 * n);
      return oneTerm(r < n ? r : 2 * n - 1 - r, 1);
    }
    case kAntisymmetric: {
      const int64_t r = (m - 1) % (2 * n);
      return r < n ? oneTerm(r, -1) : oneTerm(2 * n - 1 - r, 1);
    }
    case kReflect: {
      const int64_t r = m % (2 * n - 2);
      return oneTerm(r < n ? r : 2 * n - 2 - r, 1);
    }
    case kSmooth: {
      Terms t;
      t.idx[0] = 0;
      t.w[0] = double(1 + m);
      t.idx[1] = 1;
      t.w[1] = -double(m);
      t.count = 2;
      return t;
    }
    case kAntireflect: {
      // Each reflection is odd about the edge sample it starts from: q full reflections add
      // q·(x[0] − x[n−1]) to the base, the last one reflects within the signal.
      const int64_t q = (m - 1) / (n - 1), r = (m - 1) % (2 * n - 2);
      Terms t;
      t.count = 3;
      t.idx[0] = 0;
      t.idx[1] = n - 1;
      if (r < n - 1) {
        t.w[0] = double(q + 2);
        t.w[1] = -double(q);
        t.idx[2] = r + 1;
        t.w[2] = -1;
      } else {
        t.w[0] = double(q + 1);
        t.w[1] = -double(q + 1);
        t.idx[2] = 2 * n - 3 - r;
        t.w[2] = 1;
      }
      return t;
    }
    default: {
      Terms t;
      t.count = 0;
      return t;
    }
  }
}

// Sample k (any integer) of x extended by `mode`. Periodization: x, with its last sample repeated
// when n is odd, repeated periodically.
WT_HD Terms extensionTerms(int64_t k, int64_t n, int32_t mode) {
  if (k >= 0 && k < n) return oneTerm(k, 1);
  if (mode == kPeriodic) return oneTerm(floorMod(k, n), 1);
  if (mode == kPeriodization) {
    const int64_t j = floorMod(k, n + (n & 1));
    return oneTerm(j < n ? j : n - 1, 1);
  }
  if (k < 0) return leftTerms(-k, n, mode);
  // The right side mirrors the left.
  Terms t = leftTerms(k - (n - 1), n, mode);
  for (int i = 0; i < t.count; ++i) t.idx[i] = n - 1 - t.idx[i];
  return t;
}

template <class T>
WT_HD T extensionValue(const T* x, int64_t n, int64_t k, int32_t mode) {
  if (k >= 0 && k < n) return x[k];
  const Terms t = extensionTerms(k, n, mode);
  T v = T(0);
  for (int i = 0; i < t.count; ++i) v += T(t.w[i]) * x[t.idx[i]];
  return v;
}

// Which pairs each lifting step updates. On a linear buffer, step j (scheme order) computes its
// target (d for a predict, s for an update) on pairs [lo[j], len + hiE[j]), where len is the level's
// coefficient count, exactly the pairs the kept window needs; the buffer holds [bufLo, len + bufHiE).
struct LiftPlan {
  int32_t n_steps;
  int32_t lo[kMaxSteps], hiE[kMaxSteps];
  int32_t bufLo, bufHiE;
};

struct PairRange {
  int32_t lo, hiE;
};

WT_HD void planStep(const wt_wavelet_params& p, int j, LiftPlan& plan, PairRange& s, PairRange& d) {
  PairRange& target = p.step_kind[j] == 0 ? d : s;
  PairRange& source = p.step_kind[j] == 0 ? s : d;
  plan.lo[j] = target.lo;
  plan.hiE[j] = target.hiE;
  const int32_t off = p.step_offset[j], K = p.step_taps[j];
  if (target.lo + off < source.lo) source.lo = target.lo + off;
  if (target.hiE + off + K - 1 > source.hiE) source.hiE = target.hiE + off + K - 1;
}

WT_HD void finishPlan(LiftPlan& plan, const PairRange& s, const PairRange& d) {
  plan.bufLo = s.lo < d.lo ? s.lo : d.lo;
  plan.bufHiE = s.hiE > d.hiE ? s.hiE : d.hiE;
}

// The analysis keeps s on [shiftA, len + shiftA) and d on [shiftD, len + shiftD); the requirement
// walks back through the steps.
WT_HD LiftPlan analysisPlan(const wt_wavelet_params& p) {
  LiftPlan plan;
  plan.n_steps = p.n_steps;
  PairRange s{p.shift_a, p.shift_a}, d{p.shift_d, p.shift_d};
  for (int j = p.n_steps - 1; j >= 0; --j) planStep(p, j, plan, s, d);
  finishPlan(plan, s, d);
  return plan;
}

// The synthesis keeps y[sh, sh + nOut): pairs [floor(sh/2), floor((sh + nOut - 1)/2) + 1), which is
// len + a constant since nOut = 2·len − L + 2 (2·len in periodization). Its inverse steps run in
// reverse scheme order, so the requirement walks forward.
WT_HD LiftPlan synthesisPlan(const wt_wavelet_params& p) {
  LiftPlan plan;
  plan.n_steps = p.n_steps;
  const int64_t sh = synthesisShift(p.filter_len, p.mode);
  const int64_t extra = synthesisLength(0, p.filter_len, p.mode);  // nOut − 2·len
  const int32_t lo = int32_t(floorDiv(sh, 2)), hiE = int32_t(floorDiv(sh + extra - 1, 2) + 1);
  PairRange s{lo, hiE}, d{lo, hiE};
  for (int j = 0; j < p.n_steps; ++j) planStep(p, j, plan, s, d);
  finishPlan(plan, s, d);
  return plan;
}

WT_HD int64_t bufferPairs(const LiftPlan& plan, int64_t len) { return len + plan.bufHiE - plan.bufLo; }

// First tap of every step.
struct TapStarts {
  int32_t start[kMaxSteps];
};
WT_HD TapStarts tapStarts(const wt_wavelet_params& p) {
  TapStarts t;
  int32_t acc = 0;
  for (int j = 0; j < p.n_steps; ++j) {
    t.start[j] = acc;
    acc += p.step_taps[j];
  }
  return t;
}

// How a schedule runs the loops below: forRange(lo, hi, f) calls f(i) for every i in [lo, hi) (a
// CPU thread in order; a CUDA block strided over its threads, the same i to the same thread in every
// call), barrier() orders the block's memory, leader() is true on exactly one thread.

// One step's taps fused in one pass for K known at compile time: v = target; v += c0·src0; v += c1·src1
// ... rounds exactly as K separate passes, with the target kept in a register.
template <int K, class X, class T>
WT_HD void fusedStep(X& ex, T* t, const T* sp, const T* c, int64_t lo, int64_t hi) {
  const T c0 = c[0], c1 = K > 1 ? c[1] : T(0), c2 = K > 2 ? c[2] : T(0), c3 = K > 3 ? c[3] : T(0);
  ex.forRange(lo, hi, [&](int64_t i) {
    T v = t[i];
    v += c0 * sp[i];
    if (K > 1) v += c1 * sp[i + 1];
    if (K > 2) v += c2 * sp[i + 2];
    if (K > 3) v += c3 * sp[i + 3];
    t[i] = v;
  });
}

// The lifting steps of one level on the buffer (s, d hold pairs from plan.bufLo), in scheme order
// adding (analysis) or in reverse order subtracting (synthesis). Each target element becomes
// target + c0·src + c1·src' + ... rounded in tap order on every backend (steps of up to 4 taps in one
// pass, longer ones a pass per tap).
template <class X, class T>
WT_HD void liftSteps(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts, int64_t len, T* s,
                     T* d, bool inverse) {
  const int64_t b = plan.bufLo;
  for (int jj = 0; jj < p.n_steps; ++jj) {
    const int j = inverse ? p.n_steps - 1 - jj : jj;
    T* tgt = p.step_kind[j] == 0 ? d : s;
    const T* src = p.step_kind[j] == 0 ? s : d;
    const int64_t lo = plan.lo[j], hi = len + plan.hiE[j], off = p.step_offset[j];
    const int K = p.step_taps[j];
    T* t = tgt - b;
    const T* sp = src - b + off;
    T c[4];
    for (int k = 0; k < 4 && k < K; ++k) c[k] = inverse ? T(-p.taps[ts.start[j] + k]) : T(p.taps[ts.start[j] + k]);
    switch (K) {
      case 1: fusedStep<1>(ex, t, sp, c, lo, hi); break;
      case 2: fusedStep<2>(ex, t, sp, c, lo, hi); break;
      case 3: fusedStep<3>(ex, t, sp, c, lo, hi); break;
      case 4: fusedStep<4>(ex, t, sp, c, lo, hi); break;
      default:
        for (int k = 0; k < K; ++k) {
          const T ck = inverse ? T(-p.taps[ts.start[j] + k]) : T(p.taps[ts.start[j] + k]);
          const T* spk = sp + k;
          ex.forRange(lo, hi, [&](int64_t i) { t[i] += ck * spk[i]; });
        }
    }
    ex.barrier();
  }
}

// The transpose of step j on source positions [a, b): the step adds c_k·src[i + off + k] to its
// target at i for i in [lo_j, hi_j), so its transpose adds c_k·t[m − off − k] to src[m] for every tap
// whose target position m − off − k is in that range — gathered per source element, in tap order
// (what scattering tap by tap adds to src[m], rounded in the same order). Each element writes only
// itself: no barrier between taps. tap(k): tap k of the step as T, signs applied.
template <int K, class X, class T, class Tap>
WT_HD void gatherTaps(X& ex, T* src, const T* tp, Tap tap, int64_t lo, int64_t hi) {
  const T c0 = tap(0), c1 = K > 1 ? tap(1) : T(0), c2 = K > 2 ? tap(2) : T(0), c3 = K > 3 ? tap(3) : T(0);
  ex.forRange(lo, hi, [&](int64_t m) {
    T v = src[m];
    v += c0 * tp[m];
    if (K > 1) v += c1 * tp[m - 1];
    if (K > 2) v += c2 * tp[m - 2];
    if (K > 3) v += c3 * tp[m - 3];
    src[m] = v;
  });
}
template <class X, class T, class Tap>
WT_HD void transposedStep(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, int j, int64_t len, Tap tap, T* s,
                          T* d, int64_t a, int64_t b) {
  const bool predict = p.step_kind[j] == 0;
  T* src = (predict ? s : d) - plan.bufLo;
  const T* t = (predict ? d : s) - plan.bufLo;
  const int K = p.step_taps[j];
  const int64_t off = p.step_offset[j], tlo = plan.lo[j], thi = len + plan.hiE[j];
  // [ia, ib): positions whose every tap lands in the target range.
  const int64_t ia = lmin(lmax(a, tlo + off + K - 1), b), ib = lmax(lmin(b, thi + off), ia);
  // The edges loop over the taps in range without a branch (a conditional add lets a compiler round
  // the product apart from the sum on one path and not on another).
  auto edge = [&](int64_t m) {
    const int64_t kLo = lmax(0, m - off - thi + 1), kHi = lmin(K, m - off - tlo + 1);
    T v = src[m];
    for (int64_t k = kLo; k < kHi; ++k) v += tap(int(k)) * t[m - off - k];
    src[m] = v;
  };
  ex.forRange(a, ia, edge);
  const T* tp = t - off;
  switch (K) {
    case 1: gatherTaps<1>(ex, src, tp, tap, ia, ib); break;
    case 2: gatherTaps<2>(ex, src, tp, tap, ia, ib); break;
    case 3: gatherTaps<3>(ex, src, tp, tap, ia, ib); break;
    case 4: gatherTaps<4>(ex, src, tp, tap, ia, ib); break;
    default:
      // A pass per tap (the same thread owns m in every pass).
      for (int k = 0; k < K; ++k) {
        const T ck = tap(k);
        const T* tk = tp - k;
        ex.forRange(ia, ib, [&](int64_t m) { src[m] += ck * tk[m]; });
      }
  }
  ex.forRange(ib, b, edge);
}

// The source positions step j's transpose writes: those the step reads.
WT_HD int64_t transposedLo(const wt_wavelet_params& p, const LiftPlan& plan, int j) {
  return plan.lo[j] + p.step_offset[j];
}
WT_HD int64_t transposedHi(const wt_wavelet_params& p, const LiftPlan& plan, int j, int64_t len) {
  return len + plan.hiE[j] + p.step_offset[j] + p.step_taps[j] - 1;
}

// The transpose of liftSteps: steps in the opposite order, predict and update exchanging roles.
template <class X, class T>
WT_HD void liftStepsTransposed(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts,
                               int64_t len, T* s, T* d, bool inverse) {
  for (int jj = 0; jj < p.n_steps; ++jj) {
    const int j = inverse ? jj : p.n_steps - 1 - jj;
    const double* c = p.taps + ts.start[j];
    auto tap = [&](int k) { return inverse ? T(-c[k]) : T(c[k]); };
    transposedStep(ex, p, plan, j, len, tap, s, d, transposedLo(p, plan, j), transposedHi(p, plan, j, len));
    ex.barrier();
  }
}

// Pairs q whose samples y[2q + sh], y[2q + sh + 1] both lie in [0, n): [qa, qb) (maybe empty).
WT_HD void interiorPairs(int64_t sh, int64_t n, int64_t lo, int64_t hi, int64_t& qa, int64_t& qb) {
  qa = lmin(lmax(lo, floorDiv(-sh + 1, 2)), hi);
  qb = lmax(lmin(hi, floorDiv(n - sh, 2)), qa);
}

// One analysis level's layout over n input samples, shared by the level, its adjoint and the CPU's
// strip-mined forms: the coefficient length, the lazy split's shift (pair q holds samples 2q + sh,
// 2q + sh + 1), the buffer's pairs [lo, hi) and the interior ones [qa, qb).
struct AnalysisFrame {
  int64_t len, sh, lo, hi, qa, qb;
};
WT_HD AnalysisFrame analysisFrame(const wt_wavelet_params& p, const LiftPlan& plan, int64_t n) {
  AnalysisFrame f;
  f.len = analysisLength(n, p.filter_len, p.mode);
  f.sh = analysisShift(p.filter_len, p.mode);
  f.lo = plan.bufLo;
  f.hi = f.len + plan.bufHiE;
  interiorPairs(f.sh, n, f.lo, f.hi, f.qa, f.qb);
  return f;
}

// One synthesis level's layout over len coefficients, shared by the level and the CPU's
// strip-mined form: the output length, the shift (out[t] = y[t + sh]), the buffer's pairs [lo, hi),
// the pairs [wlo, whi) that reach the output window and the interior ones [qa, qb) among them.
struct SynthesisFrame {
  int64_t nOut, sh, lo, hi, wlo, whi, qa, qb;
};
WT_HD SynthesisFrame synthesisFrame(const wt_wavelet_params& p, const LiftPlan& plan, int64_t len) {
  SynthesisFrame f;
  f.nOut = synthesisLength(len, p.filter_len, p.mode);
  f.sh = synthesisShift(p.filter_len, p.mode);
  f.lo = plan.bufLo;
  f.hi = len + plan.bufHiE;
  f.wlo = floorDiv(f.sh, 2);
  f.whi = floorDiv(f.sh + f.nOut - 1, 2) + 1;
  interiorPairs(-f.sh, f.nOut, f.wlo, f.whi, f.qa, f.qb);
  return f;
}

// One analysis level: x [n] -> a [len], dOut [len] (len = analysisLength(n)); s, d: the buffer.
template <class X, class T>
WT_HD void analysisLevel(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts, const T* x,
                         int64_t n, T* a, T* dOut, T* s, T* d) {
  const AnalysisFrame f = analysisFrame(p, plan, n);
  const int64_t len = f.len, sh = f.sh, lo = f.lo, hi = f.hi, qa = f.qa, qb = f.qb;
  T* s0 = s - lo;
  T* d0 = d - lo;
  const int32_t mode = p.mode;
  auto edge = [&](int64_t q) {
    s0[q] = extensionValue(x, n, 2 * q + sh, mode);
    d0[q] = extensionValue(x, n, 2 * q + sh + 1, mode);
  };
  ex.forRange(lo, qa, edge);
  const T* xe = x + sh;
  ex.forRange(qa, qb, [&](int64_t q) {
    s0[q] = xe[2 * q];
    d0[q] = xe[2 * q + 1];
  });
  ex.forRange(qb, hi, edge);
  ex.barrier();
  liftSteps(ex, p, plan, ts, len, s, d, false);
  const T ca = T(p.scale), cd = T(double(p.sign_d) / p.scale);
  const T* sa = s0 + p.shift_a;
  const T* da = d0 + p.shift_d;
  ex.forRange(0, len, [&](int64_t o) {
    a[o] = ca * sa[o];
    dOut[o] = cd * da[o];
  });
  ex.barrier();
}

// The extension's transpose: the buffer pairs [lo, qa) and [qb, hi), whose samples fall outside
// the signal (wholly or in part), fold back onto the signal's gradient (a scatter: one thread runs
// it). addTo(i, w, g): gx[i] = mulAdd(w, g, gx[i]).
template <class T, class AddTo>
WT_HD void foldExtension(const wt_wavelet_params& p, int64_t n, int64_t sh, int64_t lo, int64_t hi, int64_t qa,
                         int64_t qb, const T* s0, const T* d0, AddTo&& addTo) {
  const int32_t mode = p.mode;
  auto fold = [&](int64_t k, T g) {
    const Terms t = extensionTerms(k, n, mode);
    for (int i = 0; i < t.count; ++i) addTo(t.idx[i], T(t.w[i]), g);
  };
  for (int64_t q = lo; q < qa; ++q) {
    fold(2 * q + sh, s0[q]);
    fold(2 * q + sh + 1, d0[q]);
  }
  for (int64_t q = qb; q < hi; ++q) {
    fold(2 * q + sh, s0[q]);
    fold(2 * q + sh + 1, d0[q]);
  }
}

// The adjoint of analysisLevel: (ga, gd) [len] -> gx [n].
template <class X, class T>
WT_HD void analysisLevelAdjoint(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts,
                                const T* ga, const T* gd, int64_t n, T* gx, T* s, T* d) {
  const AnalysisFrame f = analysisFrame(p, plan, n);
  const int64_t len = f.len, sh = f.sh, lo = f.lo, hi = f.hi, qa = f.qa, qb = f.qb;
  T* s0 = s - lo;
  T* d0 = d - lo;
  ex.forRange(lo, hi, [&](int64_t q) {
    s0[q] = T(0);
    d0[q] = T(0);
  });
  ex.forRange(0, n, [&](int64_t i) { gx[i] = T(0); });
  ex.barrier();
  const T ca = T(p.scale), cd = T(double(p.sign_d) / p.scale);
  T* sa = s0 + p.shift_a;
  T* da = d0 + p.shift_d;
  ex.forRange(0, len, [&](int64_t o) {
    sa[o] = ca * ga[o];
    da[o] = cd * gd[o];
  });
  ex.barrier();
  liftStepsTransposed(ex, p, plan, ts, len, s, d, false);
  T* xe = gx + sh;
  ex.forRange(qa, qb, [&](int64_t q) {
    xe[2 * q] += s0[q];
    xe[2 * q + 1] += d0[q];
  });
  ex.barrier();
  if (ex.leader())
    foldExtension(p, n, sh, lo, hi, qa, qb, s0, d0, [&](int64_t i, T w, T g) { gx[i] = mulAdd(w, g, gx[i]); });
  ex.barrier();
}

// buf[q] = c·coef[q − shift] on pairs [lo, hi): the coefficients in place, zero around them
// (periodization: the coefficients repeated with period len).
template <class X, class T>
WT_HD void placeCoefficients(X& ex, const T* coef, int64_t len, T c, int64_t shift, bool periodic, T* buf, int64_t lo,
                             int64_t hi) {
  const int64_t qa = lmin(lmax(lo, shift), hi), qb = lmax(lmin(hi, shift + len), qa);
  auto edge = [&](int64_t q) { buf[q] = periodic ? c * coef[floorMod(q - shift, len)] : T(0); };
  ex.forRange(lo, qa, edge);
  const T* cs = coef - shift;
  ex.forRange(qa, qb, [&](int64_t q) { buf[q] = c * cs[q]; });
  ex.forRange(qb, hi, edge);
}

// One synthesis level: (a, dIn) [len] -> out [nOut] (nOut = synthesisLength(len)).
template <class X, class T>
WT_HD void synthesisLevel(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts, const T* a,
                          const T* dIn, int64_t len, T* out, T* s, T* d) {
  const SynthesisFrame f = synthesisFrame(p, plan, len);
  const int64_t nOut = f.nOut, sh = f.sh, lo = f.lo, hi = f.hi, wlo = f.wlo, whi = f.whi, qa = f.qa, qb = f.qb;
  T* s0 = s - lo;
  T* d0 = d - lo;
  const T ia = T(1 / p.scale), id = T(double(p.sign_d) * p.scale);
  placeCoefficients(ex, a, len, ia, p.shift_a, p.mode == kPeriodization, s0, lo, hi);
  placeCoefficients(ex, dIn, len, id, p.shift_d, p.mode == kPeriodization, d0, lo, hi);
  ex.barrier();
  liftSteps(ex, p, plan, ts, len, s, d, true);
  // out[t] = y[t + sh]; pairs whose two samples both land in the window interleave directly.
  T* o0 = out - sh;
  ex.forRange(qa, qb, [&](int64_t q) {
    o0[2 * q] = s0[q];
    o0[2 * q + 1] = d0[q];
  });
  auto edge = [&](int64_t q) {
    const int64_t t0 = 2 * q - sh, t1 = t0 + 1;
    if (t0 >= 0 && t0 < nOut) out[t0] = s0[q];
    if (t1 >= 0 && t1 < nOut) out[t1] = d0[q];
  };
  ex.forRange(wlo, qa, edge);
  ex.forRange(qb, whi, edge);
  ex.barrier();
}

// The synthesis adjoint's last pass on coefficients [i0, i1): the buffer (s0, d0 on pairs [lo, hi))
// back to the coefficients' gradients, the inverse scale applied (periodization: every pair that held
// coefficient i adds up).
template <class X, class T>
WT_HD void synthesisAdjointWriteOut(X& ex, const wt_wavelet_params& p, int64_t len, const T* s0, const T* d0,
                                    int64_t lo, int64_t hi, T* ga, T* gd, int64_t i0, int64_t i1) {
  const T ia = T(1 / p.scale), id = T(double(p.sign_d) * p.scale);
  const int64_t shA = p.shift_a, shD = p.shift_d;
  if (p.mode == kPeriodization && shA - lo <= len && shD - lo <= len && hi - shA <= 2 * len && hi - shD <= 2 * len) {
    // Every buffer pair congruent to i + shift (mod len) holds coefficient i; with a buffer this
    // short those are among i + shift − len, i + shift, i + shift + len (summed in that order, as
    // the loop below does).
    ex.forRange(i0, i1, [&](int64_t i) {
      const int64_t qs = i + shA, qd = i + shD;
      T sa = T(0), sd = T(0);
      if (qs - len >= lo) sa += s0[qs - len];
      if (qs >= lo && qs < hi) sa += s0[qs];
      if (qs + len < hi) sa += s0[qs + len];
      if (qd - len >= lo) sd += d0[qd - len];
      if (qd >= lo && qd < hi) sd += d0[qd];
      if (qd + len < hi) sd += d0[qd + len];
      ga[i] = ia * sa;
      gd[i] = id * sd;
    });
  } else if (p.mode == kPeriodization) {
    // Every buffer pair congruent to i + shift (mod len) holds coefficient i. For i in [0, len),
    // (i + c) mod len is i + (c mod len), less len once it reaches len: no division per element.
    const int64_t mA = floorMod(shA - lo, len), mD = floorMod(shD - lo, len);
    ex.forRange(i0, i1, [&](int64_t i) {
      T sa = T(0), sd = T(0);
      const int64_t rA = i + mA, rD = i + mD;
      for (int64_t q = lo + (rA >= len ? rA - len : rA); q < hi; q += len) sa += s0[q];
      for (int64_t q = lo + (rD >= len ? rD - len : rD); q < hi; q += len) sd += d0[q];
      ga[i] = ia * sa;
      gd[i] = id * sd;
    });
  } else {
    ex.forRange(i0, i1, [&](int64_t i) {
      const int64_t qs = i + shA, qd = i + shD;
      ga[i] = qs >= lo && qs < hi ? ia * s0[qs] : T(0);
      gd[i] = qd >= lo && qd < hi ? id * d0[qd] : T(0);
    });
  }
}

// The adjoint of synthesisLevel: gOut [nOut] -> (ga, gd) [len].
template <class X, class T>
WT_HD void synthesisLevelAdjoint(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts,
                                 const T* gOut, int64_t len, T* ga, T* gd, T* s, T* d) {
  const int64_t nOut = synthesisLength(len, p.filter_len, p.mode);
  const int64_t sh = synthesisShift(p.filter_len, p.mode);
  const int64_t lo = plan.bufLo, hi = len + plan.bufHiE;
  T* s0 = s - lo;
  T* d0 = d - lo;
  ex.forRange(lo, hi, [&](int64_t q) {
    const int64_t t0 = 2 * q - sh, t1 = t0 + 1;
    s0[q] = t0 >= 0 && t0 < nOut ? gOut[t0] : T(0);
    d0[q] = t1 >= 0 && t1 < nOut ? gOut[t1] : T(0);
  });
  ex.barrier();
  liftStepsTransposed(ex, p, plan, ts, len, s, d, true);
  synthesisAdjointWriteOut(ex, p, len, s0, d0, lo, hi, ga, gd, 0, len);
  ex.barrier();
}

// ---- one row, every level ----

// Coefficient count of each analysis level: lens[l] for l = 1..levels, lens[0] = n.
WT_HD int64_t analysisTotal(const wt_wavelet_params& p, int64_t n) {
  int64_t total = 0, cur = n;
  for (int l = 0; l < p.levels; ++l) {
    cur = analysisLength(cur, p.filter_len, p.mode);
    total += cur;
  }
  return total + cur;
}

// Scratch one row needs: the buffer (s, d) for the longest level and two approximation rows. In the
// expansive modes a short signal's levels grow towards L − 1, so the longest level may be any one.
struct RowScratch {
  int64_t buffer;  // elements of each of s and d
  int64_t approx;  // elements of each of the two approximation rows
};
WT_HD RowScratch analysisScratch(const wt_wavelet_params& p, const LiftPlan& plan, int64_t n) {
  int64_t cur = n, longest = 1;
  for (int l = 0; l < p.levels; ++l) {
    cur = analysisLength(cur, p.filter_len, p.mode);
    longest = lmax(longest, cur);
  }
  return {bufferPairs(plan, longest), longest};
}

// Every level of one row into the packed row [cA_L, cD_L, ..., cD_1] (cD_l starts at
// total − Σ_{j<=l} len_j); a0, a1 hold the intermediate approximations.
template <class X, class T>
WT_HD void analysisRow(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts, const T* x,
                       T* packed, T* s, T* d, T* a0, T* a1) {
  const int64_t total = analysisTotal(p, p.n);
  int64_t cur = p.n, end = total;
  const T* in = x;
  for (int l = 1; l <= p.levels; ++l) {
    const int64_t len = analysisLength(cur, p.filter_len, p.mode);
    T* a = l == p.levels ? packed : (l & 1) ? a0 : a1;
    analysisLevel(ex, p, plan, ts, in, cur, a, packed + end - len, s, d);
    end -= len;
    in = a;
    cur = len;
  }
}

// The coefficient count after l analysis levels (l = 0: the signal's n).
WT_HD int64_t analysisLengthAt(const wt_wavelet_params& p, int l) {
  int64_t m = p.n;
  for (int k = 1; k <= l; ++k) m = analysisLength(m, p.filter_len, p.mode);
  return m;
}

template <class X, class T>
WT_HD void analysisRowAdjoint(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts,
                              const T* packed, T* gx, T* s, T* d, T* a0, T* a1) {
  // Walk from the coarsest level back. Lengths are recomputed from the finest (O(levels²) integer
  // steps) rather than tabled: a per-thread table indexed by level lands in CUDA local memory.
  int64_t start = analysisLengthAt(p, p.levels);  // cD_L
  const T* ga = packed;
  for (int l = p.levels; l >= 1; --l) {
    T* out = l == 1 ? gx : (l & 1) ? a0 : a1;
    analysisLevelAdjoint(ex, p, plan, ts, ga, packed + start, analysisLengthAt(p, l - 1), out, s, d);
    start += analysisLengthAt(p, l);
    ga = out;
  }
}

// Synthesis lengths: m_0 = p.n, m_{j+1} = synthesisLength(m_j) − drop_j; detail j has m_j entries.
WT_HD int64_t synthesisOutLength(const wt_wavelet_params& p) {
  int64_t m = p.n;
  for (int j = 0; j < p.levels; ++j) m = synthesisLength(m, p.filter_len, p.mode) - int64_t((p.drop_mask >> j) & 1);
  return m;
}

// Scratch for synthesis: the buffer for the longest level and approximations of the longest
// intermediate output (the level before the last).
WT_HD RowScratch synthesisScratch(const wt_wavelet_params& p, const LiftPlan& plan) {
  int64_t m = p.n, maxIn = 0, maxMid = 1;
  for (int j = 0; j < p.levels; ++j) {
    maxIn = lmax(maxIn, m);
    const int64_t full = synthesisLength(m, p.filter_len, p.mode);
    maxMid = lmax(maxMid, full);
    m = full - int64_t((p.drop_mask >> j) & 1);
  }
  return {bufferPairs(plan, maxIn), maxMid};
}

template <class X, class T>
WT_HD void synthesisRow(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts,
                        const T* packed, T* out, T* s, T* d, T* a0, T* a1) {
  int64_t m = p.n, start = p.n;
  const T* a = packed;
  for (int j = 0; j < p.levels; ++j) {
    T* o = j == p.levels - 1 ? out : (j & 1) ? a1 : a0;
    synthesisLevel(ex, p, plan, ts, a, packed + start, m, o, s, d);
    start += m;
    m = synthesisLength(m, p.filter_len, p.mode) - int64_t((p.drop_mask >> j) & 1);
    a = o;
  }
}

template <class X, class T>
WT_HD void synthesisRowAdjoint(X& ex, const wt_wavelet_params& p, const LiftPlan& plan, const TapStarts& ts,
                               const T* gOut, T* packed, T* s, T* d, T* a0, T* a1) {
  // Level j's input length m_j and its detail's offset, recomputed per level (no per-thread table:
  // see analysisRowAdjoint).
  const T* g = gOut;
  for (int j = p.levels - 1; j >= 0; --j) {
    int64_t mj = p.n, startJ = p.n;
    for (int k = 0; k < j; ++k) {
      startJ += mj;
      mj = synthesisLength(mj, p.filter_len, p.mode) - int64_t((p.drop_mask >> k) & 1);
    }
    // The level's full output: the kept samples' gradient, then 0 for a dropped last sample.
    const int64_t full = synthesisLength(mj, p.filter_len, p.mode);
    const int64_t kept = full - int64_t((p.drop_mask >> j) & 1);
    T* gFull = (j & 1) ? a1 : a0;
    ex.forRange(0, full, [&](int64_t t) { gFull[t] = t < kept ? g[t] : T(0); });
    ex.barrier();
    T* ga = j == 0 ? packed : (j & 1) ? a0 : a1;
    synthesisLevelAdjoint(ex, p, plan, ts, gFull, mj, ga, packed + startJ, s, d);
    g = ga;
  }
}

}  // namespace wavelet
}  // namespace wt
