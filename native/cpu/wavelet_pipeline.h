// The CPU's analysis and synthesis levels and their adjoints, each as one strip-mined pass: the fill,
// every lifting step (or its transpose) and the write-out advance together strip by strip, each stage
// lagging the ones it depends on.
// Include inside wavelet_rows.h (an anonymous namespace, after SerialExec).
//
// Per element this computes exactly what analysisLevel / synthesisLevel in kernels/wavelet_lifting.h
// compute (the same fill, the same fusedStep expression per step — in a register for the step fused
// into the write-out —, the same write-out): the outputs are bit for bit the same; only the order
// across elements changes. Run stage by stage, a level makes 2 + steps passes over buffers of ≈ n/2 pairs in
// L2; here a strip's fill, steps and write-out touch a window of about one strip of pairs that stays in L1, and
// the row's input is read in one stream.

constexpr int kMaxStages = wt::wavelet::kMaxSteps + 2;  // the fill, the steps, the write-out
// Pairs a stage advances per strip (shorter strips cost more loop overhead): 512 samples of a row,
// or 512·8 bytes' worth of wider elements (eight rows' samples in one, RowLanes in wavelet_rows.h).
template <class T>
constexpr int64_t stripPairs() {
  return sizeof(T) <= 8 ? 512 : 512 * 8 / int64_t(sizeof(T));
}

// Stage k of a level runs on positions [lo_k, hi_k); at strip t it has done the positions below
// front(t) − lag[k] (front(t) = base + (t + 1)·strip). A stage reading array A at its position i
// plus [rlo, rhi] lags every earlier writer w of A by rhi (lag ≥ lag_w + rhi: what it reads is
// final), and a stage writing A lags every earlier reader r of A by −rlo_r (lag ≥ lag_r − rlo_r: it
// never overwrites what r has yet to read). Positions are pair indices (analysis write-out: output
// index o, which reads pair o + shift).
struct Pipeline {
  int32_t stages;
  int32_t lag[kMaxStages];
  // The step next to the write-out (analysis: the last; synthesis: the first, run last) is fused
  // into it when it has at most 4 taps: its target is computed in a register and written out
  // scaled (analysis) or interleaved (synthesis), never stored to the buffer.
  bool fusedOut;
};

struct StageAccess {
  uint32_t writes;      // bit 0: s, bit 1: d
  uint32_t reads;       // bit 0: s, bit 1: d
  int32_t rlo[2], rhi[2];  // read window per array, relative to the stage's position
};

inline Pipeline makePipeline(const StageAccess* acc, int stages, bool fusedOut) {
  Pipeline pl;
  pl.stages = stages;
  pl.fusedOut = fusedOut;
  for (int j = 0; j < stages; ++j) {
    int32_t lag = 0;
    for (int i = 0; i < j; ++i)
      for (int a = 0; a < 2; ++a) {
        const uint32_t bit = 1u << a;
        if ((acc[j].reads & bit) && (acc[i].writes & bit) && pl.lag[i] + acc[j].rhi[a] > lag) lag = pl.lag[i] + acc[j].rhi[a];
        if ((acc[j].writes & bit) && (acc[i].reads & bit) && pl.lag[i] - acc[i].rlo[a] > lag) lag = pl.lag[i] - acc[i].rlo[a];
      }
    pl.lag[j] = lag;
  }
  return pl;
}

// Stage order: the fill (0), the lifting steps in the order they run (1 … n_steps), the write-out.
// A step reads and writes its target at its position and reads its source at + [off, off + K − 1].
inline StageAccess stepAccess(const wt_wavelet_params& p, int j) {
  const int tgt = p.step_kind[j] == 0 ? 1 : 0;
  StageAccess a{};
  a.writes = 1u << tgt;
  a.reads = 3u;
  a.rlo[tgt] = a.rhi[tgt] = 0;
  a.rlo[1 - tgt] = p.step_offset[j];
  a.rhi[1 - tgt] = p.step_offset[j] + p.step_taps[j] - 1;
  return a;
}

inline bool fusable(const wt_wavelet_params& p, int j) { return p.n_steps > 0 && p.step_taps[j] <= 4; }

// The write-out fused with step j: it reads j's target at its position + tgtAt and the other array
// at + otherAt and at j's source taps.
inline StageAccess fusedOutAccess(const wt_wavelet_params& p, int j, int32_t tgtAt, int32_t otherAt) {
  const int tgt = p.step_kind[j] == 0 ? 1 : 0, src = 1 - tgt;
  StageAccess a{};
  a.reads = 3u;
  a.rlo[tgt] = a.rhi[tgt] = tgtAt;
  const int32_t first = tgtAt + p.step_offset[j], last = first + p.step_taps[j] - 1;
  a.rlo[src] = otherAt < first ? otherAt : first;
  a.rhi[src] = otherAt > last ? otherAt : last;
  return a;
}

