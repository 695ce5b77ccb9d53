// The CPU schedule of the wavelet family, included by one translation unit per instruction set
// (wavelet.cpp: the x86-64-v2 baseline; wavelet_avx2.cpp: AVX2 + FMA): a row's levels in order on
// its thread (the row and its level buffers stay in L2), rows across the pool; the forward ops run
// each level as one strip-mined pass (wavelet_pipeline.h), the adjoints pass by pass.
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
  const Pipeline pl = analysis ? analysisPipeline(p) : synthesisPipeline(p);
  const StepTaps<T> taps(p, !analysis);
  for (int64_t r = b; r < e; ++r) {
    const T* x = in + r * inLen;
    T* y = out + r * outLen;
    switch (dir) {
      case Direction::Analysis: analysisRowStrips(ex, p, plan, ts, pl, taps, x, y, s, d, a0, a1); break;
      case Direction::AnalysisAdjoint: analysisRowAdjoint(ex, p, plan, ts, x, y, s, d, a0, a1); break;
      case Direction::Synthesis: synthesisRowStrips(ex, p, plan, ts, pl, taps, x, y, s, d, a0, a1); break;
      case Direction::SynthesisAdjoint: synthesisRowAdjoint(ex, p, plan, ts, x, y, s, d, a0, a1); break;
    }
  }
}

template <class T>
void runOp(Direction dir, const wt_op& op, const wt_wavelet_params& p) {
  const int64_t rows = op.in[0].shape[0], inLen = op.in[0].shape[1], outLen = op.out[0].shape[1];
  const T* in = static_cast<const T*>(op.in[0].data);
  T* out = static_cast<T*>(op.out[0].data);
  // A chunk of rows shares one scratch allocation; a few rows per chunk amortise it.
  const int64_t grain = wt::cpu::kElementwiseGrain / (inLen + outLen + 1) + 1;
  wt::cpu::parallelFor(rows, grain, [&](int64_t b, int64_t e) { runRows<T>(dir, p, in, inLen, out, outLen, b, e); });
}
