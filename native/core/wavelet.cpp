// The wavelet family's core: the scheme and mode checked once (messages name the public function),
// pywt's level lengths and waverec's length rules, contiguous [rows, len] views and op submission.
#include "wavelet.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "../kernels/wavelet_lifting.h"
#include "ops.h"
#include "submit.h"

namespace wt {
namespace {

constexpr int64_t kMaxLevels = 64;
// Offsets and shifts beyond this would only widen every row's halo (and its scratch) to no purpose.
constexpr double kMaxReach = 1024;
const char* const kModes[] = {"zero",   "constant",      "symmetric",   "reflect",      "periodic",
                              "smooth", "antisymmetric", "antireflect", "periodization"};

int64_t taps(const wt_wavelet_params& p) {
  int64_t t = 0;
  for (int j = 0; j < p.n_steps; ++j) t += p.step_taps[j];
  return t;
}

Shape withLast(const Shape& s, int64_t last) {
  Shape r = s;
  r.back() = last;
  return r;
}

// The [outer, n, inner] block a tensor's rows lie in when its last axis (the transform axis) has a
// stride inner > 1 and its other axes tile a contiguous [outer, n, inner] array: the facade's view of
// an inner `axis` of a contiguous tensor (swapAxes(axis, -1)). The kernels transform such rows in
// place, `inner` of them side by side (CPU: vectors of adjacent columns, no transposing copy). For
// float64 rows longer than 2048 with more than one 64-byte line per position, the transposing copy
// into rows is kept: there the CPU's walks, one column group after another, each reading part of
// every line, ran 10–55 % slower than the copy plus the row kernels (a wavedec-waverec round trip
// and an add of its result, [2, 4096, 512], [1, 16384, 256], [8, 16384, 32]), while float32, and
// float64 rows up to 2048, ran up to 2.5× faster in place (docs/kernels.md).
struct ColumnsBlock {
  int64_t outer, inner;
};

std::optional<ColumnsBlock> columnsBlock(const Tensor& t) {
  const int64_t nd = t.ndim(), n = nd > 0 ? t.shape.back() : 0, inner = nd > 0 ? t.strides.back() : 0;
  if (nd < 2 || n < 2 || inner <= 1 || t.numel() == 0) return std::nullopt;
  if (t.dtype == WT_F64 && inner * int64_t(sizeof(double)) > 64 && n > 2048) return std::nullopt;
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, extent) of the other axes that matter
  for (int64_t d = 0; d + 1 < nd; ++d)
    if (t.shape[d] > 1) dims.emplace_back(t.strides[d], t.shape[d]);
  std::sort(dims.begin(), dims.end());
  int64_t expect = 1, outer = 1;
  bool inInner = true;
  for (const auto& [stride, extent] : dims) {
    if (inInner && expect == inner) {
      inInner = false;
      expect = n * inner;
    }
    if (stride != expect) return std::nullopt;
    expect *= extent;
    if (!inInner) outer *= extent;
  }
  if (inInner && expect != inner) return std::nullopt;
  return ColumnsBlock{outer, inner};
}

// Runs `kind` on in's rows into a new tensor of in's shape with `outLen` along the last axis. Rows of a
// columns block stay in place and the result has the same layout (so the facade's axis swap back
// makes it row-major [B, outLen, C]); any other input is made a contiguous [rows, n] first.
Tensor transformRows(Env& env, wt_op_kind kind, const Tensor& in, int64_t outLen, const wt_wavelet_params& p,
                     const char* fn) {
  const int64_t inLen = in.shape.back(), rows = in.numel() / inLen;
  const std::optional<ColumnsBlock> block = columnsBlock(in);
  Tensor out, src = in;
  wt_op o = makeOp(kind);
  o.n_in = 1;
  o.n_out = 1;
  o.params.waveletAnalysis = p;
  if (block) {
    const int64_t S = block->inner;
    out = emptyTensor(in.device(), in.dtype, {block->outer, outLen, S}, fn);
    Tensor laid = out;
    laid.shape = withLast(in.shape, outLen);
    laid.strides = in.strides;  // inner axes as in the input; outer ones scaled from n·S to outLen·S rows
    for (int64_t d = 0; d + 1 < in.ndim(); ++d)
      if (in.strides[d] >= inLen * S) laid.strides[d] = in.strides[d] / inLen * outLen;
    o.in[0] = in.view();
    o.in[0].ndim = 3;
    const int64_t shapeIn[3] = {block->outer, inLen, S}, stridesIn[3] = {inLen * S, S, 1};
    for (int k = 0; k < 3; ++k) {
      o.in[0].shape[k] = shapeIn[k];
      o.in[0].strides[k] = stridesIn[k];
    }
    o.out[0] = contiguousView(out, {block->outer, outLen, S});
    out = laid;
  } else {
    out = emptyTensor(in.device(), in.dtype, withLast(in.shape, outLen), fn);
    if (out.numel() == 0) return out;
    src = contiguous(env, in);
    o.in[0] = contiguousView(src, {rows, inLen});
    o.out[0] = contiguousView(out, {rows, outLen});
  }
  // Each level costs about one pass per tap over its samples, plus the read and the write.
  submit(env, in.device(), o, {src.storage}, {out.storage}, rows * (inLen + outLen) * (taps(p) + 2));
  return out;
}

void checkReal(const char* fn, const char* arg, const Tensor& t) {
  requireFloat(fn, arg, t);
  if (t.ndim() == 0) fail(WT_E_SHAPE, fn, ": argument '", arg, "' must have at least one axis; got a scalar");
}

}  // namespace