// Analysis: the fill, the steps in scheme order, the write-out (with the last step when fusable).
inline Pipeline analysisPipeline(const wt_wavelet_params& p) {
  StageAccess acc[kMaxStages] = {};
  acc[0].writes = 3u;
  const bool fused = fusable(p, p.n_steps - 1);
  const int steps = fused ? p.n_steps - 1 : p.n_steps;
  for (int j = 0; j < steps; ++j) acc[1 + j] = stepAccess(p, j);
  StageAccess& out = acc[steps + 1];
  if (fused) {
    const int j = p.n_steps - 1;
    const bool predict = p.step_kind[j] == 0;
    out = fusedOutAccess(p, j, predict ? p.shift_d : p.shift_a, predict ? p.shift_a : p.shift_d);
  } else {
    out.reads = 3u;
    out.rlo[0] = out.rhi[0] = p.shift_a;
    out.rlo[1] = out.rhi[1] = p.shift_d;
  }
  return makePipeline(acc, steps + 2, fused);
}

// Synthesis: the fill, the inverse steps in reverse scheme order, the interleave (with step 0 when
// fusable).
inline Pipeline synthesisPipeline(const wt_wavelet_params& p) {
  StageAccess acc[kMaxStages] = {};
  acc[0].writes = 3u;
  const bool fused = fusable(p, 0);
  const int steps = fused ? p.n_steps - 1 : p.n_steps;
  for (int jj = 0; jj < steps; ++jj) acc[1 + jj] = stepAccess(p, p.n_steps - 1 - jj);
  if (fused) {
    acc[steps + 1] = fusedOutAccess(p, 0, 0, 0);
  } else {
    acc[steps + 1].reads = 3u;  // the interleave reads s[q], d[q]
  }
  return makePipeline(acc, steps + 2, fused);
}

// Runs stage(k, a, b) on each stage's next positions [a, b), strip by strip, until every stage has
// covered its range [lo[k], hi[k]).
template <class F>
void runStrips(const Pipeline& pl, const int64_t* lo, const int64_t* hi, int64_t strip, F&& stage) {
  using wt::wavelet::lmax;
  using wt::wavelet::lmin;
  int64_t base = lo[0];
  for (int k = 1; k < pl.stages; ++k) base = lmin(base, lo[k]);
  for (int64_t front = base + strip;; front += strip) {
    bool pending = false;
    for (int k = 0; k < pl.stages; ++k) {
      const int64_t done = front - pl.lag[k];
      const int64_t a = lmax(lo[k], done - strip), b = lmin(hi[k], done);
      if (a < b) stage(k, a, b);
      pending = pending || done < hi[k];
    }
    if (!pending) return;
  }
}

