// The trust-region CPU loops, included by one translation unit per instruction set
// (trust_region.cpp: the x86-64-v2 baseline; trust_region_avx2.cpp: AVX2): the Cauchy point by rows
// (threads across rows, a row's two reductions in 8 double lanes, its step coef·g from the
// cache-resident row), the radius rule and Adam as one elementwise pass each. Outputs of
// kStreamingOutputBytes or more leave through streaming stores (streaming_store.h).
// Include inside an anonymous namespace, so each unit's instantiations stay its own.

// Fails the op (reported when its results are read) on the first radius that is not finite and > 0.
template <class T> void checkRadii(const T* delta, int64_t n, const char* fn) {
  for (int64_t i = 0; i < n; ++i)
    if (!tr::validRadius(delta[i]))
      fail(WT_E_RANGE, fn, ": argument 'delta' holds ", double(delta[i]), " at ", i, "; expected finite trust radii > 0");
}

// gᵀg and gᵀBg of one row in double: 8 independent lanes (vector registers), folded in a fixed
// order, so the result depends on neither the thread count nor the instruction set. The including
// unit defines laneSums<T, Diagonal>(g, model, d, gg, gbg): lane l adds the terms of elements
// j + l over the whole blocks of 8, and returns where the blocks end; and writeStepRow(g, coef,
// step, d, streaming): step = scaleRow's values, with streaming stores when asked (the caller fences).
// foldRow finishes the lanes: the elements from j on (fewer than 8) into lane 0, then the fold.
template <class T, bool Diagonal>
tr::CauchyAcc<double> foldRow(const T* __restrict g, const T* __restrict model, int64_t j, int64_t d, double* gg,
                              double* gbg) {
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
tr::CauchyAcc<double> rowSums(const T* __restrict g, const T* __restrict model, int64_t d) {
  alignas(32) double gg[kLanes] = {}, gbg[kLanes] = {};
  const int64_t j = laneSums<T, Diagonal>(g, model, d, gg, gbg);
  return foldRow<T, Diagonal>(g, model, j, d, gg, gbg);
}

// step[0, n) = coef·g in double, rounded once to T.
template <class T> void scaleRow(const T* __restrict g, double coef, T* __restrict step, int64_t n) {
  for (int64_t j = 0; j < n; ++j) step[j] = T(coef * double(g[j]));
}

// One Cauchy-step op's operands: [rows, d] g, model and step; [rows] delta and the row results.
template <class T> struct CauchyArgs {
  const T* g;
  const T* model;
  const T* delta;
  T* step;
  T* predicted;
  T* tau;
  T* onBoundary;
  int64_t d;
  bool streaming;
  void storeRow(int64_t r, const tr::CauchyRow<double>& row) const {
    predicted[r] = T(row.predicted);
    tau[r] = T(row.tau);
    onBoundary[r] = row.onBoundary ? T(1) : T(0);
  }
};

// Rows [b, e): a row's sums, then its step from the L1-resident row.
template <class T, bool Diagonal> void cauchyRowsTwoPass(const CauchyArgs<T>& a, int64_t b, int64_t e) {
  for (int64_t r = b; r < e; ++r) {
    const T* g = a.g + r * a.d;
    const tr::CauchyRow<double> row = tr::cauchyFinish(rowSums<T, Diagonal>(g, a.model + r * a.d, a.d), double(a.delta[r]));
    writeStepRow(g, row.coef, a.step + r * a.d, a.d, a.streaming);
    a.storeRow(r, row);
  }
}

// Rows [b, e) of the Cauchy step, defined by the including unit (after this header).
template <class T, bool Diagonal> void cauchyRows(const CauchyArgs<T>& a, int64_t b, int64_t e);

template <class T, bool Diagonal>
void cauchyTyped(const wt_op& op) {
  const int64_t rows = op.in[0].shape[0], d = op.in[0].shape[1];
  CauchyArgs<T> a;
  a.g = static_cast<const T*>(op.in[0].data);
  a.model = static_cast<const T*>(op.in[1].data);
  a.delta = static_cast<const T*>(op.in[2].data);
  checkRadii(a.delta, rows, "tr.cauchyStep");
  a.step = static_cast<T*>(op.out[0].data);
  a.predicted = static_cast<T*>(op.out[1].data);
  a.tau = a.predicted + rows;
  a.onBoundary = a.tau + rows;
  a.d = d;
  a.streaming = rows * d * int64_t(sizeof(T)) >= kStreamingOutputBytes;
  parallelFor(rows, kElementwiseGrain / (d + 1) + 1, [&](int64_t b, int64_t e) {
    cauchyRows<T, Diagonal>(a, b, e);
    if (a.streaming) _mm_sfence();  // streaming stores are weakly ordered: publish them before the op completes
  });
}

template <class T> void cauchyOp(const wt_op& op, const wt_cauchy_params& p) {
  if (p.diagonal) cauchyTyped<T, true>(op);
  else cauchyTyped<T, false>(op);
}

// The radius rule over [0, n): no branch per element once trapping math is off (the AVX2 unit),
// where the rule's selects become blends.
template <class T>
void radiusRun(const T* __restrict actual, const T* __restrict predicted, const T* __restrict delta,
               const T* __restrict onBoundary, T* __restrict outDelta, T* __restrict accept, T* __restrict rho,
               int64_t n, const tr::RadiusConsts<T> c) {
  for (int64_t i = 0; i < n; ++i) {
    const tr::RadiusOut<T> r = tr::updateRadius(actual[i], predicted[i], delta[i], onBoundary[i] != T(0), c);
    outDelta[i] = r.delta;
    accept[i] = r.accept;
    rho[i] = r.rho;
  }
}

template <class T> void radiusOp(const wt_op& op, const wt_radius_params& p) {
  const int64_t n = op.in[0].shape[0];
  const T* actual = static_cast<const T*>(op.in[0].data);
  const T* predicted = static_cast<const T*>(op.in[1].data);
  const T* delta = static_cast<const T*>(op.in[2].data);
  const T* onBoundary = static_cast<const T*>(op.in[3].data);
  checkRadii(delta, n, "tr.updateRadius");
  T* outDelta = static_cast<T*>(op.out[0].data);
  T* accept = outDelta + n;
  T* rho = accept + n;
  const tr::RadiusConsts<T> c(p);
  parallelFor(n, kElementwiseGrain, [&](int64_t b, int64_t e) {
    radiusRun(actual + b, predicted + b, delta + b, onBoundary + b, outDelta + b, accept + b, rho + b, e - b, c);
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

// Adam over [0, count): streamed, a chunk at a time through three L1-resident buffers.
template <class T, bool HasState>
void adamRange(const T* theta, const T* g, const T* m, const T* v, T* outTheta, T* outM, T* outV, int64_t count,
               const tr::AdamConsts<T>& c, bool streaming) {
  if (!streaming) return adamRun<T, HasState>(theta, g, m, v, outTheta, outM, outV, count, c);
  constexpr int64_t kChunk = kStreamChunk<T>;
  alignas(64) T th[kChunk], mm[kChunk], vv[kChunk];
  for (int64_t j = 0; j < count; j += kChunk) {
    const int64_t n = count - j < kChunk ? count - j : kChunk;
    adamRun<T, HasState>(theta + j, g + j, HasState ? m + j : m, HasState ? v + j : v, th, mm, vv, n, c);
    streamCopy(outTheta + j, th, n);
    streamCopy(outM + j, mm, n);
    streamCopy(outV + j, vv, n);
  }
  _mm_sfence();
}

template <class T> void adamOp(const wt_op& op, const wt_adam_params& p) {
  const int64_t n = op.in[0].shape[0];
  const T* theta = static_cast<const T*>(op.in[0].data);
  const T* g = static_cast<const T*>(op.in[1].data);
  const T* m = op.n_in == 4 ? static_cast<const T*>(op.in[2].data) : nullptr;
  const T* v = op.n_in == 4 ? static_cast<const T*>(op.in[3].data) : nullptr;
  T* outTheta = static_cast<T*>(op.out[0].data);
  T* outM = static_cast<T*>(op.out[1].data);
  T* outV = outM + n;
  const tr::AdamConsts<T> c(p);
  const bool streaming = n * int64_t(sizeof(T)) >= kStreamingOutputBytes;
  parallelFor(n, kElementwiseGrain, [&](int64_t b, int64_t e) {
    if (m != nullptr) adamRange<T, true>(theta + b, g + b, m + b, v + b, outTheta + b, outM + b, outV + b, e - b, c, streaming);
    else adamRange<T, false>(theta + b, g + b, m, v, outTheta + b, outM + b, outV + b, e - b, c, streaming);
  });
}