wt_wavelet_params waveletParams(const std::vector<double>& scheme, int64_t filterLen, const std::string& mode,
                                const char* fn) {
  wt_wavelet_params p{};
  int32_t m = -1;
  for (int i = 0; i < 9; ++i)
    if (mode == kModes[i]) m = i;
  if (m < 0)
    fail(WT_E_RANGE, fn, ": argument 'mode' = '", mode,
         "'; expected one of zero, constant, symmetric, reflect, periodic, smooth, antisymmetric, antireflect, "
         "periodization");
  p.mode = m;
  if (filterLen < 2 || filterLen % 2 != 0 || filterLen > 1 << 20)
    fail(WT_E_RANGE, fn, ": the filter length ", filterLen, " must be even and in [2, 2^20]");
  p.filter_len = int32_t(filterLen);
  auto bad = [&](const char* what) { fail(WT_E_RANGE, fn, ": malformed lifting scheme (", what, ")"); };
  if (scheme.size() < 5) bad("fewer than 5 header entries");
  auto integer = [&](double v, double lo, double hi, const char* what) {
    if (!(v >= lo && v <= hi) || v != std::floor(v)) bad(what);
    return int32_t(v);
  };
  p.scale = scheme[0];
  if (!std::isfinite(p.scale) || p.scale == 0) bad("the scale must be finite and nonzero");
  p.shift_a = integer(scheme[1], -kMaxReach, kMaxReach, "shiftA must be an integer in [-1024, 1024]");
  p.shift_d = integer(scheme[2], -kMaxReach, kMaxReach, "shiftD must be an integer in [-1024, 1024]");
  p.sign_d = integer(scheme[3], -1, 1, "signD must be 1 or -1");
  if (p.sign_d == 0) bad("signD must be 1 or -1");
  p.n_steps = integer(scheme[4], 0, wavelet::kMaxSteps, "at most 32 steps");
  size_t at = 5;
  int32_t tap = 0;
  for (int j = 0; j < p.n_steps; ++j) {
    if (at + 3 > scheme.size()) bad("a step is cut short");
    p.step_kind[j] = integer(scheme[at], 0, 1, "a step's kind must be 0 (predict) or 1 (update)");
    p.step_offset[j] = integer(scheme[at + 1], -kMaxReach, kMaxReach, "a step's offset must be an integer in [-1024, 1024]");
    p.step_taps[j] = integer(scheme[at + 2], 1, wavelet::kMaxTaps, "a step needs 1 to 64 coefficients");
    at += 3;
    if (tap + p.step_taps[j] > wavelet::kMaxTaps) bad("at most 64 coefficients in all");
    if (at + p.step_taps[j] > scheme.size()) bad("a step's coefficients are cut short");
    for (int k = 0; k < p.step_taps[j]; ++k) {
      const double c = scheme[at++];
      if (!std::isfinite(c)) bad("a coefficient is not finite");
      p.taps[tap++] = c;
    }
  }
  if (at != scheme.size()) bad("entries after the last step");
  return p;
}