// The lazy split s[q] = x[2q], d[q] = x[2q + 1] and its inverse on pairs [b, e).
template <class T>
void splitPairs(T* s, T* d, const T* x, int64_t b, int64_t e) {
  for (int64_t q = b; q < e; ++q) {
    s[q] = x[2 * q];
    d[q] = x[2 * q + 1];
  }
}
template <class T>
void mergePairs(T* x, const T* s, const T* d, int64_t b, int64_t e) {
  for (int64_t q = b; q < e; ++q) {
    x[2 * q] = s[q];
    x[2 * q + 1] = d[q];
  }
}
#ifdef WT_WAVELET_AVX2
// float in AVX2: four in-lane shuffles and two 64-bit permutes per 16 samples (the compiler's own
// stride-2 code reloads its permutation vectors every iteration).
inline void splitPairs(float* s, float* d, const float* x, int64_t b, int64_t e) {
  int64_t q = b;
  for (; q + 8 <= e; q += 8) {
    const __m256 lo = _mm256_loadu_ps(x + 2 * q), hi = _mm256_loadu_ps(x + 2 * q + 8);
    // Per 128-bit lane: (lo0 lo2 hi0 hi2 | lo4 lo6 hi4 hi6); the permute orders the 64-bit halves.
    const __m256d ev = _mm256_castps_pd(_mm256_shuffle_ps(lo, hi, 0x88));
    const __m256d od = _mm256_castps_pd(_mm256_shuffle_ps(lo, hi, 0xDD));
    _mm256_storeu_ps(s + q, _mm256_castpd_ps(_mm256_permute4x64_pd(ev, 0xD8)));
    _mm256_storeu_ps(d + q, _mm256_castpd_ps(_mm256_permute4x64_pd(od, 0xD8)));
  }
  splitPairs<float>(s, d, x, q, e);
}
inline void mergePairs(float* x, const float* s, const float* d, int64_t b, int64_t e) {
  int64_t q = b;
  for (; q + 8 <= e; q += 8) {
    const __m256 sv = _mm256_loadu_ps(s + q), dv = _mm256_loadu_ps(d + q);
    const __m256 lo = _mm256_unpacklo_ps(sv, dv), hi = _mm256_unpackhi_ps(sv, dv);  // (s0 d0 s1 d1 | s4 d4 s5 d5), …
    _mm256_storeu_ps(x + 2 * q, _mm256_permute2f128_ps(lo, hi, 0x20));
    _mm256_storeu_ps(x + 2 * q + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
  }
  mergePairs<float>(x, s, d, q, e);
}
#endif

// Step j of the scheme on target positions [a, b) of the buffer (s, d hold pairs from plan.bufLo);
// coef: every tap, signs as the direction applies them. The same passes as liftSteps.
template <class T>
void liftRange(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan, const T* coef,
               const wt::wavelet::TapStarts& ts, int j, T* s, T* d, int64_t a, int64_t b) {
  using namespace wt::wavelet;
  T* t = (p.step_kind[j] == 0 ? d : s) - plan.bufLo;
  const T* sp = (p.step_kind[j] == 0 ? s : d) - plan.bufLo + p.step_offset[j];
  const T* c = coef + ts.start[j];
  switch (p.step_taps[j]) {
    case 1: fusedStep<1>(ex, t, sp, c, a, b); break;
    case 2: fusedStep<2>(ex, t, sp, c, a, b); break;
    case 3: fusedStep<3>(ex, t, sp, c, a, b); break;
    case 4: fusedStep<4>(ex, t, sp, c, a, b); break;
    default:
      for (int k = 0; k < p.step_taps[j]; ++k) {
        const T ck = c[k];
        const T* spk = sp + k;
        ex.forRange(a, b, [&](int64_t i) { t[i] += ck * spk[i]; });
      }
  }
}

// A step's target value at position i in a register: v = t[i] + c0·sp[i] + c1·sp[i + 1] + ..., in
// fusedStep's order (so rounded, and contracted, exactly as fusedStep stores it).
template <int K, class T>
inline T stepValue(const T* t, const T* sp, T c0, T c1, T c2, T c3, int64_t i) {
  T v = t[i];
  v += c0 * sp[i];
  if (K > 1) v += c1 * sp[i + 1];
  if (K > 2) v += c2 * sp[i + 2];
  if (K > 3) v += c3 * sp[i + 3];
  return v;
}

// Analysis write-out fused with the last step on outputs [b, e): outT[o] = scT·(step value at o),
// outO[o] = scO·other[o] (t, sp, other already offset to output indices).
template <int K, class T>
void liftAndScale(const T* t, const T* sp, const T* other, const T* c, T scT, T scO, T* outT, T* outO, int64_t b,
                  int64_t e) {
  const T c0 = c[0], c1 = K > 1 ? c[1] : T(0), c2 = K > 2 ? c[2] : T(0), c3 = K > 3 ? c[3] : T(0);
  for (int64_t o = b; o < e; ++o) {
    outT[o] = scT * stepValue<K>(t, sp, c0, c1, c2, c3, o);
    outO[o] = scO * other[o];
  }
}

// Synthesis interleave fused with step 0 on pairs [b, e): out[2q], out[2q + 1] = s, d with the
// target's value computed in a register (kTargetS: the step updates s).
template <int K, bool kTargetS, class T>
void liftAndMerge(const T* t, const T* sp, const T* other, const T* c, T* out, int64_t b, int64_t e) {
  const T c0 = c[0], c1 = K > 1 ? c[1] : T(0), c2 = K > 2 ? c[2] : T(0), c3 = K > 3 ? c[3] : T(0);
  for (int64_t q = b; q < e; ++q) {
    const T v = stepValue<K>(t, sp, c0, c1, c2, c3, q);
    out[2 * q] = kTargetS ? v : other[q];
    out[2 * q + 1] = kTargetS ? other[q] : v;
  }
}

// The taps of every step as T, negated for the synthesis (liftSteps' inverse).
template <class T>
struct StepTaps {
  T c[wt::wavelet::kMaxTaps];
  StepTaps(const wt_wavelet_params& p, bool inverse) {
    int total = 0;
    for (int j = 0; j < p.n_steps; ++j) total += p.step_taps[j];
    for (int k = 0; k < total; ++k) c[k] = inverse ? T(-p.taps[k]) : T(p.taps[k]);
  }
};

// Where a level reads its input and writes its outputs: a plain array here (a row, or a level's
// buffer of eight rows in RowLanes); wavelet_rows.h adds the eight rows themselves (RowsIn,
// RowsOut), transposed on the way in and out, through overloads found by argument-dependent lookup.

// The input's sample k, extended by the mode (extensionValue's).
template <class T>
T inputValue(const T* x, int64_t n, int64_t k, int32_t mode) {
  return wt::wavelet::extensionValue(x, n, k, mode);
}
// The lazy split of input pairs [b, e): s[q] = x[2q + sh], d[q] = x[2q + sh + 1].
template <class T>
void fillPairs(T* s0, T* d0, const T* x, int64_t sh, int64_t b, int64_t e) {
  splitPairs(s0, d0, x + sh, b, e);
}
// placeCoefficients on pairs [lo, hi).
template <class T>
void placeInput(SerialExec& ex, const T* coef, int64_t len, T c, int64_t shift, bool periodic, T* buf, int64_t lo,
                int64_t hi) {
  wt::wavelet::placeCoefficients(ex, coef, len, c, shift, periodic, buf, lo, hi);
}
// An output written through stage(out, tmp, base)[i] for i in [base, base + count), then
// flush(out, tmp, base, count): an array is written in place.
template <class T>
T* stage(T* out, T*, int64_t) {
  return out;
}
template <class T>
void flush(T*, const T*, int64_t, int64_t) {}

// analysisLevel, strip-mined: x [n] -> a [len], dOut [len].
template <class T, class In, class OutA, class OutD>
void analysisLevelStrips(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                         const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<T>& taps, const In& x,
                         int64_t n, const OutA& a, const OutD& dOut, T* s, T* d) {
  using namespace wt::wavelet;
  const AnalysisFrame f = analysisFrame(p, plan, n);
  const int64_t len = f.len, sh = f.sh, blo = f.lo, bhi = f.hi, qa = f.qa, qb = f.qb;
  T* s0 = s - blo;
  T* d0 = d - blo;
  const int32_t mode = p.mode;
  const T ca = T(p.scale), cd = T(double(p.sign_d) / p.scale);
  const T* sa = s0 + p.shift_a;
  const T* da = d0 + p.shift_d;
  const int last = pl.stages - 1;  // stages 1 … last − 1 run steps 0 … last − 2
  int64_t lo[kMaxStages], hi[kMaxStages];
  lo[0] = blo;
  hi[0] = bhi;
  for (int j = 0; j + 1 < last; ++j) {
    lo[1 + j] = plan.lo[j];
    hi[1 + j] = len + plan.hiE[j];
  }
  lo[last] = 0;
  hi[last] = len;
  // The fused last step (its range is the kept window of its target: plan.lo = its shift).
  const int jl = p.n_steps - 1;
  const bool predictLast = pl.fusedOut && p.step_kind[jl] == 0;
  const int64_t shT = predictLast ? p.shift_d : p.shift_a;
  const T* ft = (predictLast ? d0 : s0) + shT;
  const T* fsp = (predictLast ? s0 : d0) + shT + (pl.fusedOut ? p.step_offset[jl] : 0);
  const T* fother = predictLast ? sa : da;
  const T* fc = pl.fusedOut ? taps.c + ts.start[jl] : nullptr;
  auto writeOut = [&](T* aOut, T* dOutAt, int64_t b, int64_t e) {
    if (!pl.fusedOut) {
      ex.forRange(b, e, [&](int64_t o) {
        aOut[o] = ca * sa[o];
        dOutAt[o] = cd * da[o];
      });
      return;
    }
    T* outT = predictLast ? dOutAt : aOut;
    T* outO = predictLast ? aOut : dOutAt;
    const T scT = predictLast ? cd : ca, scO = predictLast ? ca : cd;
    switch (p.step_taps[jl]) {
      case 1: liftAndScale<1>(ft, fsp, fother, fc, scT, scO, outT, outO, b, e); break;
      case 2: liftAndScale<2>(ft, fsp, fother, fc, scT, scO, outT, outO, b, e); break;
      case 3: liftAndScale<3>(ft, fsp, fother, fc, scT, scO, outT, outO, b, e); break;
      default: liftAndScale<4>(ft, fsp, fother, fc, scT, scO, outT, outO, b, e); break;
    }
  };
  auto edge = [&](int64_t q) {
    s0[q] = inputValue(x, n, 2 * q + sh, mode);
    d0[q] = inputValue(x, n, 2 * q + sh + 1, mode);
  };
  T tmp[2][stripPairs<T>()];  // the write-out's staging, for outputs that are not arrays
  runStrips(pl, lo, hi, stripPairs<T>(), [&](int k, int64_t b, int64_t e) {
    if (k == 0) {
      ex.forRange(b, lmin(e, qa), edge);
      fillPairs(s0, d0, x, sh, lmax(b, qa), lmin(e, qb));
      ex.forRange(lmax(b, qb), e, edge);
    } else if (k == last) {
      writeOut(stage(a, tmp[0], b), stage(dOut, tmp[1], b), b, e);
      flush(a, tmp[0], b, e - b);
      flush(dOut, tmp[1], b, e - b);
    } else {
      liftRange(ex, p, plan, taps.c, ts, k - 1, s, d, b, e);
    }
  });
}

// synthesisLevel, strip-mined: (a, dIn) [len] -> out [nOut].
template <class T, class InA, class InD, class Out>
void synthesisLevelStrips(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                          const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<T>& taps, const InA& a,
                          const InD& dIn, int64_t len, const Out& out, T* s, T* d) {
  using namespace wt::wavelet;
  const SynthesisFrame f = synthesisFrame(p, plan, len);
  const int64_t nOut = f.nOut, sh = f.sh, blo = f.lo, bhi = f.hi, wlo = f.wlo, whi = f.whi, qa = f.qa, qb = f.qb;
  T* s0 = s - blo;
  T* d0 = d - blo;
  const T ia = T(1 / p.scale), id = T(double(p.sign_d) * p.scale);
  const bool periodic = p.mode == kPeriodization;
  T* ow = nullptr;  // where sample t goes: ow[t] (the output, or its staging)
  const int last = pl.stages - 1;  // stages 1 … last − 1 run steps n_steps − 1 … n_steps − last + 1
  int64_t lo[kMaxStages], hi[kMaxStages];
  lo[0] = blo;
  hi[0] = bhi;
  for (int jj = 0; jj + 1 < last; ++jj) {
    const int j = p.n_steps - 1 - jj;
    lo[1 + jj] = plan.lo[j];
    hi[1 + jj] = len + plan.hiE[j];
  }
  lo[last] = wlo;
  hi[last] = whi;
  // The fused step 0 (its range is the window: plan.lo[0] = wlo).
  const bool targetS = pl.fusedOut && p.step_kind[0] == 1;
  const T* ft = targetS ? s0 : d0;
  const T* fsp = (targetS ? d0 : s0) + (pl.fusedOut ? p.step_offset[0] : 0);
  const T* fother = targetS ? d0 : s0;
  const T* fc = pl.fusedOut ? taps.c : nullptr;
  const int K0 = p.step_taps[0];
  auto edge = [&](int64_t q) {
    const int64_t t0 = 2 * q - sh, t1 = t0 + 1;
    T sv = s0[q], dv = d0[q];
    if (pl.fusedOut) {
      T v = ft[q];
      for (int k = 0; k < K0; ++k) v += fc[k] * fsp[q + k];
      (targetS ? sv : dv) = v;
    }
    if (t0 >= 0 && t0 < nOut) ow[t0] = sv;
    if (t1 >= 0 && t1 < nOut) ow[t1] = dv;
  };
  auto merge = [&](T* o, int64_t b, int64_t e) {
    if (!pl.fusedOut) return mergePairs(o, s0, d0, b, e);
    if (targetS) {
      switch (K0) {
        case 1: return liftAndMerge<1, true>(ft, fsp, fother, fc, o, b, e);
        case 2: return liftAndMerge<2, true>(ft, fsp, fother, fc, o, b, e);
        case 3: return liftAndMerge<3, true>(ft, fsp, fother, fc, o, b, e);
        default: return liftAndMerge<4, true>(ft, fsp, fother, fc, o, b, e);
      }
    }
    switch (K0) {
      case 1: return liftAndMerge<1, false>(ft, fsp, fother, fc, o, b, e);
      case 2: return liftAndMerge<2, false>(ft, fsp, fother, fc, o, b, e);
      case 3: return liftAndMerge<3, false>(ft, fsp, fother, fc, o, b, e);
      default: return liftAndMerge<4, false>(ft, fsp, fother, fc, o, b, e);
    }
  };
  T tmp[2 * stripPairs<T>()];  // the interleave's staging, for an output that is not an array
  runStrips(pl, lo, hi, stripPairs<T>(), [&](int k, int64_t b, int64_t e) {
    if (k == 0) {
      placeInput(ex, a, len, ia, p.shift_a, periodic, s0, b, e);
      placeInput(ex, dIn, len, id, p.shift_d, periodic, d0, b, e);
    } else if (k == last) {
      // Pairs [b, e) hold samples [2b − sh, 2e − sh), kept where they fall in [0, nOut).
      const int64_t tb = lmax(0, 2 * b - sh), te = lmin(nOut, 2 * e - sh);
      ow = stage(out, tmp, tb);
      ex.forRange(b, lmin(e, qa), edge);
      merge(ow - sh, lmax(b, qa), lmin(e, qb));
      ex.forRange(lmax(b, qb), e, edge);
      if (te > tb) flush(out, tmp, tb, te - tb);
    } else {
      liftRange(ex, p, plan, taps.c, ts, p.n_steps - k, s, d, b, e);
    }
  });
}

// ---- the adjoints, strip-mined the same way ----
//
// A transposed step (kernels/wavelet_lifting.h's transposedStep) gathers onto each source element
// from a window of its target, so it is one stage like a forward step, and the adjoints pipeline like
// the forward ops.

// liftStepsTransposed's step j on source positions [a, b), with the taps as T.
template <class T>
void liftRangeTransposed(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan, const T* coef,
                         const wt::wavelet::TapStarts& ts, int j, int64_t len, T* s, T* d, int64_t a, int64_t b) {
  const T* c = coef + ts.start[j];
  wt::wavelet::transposedStep(ex, p, plan, j, len, [c](int k) { return c[k]; }, s, d, a, b);
}

// A transposed step as a stage: it reads and writes its source at its position and reads its
// target at − off − (K − 1) … − off.
inline StageAccess transposedStepAccess(const wt_wavelet_params& p, int j) {
  const int src = p.step_kind[j] == 0 ? 0 : 1;
  StageAccess a{};
  a.writes = 1u << src;
  a.reads = 3u;
  a.rlo[src] = a.rhi[src] = 0;
  a.rlo[1 - src] = -p.step_offset[j] - p.step_taps[j] + 1;
  a.rhi[1 - src] = -p.step_offset[j];
  return a;
}

// The analysis adjoint: the gradients placed (scaled) in the buffer, the transposed steps in reverse
// scheme order, the interleave onto the signal's gradient. The synthesis adjoint: the output's
// gradient split into the buffer, the transposed inverse steps in scheme order, the write-out
// (positions: output indices, reading pair o + shift; periodization sums aliases after the strips,
// a stage of its own only when it is not periodic).
inline Pipeline analysisAdjointPipeline(const wt_wavelet_params& p) {
  StageAccess acc[kMaxStages] = {};
  acc[0].writes = 3u;
  for (int jj = 0; jj < p.n_steps; ++jj) acc[1 + jj] = transposedStepAccess(p, p.n_steps - 1 - jj);
  acc[p.n_steps + 1].reads = 3u;
  return makePipeline(acc, p.n_steps + 2, false);
}
inline Pipeline synthesisAdjointPipeline(const wt_wavelet_params& p) {
  StageAccess acc[kMaxStages] = {};
  acc[0].writes = 3u;
  for (int j = 0; j < p.n_steps; ++j) acc[1 + j] = transposedStepAccess(p, j);
  StageAccess& out = acc[p.n_steps + 1];
  out.reads = 3u;
  out.rlo[0] = out.rhi[0] = p.shift_a;
  out.rlo[1] = out.rhi[1] = p.shift_d;
  return makePipeline(acc, p.n_steps + 2, false);
}

// The array `k` elements on (a level's coefficients within the packed row).
template <class T>
T* offsetBy(T* a, int64_t k) {
  return a + k;
}

// analysisRow with the strip-mined levels (same packing: [cA_L, cD_L, ..., cD_1]): x, one row or a
// vector of rows (V: the element or wavelet_rows.h's lanes; x, packed: plain arrays, RowsIn/Out or
// ColumnsIn/Out), into the packed coefficients. The first level reads x, every level writes its
// details into `packed`, the last its approximation; the levels between keep theirs in a0, a1.
template <class V, class In, class Out>
void analysisRowStrips(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                       const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<V>& taps, const In& x,
                         const Out& packed, V* s, V* d, V* a0, V* a1) {
  using namespace wt::wavelet;
  int64_t cur = p.n, end = analysisTotal(p, p.n);
  const V* in = nullptr;
  for (int l = 1; l <= p.levels; ++l) {
    const int64_t len = analysisLength(cur, p.filter_len, p.mode);
    const Out dOut = offsetBy(packed, end - len);
    V* a = (l & 1) ? a0 : a1;
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

// synthesisRow with the strip-mined levels: packed coefficients (one row or a vector of rows, as
// above) into the output; the levels between keep their approximations in a0, a1.
template <class V, class In, class Out>
void synthesisRowStrips(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                          const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<V>& taps,
                          const In& packed, const Out& out, V* s, V* d, V* a0, V* a1) {
  using namespace wt::wavelet;
  int64_t m = p.n, start = p.n;
  const V* a = nullptr;
  for (int j = 0; j < p.levels; ++j) {
    const In dIn = offsetBy(packed, start);
    V* o = (j & 1) ? a1 : a0;
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
// Element access for the adjoints' edges, on a plain array here (wavelet_rows.h adds the rows
// themselves): the output's zeroing and fold-back, and the input read as zero outside [0, count).
template <class T>
void zeroAt(T* y, int64_t i) {
  y[i] = T(0);
}
template <class T>
void mulAddAt(T* y, int64_t i, T w, T g) {
  using wt::wavelet::mulAdd;
  y[i] = mulAdd(w, g, y[i]);
}
template <class T>
T valueOrZero(const T* x, int64_t count, int64_t i) {
  return i >= 0 && i < count ? x[i] : T(0);
}

// analysisLevelAdjoint, strip-mined: (ga, gd) [len] -> gx [n].
template <class T, class InA, class InD, class Out>
void analysisLevelAdjointStrips(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                                const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<T>& taps,
                                const InA& ga, const InD& gd, int64_t n, const Out& gx, T* s, T* d) {
  using namespace wt::wavelet;
  const AnalysisFrame f = analysisFrame(p, plan, n);
  const int64_t len = f.len, sh = f.sh, blo = f.lo, bhi = f.hi, qa = f.qa, qb = f.qb;
  T* s0 = s - blo;
  T* d0 = d - blo;
  const T ca = T(p.scale), cd = T(double(p.sign_d) / p.scale);
  const int last = p.n_steps + 1;
  int64_t lo[kMaxStages], hi[kMaxStages];
  lo[0] = blo;
  hi[0] = bhi;
  for (int jj = 0; jj < p.n_steps; ++jj) {
    const int j = p.n_steps - 1 - jj;
    lo[1 + jj] = transposedLo(p, plan, j);
    hi[1 + jj] = transposedHi(p, plan, j, len);
  }
  lo[last] = qa;
  hi[last] = qb;
  T tmp[2 * stripPairs<T>()];  // the interleave's staging, for an output that is not an array
  runStrips(pl, lo, hi, stripPairs<T>(), [&](int k, int64_t b, int64_t e) {
    if (k == 0) {
      placeInput(ex, ga, len, ca, p.shift_a, false, s0, b, e);
      placeInput(ex, gd, len, cd, p.shift_d, false, d0, b, e);
    } else if (k == last) {
      // Pairs [b, e) (all interior) hold samples [2b + sh, 2e + sh).
      const int64_t tb = 2 * b + sh;
      mergePairs(stage(gx, tmp, tb) + sh, s0, d0, b, e);
      flush(gx, tmp, tb, 2 * (e - b));
    } else {
      liftRangeTransposed(ex, p, plan, taps.c, ts, p.n_steps - k, len, s, d, b, e);
    }
  });
  // The samples no interior pair wrote start from zero; then the edges fold back.
  const int64_t covLo = qa < qb ? 2 * qa + sh : n, covHi = qa < qb ? 2 * qb + sh : n;
  for (int64_t i = 0; i < lmin(covLo, n); ++i) zeroAt(gx, i);
  for (int64_t i = lmax(covHi, 0); i < n; ++i) zeroAt(gx, i);
  foldExtension(p, n, sh, blo, bhi, qa, qb, s0, d0, [&](int64_t i, T w, T g) { mulAddAt(gx, i, w, g); });
}

// synthesisLevelAdjoint, strip-mined: gOut [kept] (the level's output, its last nOut − kept samples
// dropped) -> (ga, gd) [len].
template <class T, class In, class OutA, class OutD>
void synthesisLevelAdjointStrips(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                                 const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<T>& taps,
                                 const In& gOut, int64_t kept, int64_t len, const OutA& ga, const OutD& gd, T* s,
                                 T* d) {
  using namespace wt::wavelet;
  const int64_t sh = synthesisShift(p.filter_len, p.mode);
  const int64_t blo = plan.bufLo, bhi = len + plan.bufHiE;
  int64_t qa, qb;
  interiorPairs(-sh, kept, blo, bhi, qa, qb);
  T* s0 = s - blo;
  T* d0 = d - blo;
  const bool periodic = p.mode == kPeriodization;
  const int last = p.n_steps + 1;
  int64_t lo[kMaxStages], hi[kMaxStages];
  lo[0] = blo;
  hi[0] = bhi;
  for (int j = 0; j < p.n_steps; ++j) {
    lo[1 + j] = transposedLo(p, plan, j);
    hi[1 + j] = transposedHi(p, plan, j, len);
  }
  lo[last] = 0;
  hi[last] = periodic ? 0 : len;
  auto edge = [&](int64_t q) {
    s0[q] = valueOrZero(gOut, kept, 2 * q - sh);
    d0[q] = valueOrZero(gOut, kept, 2 * q - sh + 1);
  };
  T tmp[2][stripPairs<T>()];  // the write-out's staging, for outputs that are not arrays
  auto writeOut = [&](int64_t b, int64_t e) {
    synthesisAdjointWriteOut(ex, p, len, s0, d0, blo, bhi, stage(ga, tmp[0], b), stage(gd, tmp[1], b), b, e);
    flush(ga, tmp[0], b, e - b);
    flush(gd, tmp[1], b, e - b);
  };
  runStrips(pl, lo, hi, stripPairs<T>(), [&](int k, int64_t b, int64_t e) {
    if (k == 0) {
      ex.forRange(b, lmin(e, qa), edge);
      fillPairs(s0, d0, gOut, -sh, lmax(b, qa), lmin(e, qb));
      ex.forRange(lmax(b, qb), e, edge);
    } else if (k == last) {
      writeOut(b, e);
    } else {
      liftRangeTransposed(ex, p, plan, taps.c, ts, k - 1, len, s, d, b, e);
    }
  });
  // Periodization sums each coefficient's aliases across the buffer: after the strips, in strips.
  if (periodic)
    for (int64_t b = 0; b < len; b += stripPairs<T>()) writeOut(b, lmin(len, b + stripPairs<T>()));
}

// analysisRowAdjoint with the strip-mined levels: the packed gradient row [cA_L, cD_L, …, cD_1] (a
// plain array or rows) -> gx; a0, a1 hold the intermediate approximations' gradients.
template <class T, class In, class Out>
void analysisRowAdjointStrips(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                              const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<T>& taps,
                              const In& packed, const Out& gx, T* s, T* d, T* a0, T* a1) {
  using namespace wt::wavelet;
  int64_t start = analysisLengthAt(p, p.levels);  // cD_L
  const T* ga = nullptr;
  for (int l = p.levels; l >= 1; --l) {
    T* out = (l & 1) ? a0 : a1;
    const int64_t n = analysisLengthAt(p, l - 1);
    const In gd = offsetBy(packed, start);
    if (l == p.levels && l == 1)
      analysisLevelAdjointStrips(ex, p, plan, ts, pl, taps, packed, gd, n, gx, s, d);
    else if (l == p.levels)
      analysisLevelAdjointStrips(ex, p, plan, ts, pl, taps, packed, gd, n, out, s, d);
    else if (l == 1)
      analysisLevelAdjointStrips(ex, p, plan, ts, pl, taps, ga, gd, n, gx, s, d);
    else
      analysisLevelAdjointStrips(ex, p, plan, ts, pl, taps, ga, gd, n, out, s, d);
    start += analysisLengthAt(p, l);
    ga = out;
  }
}

// synthesisRowAdjoint with the strip-mined levels: gOut (a plain array or rows) -> the packed
// coefficient gradients (a dropped last sample reads as a zero gradient, so no staging copy).
template <class T, class In, class Out>
void synthesisRowAdjointStrips(SerialExec& ex, const wt_wavelet_params& p, const wt::wavelet::LiftPlan& plan,
                               const wt::wavelet::TapStarts& ts, const Pipeline& pl, const StepTaps<T>& taps,
                               const In& gOut, const Out& packed, T* s, T* d, T* a0, T* a1) {
  using namespace wt::wavelet;
  const T* g = nullptr;
  for (int j = p.levels - 1; j >= 0; --j) {
    int64_t mj = p.n, startJ = p.n;
    for (int k = 0; k < j; ++k) {
      startJ += mj;
      mj = synthesisLength(mj, p.filter_len, p.mode) - int64_t((p.drop_mask >> k) & 1);
    }
    const int64_t kept = synthesisLength(mj, p.filter_len, p.mode) - int64_t((p.drop_mask >> j) & 1);
    T* ga = (j & 1) ? a0 : a1;
    const Out gd = offsetBy(packed, startJ);
    if (j == p.levels - 1 && j == 0)
      synthesisLevelAdjointStrips(ex, p, plan, ts, pl, taps, gOut, kept, mj, packed, gd, s, d);
    else if (j == p.levels - 1)
      synthesisLevelAdjointStrips(ex, p, plan, ts, pl, taps, gOut, kept, mj, ga, gd, s, d);
    else if (j == 0)
      synthesisLevelAdjointStrips(ex, p, plan, ts, pl, taps, g, kept, mj, packed, gd, s, d);
    else
      synthesisLevelAdjointStrips(ex, p, plan, ts, pl, taps, g, kept, mj, ga, gd, s, d);
    g = ga;
  }
}