Tensor waveletAnalysis(Env& env, const Tensor& x, wt_wavelet_params p, int64_t levels, const char* fn) {
  checkReal(fn, "x", x);
  const int64_t n = x.shape.back();
  if (n < 1) fail(WT_E_SHAPE, fn, ": argument 'x' has length 0 along the transform axis; expected >= 1");
  if (levels < 1 || levels > kMaxLevels) fail(WT_E_RANGE, fn, ": argument 'level' = ", levels, "; expected 1 to 64");
  p.n = n;
  p.levels = int32_t(levels);
  const int64_t total = wavelet::analysisTotal(p, n);
  return transformRows(env, WT_OP_WAVELET_ANALYSIS, x, total, p, fn);
}

Tensor waveletAnalysisAdjoint(Env& env, const Tensor& g, int64_t n, wt_wavelet_params p, int64_t levels,
                              const char* fn) {
  checkReal(fn, "grad", g);
  if (n < 1) fail(WT_E_RANGE, fn, ": the signal length ", n, " must be >= 1");
  if (levels < 1 || levels > kMaxLevels) fail(WT_E_RANGE, fn, ": argument 'level' = ", levels, "; expected 1 to 64");
  p.n = n;
  p.levels = int32_t(levels);
  const int64_t total = wavelet::analysisTotal(p, n);
  if (g.shape.back() != total)
    fail(WT_E_SHAPE, fn, ": the packed gradient has ", g.shape.back(), " entries per row; expected ", total);
  return transformRows(env, WT_OP_WAVELET_ANALYSIS_ADJOINT, g, n, p, fn);
}

namespace {

// Sets p.n, p.levels, p.drop_mask from the coefficient lengths [cA, cD_L, ..., cD_1] by pywt's
// waverec rules; returns the total packed length (cA counted as long as cD_L).
int64_t synthesisLengths(const std::vector<int64_t>& lens, wt_wavelet_params& p, const char* fn) {
  const int64_t levels = int64_t(lens.size()) - 1;
  if (levels < 1) fail(WT_E_SHAPE, fn, ": expected at least two coefficient arrays (cA and cD); got ", lens.size());
  if (levels > kMaxLevels) fail(WT_E_RANGE, fn, ": ", levels, " levels of coefficients; at most 64");
  for (size_t i = 0; i < lens.size(); ++i)
    if (lens[i] < 1) fail(WT_E_SHAPE, fn, ": coefficient array ", i, " is empty");
  if (lens[0] != lens[1] && lens[0] != lens[1] + 1)
    fail(WT_E_SHAPE, fn, ": cA has ", lens[0], " coefficients and cD ", lens[1],
         "; expected equal lengths (or cA one longer, cropped as pywt does)");
  p.n = lens[1];
  p.levels = int32_t(levels);
  p.drop_mask = 0;
  int64_t m = lens[1], total = lens[1];
  for (int64_t j = 0; j < levels; ++j) {
    total += lens[j + 1];
    const int64_t full = wavelet::synthesisLength(m, p.filter_len, p.mode);
    if (full < 1)
      fail(WT_E_SHAPE, fn, ": ", m, " coefficients are too few for a filter of length ", p.filter_len,
           " (the output would be empty)");
    if (j + 1 < levels) {
      const int64_t next = lens[j + 2];
      if (full == next + 1) p.drop_mask |= uint64_t(1) << j;
      else if (full != next)
        fail(WT_E_SHAPE, fn, ": level ", j + 1, " reconstructs ", full, " samples but the next detail has ", next,
             "; expected equal (or one fewer)");
      m = next;
    }
  }
  return total;
}


// The packed [..., total] tensor the coefficients are consecutive pieces of, when they are: one
// storage, the same strides, each piece starting where the previous ends along the last axis (cA
// exactly as long as cD_L), and the whole contiguous (rows of a contiguous [..., total]) or a
// columns block (wavedec's outputs along an inner axis). Else null.
std::optional<Tensor> packedView(const std::vector<Tensor>& coeffs, const std::vector<int64_t>& lens, int64_t total) {
  if (lens[0] != lens[1]) return std::nullopt;
  const Tensor& first = coeffs[0];
  const int64_t step = first.strides.back();
  int64_t at = first.offset;
  for (size_t i = 0; i < coeffs.size(); ++i) {
    const Tensor& c = coeffs[i];
    if (c.storage != first.storage || c.offset != at) return std::nullopt;
    for (size_t k = 0; k + 1 < first.shape.size(); ++k)
      if (c.shape[k] > 1 && c.strides[k] != first.strides[k]) return std::nullopt;
    at += lens[i] * step;
  }
  Tensor view = first;
  view.shape.back() = total;
  view.strides.back() = step;
  if (view.isContiguous() || columnsBlock(view)) return view;
  return std::nullopt;
}

}  // namespace

Tensor waveletSynthesis(Env& env, const std::vector<Tensor>& coeffs, wt_wavelet_params p, const char* fn) {
  if (coeffs.size() < 2)
    fail(WT_E_SHAPE, fn, ": expected at least two coefficient arrays (cA and cD); got ", coeffs.size());
  const Tensor& first = coeffs[0];
  checkReal(fn, "coeffs", first);
  std::vector<int64_t> lens;
  const Shape batch(first.shape.begin(), first.shape.end() - 1);
  for (size_t i = 0; i < coeffs.size(); ++i) {
    const Tensor& c = coeffs[i];
    if (c.dtype != first.dtype)
      fail(WT_E_DTYPE, fn, ": coefficient array ", i, " is ", dtypeName(c.dtype), "; expected ", dtypeName(first.dtype));
    sameDevice(fn, first, "coeffs[0]", c, "coeffs[i]");
    if (c.ndim() != first.ndim() || Shape(c.shape.begin(), c.shape.end() - 1) != batch)
      fail(WT_E_SHAPE, fn, ": coefficient array ", i, " has shape ", shapeStr(c.shape), "; expected the batch shape ",
           shapeStr(batch), " of cA");
    lens.push_back(c.shape.back());
  }
  const int64_t total = synthesisLengths(lens, p, fn);
  const int64_t nOut = wavelet::synthesisOutLength(p);
  if (numelOf(withLast(first.shape, nOut)) == 0)
    return emptyTensor(first.device(), first.dtype, withLast(first.shape, nOut), fn);
  // Coefficients that already lie side by side in one packed buffer (wavedec's outputs) are used in
  // place; others are packed [cA (cropped to len cD_L), cD_L, ..., cD_1] into one row per batch entry.
  if (const std::optional<Tensor> view = packedView(coeffs, lens, total))
    return transformRows(env, WT_OP_WAVELET_SYNTHESIS, *view, nOut, p, fn);
  Tensor packed = emptyTensor(first.device(), first.dtype, withLast(first.shape, total), fn);
  const int64_t nd = first.ndim();
  std::vector<int64_t> start(nd, 0), stop(packed.shape.begin(), packed.shape.end()), step(nd, 1);
  int64_t at = 0;
  for (size_t i = 0; i < coeffs.size(); ++i) {
    const int64_t len = i == 0 ? lens[1] : lens[i];
    start.back() = at;
    stop.back() = at + len;
    std::vector<int64_t> srcStart(nd, 0), srcStop(coeffs[i].shape.begin(), coeffs[i].shape.end());
    srcStop.back() = len;
    copyInto(env, slice(packed, start, stop, step), slice(coeffs[i], srcStart, srcStop, step), fn);
    at += len;
  }
  return transformRows(env, WT_OP_WAVELET_SYNTHESIS, packed, nOut, p, fn);
}

Tensor waveletSynthesisAdjoint(Env& env, const Tensor& g, const std::vector<int64_t>& lengths, wt_wavelet_params p,
                               const char* fn) {
  checkReal(fn, "grad", g);
  const int64_t total = synthesisLengths(lengths, p, fn);
  const int64_t nOut = wavelet::synthesisOutLength(p);
  if (g.shape.back() != nOut)
    fail(WT_E_SHAPE, fn, ": the gradient has ", g.shape.back(), " entries per row; expected ", nOut);
  return transformRows(env, WT_OP_WAVELET_SYNTHESIS_ADJOINT, g, total, p, fn);
}

}  // namespace wt
