// Reductions over the middle axis of [O, R, I] with the monoids of native/kernels/reduce_ops.h.
// Rows are summed in blocks with 8 independent lanes (vectorisable), blocks combined pairwise.
#include <algorithm>
#include <vector>

#include "../kernels/reduce_ops.h"
#include "dispatch.h"
#include "kernels.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {
namespace {

constexpr int kLanes = 8;
constexpr int64_t kBlock = 2048;
constexpr int64_t kPiece = 64 * kBlock;  // unit of work when one long row is split over threads

// Reduces x[0..n) (stride 1), indices starting at i0, into an accumulator.
template <class M, class T>
typename M::Acc reduceBlock(const M& mon, const T* x, int64_t n, int64_t i0) {
  using Acc = typename M::Acc;
  Acc lane[kLanes];
  for (int l = 0; l < kLanes; ++l) lane[l] = mon.init();
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (int l = 0; l < kLanes; ++l) lane[l] = mon.combine(lane[l], mon.lift(x[j + l], i0 + j + l));
  for (; j < n; ++j) lane[0] = mon.combine(lane[0], mon.lift(x[j], i0 + j));
  for (int w = kLanes / 2; w > 0; w /= 2)
    for (int l = 0; l < w; ++l) lane[l] = mon.combine(lane[l], lane[l + w]);
  return lane[0];
}

// Pairwise combination of block results (a binary counter of partial sums): error grows with
// log(blocks), not with their number.
template <class M, class T>
typename M::Acc reduceRow(const M& mon, const T* x, int64_t r0, int64_t r1) {
  using Acc = typename M::Acc;
  Acc stack[64];
  int64_t level[64];
  int top = 0;
  for (int64_t b = r0; b < r1; b += kBlock) {
    Acc acc = reduceBlock(mon, x + b, (b + kBlock < r1 ? kBlock : r1 - b), b);
    int64_t lv = 0;
    while (top > 0 && level[top - 1] == lv) {
      acc = mon.combine(stack[--top], acc);
      ++lv;
    }
    stack[top] = acc;
    level[top++] = lv;
  }
  Acc acc = mon.init();
  while (top > 0) acc = mon.combine(stack[--top], acc);
  return acc;
}

// Pairwise tree over partial results, in order.
template <class M>
typename M::Acc combinePairwise(const M& mon, const typename M::Acc* p, int64_t n) {
  if (n == 1) return p[0];
  const int64_t h = n / 2;
  return mon.combine(combinePairwise(mon, p, h), combinePairwise(mon, p + h, n - h));
}

// The canonical reduction of a row: pieces of kPiece values (each a binary counter of blocks),
// combined pairwise in order. `runPieces(count, body)` calls body(p) for every piece, serially or
// on the pool; either way the result is the same, so it does not depend on the thread count.
template <class M, class T, class RunPieces>
typename M::Acc reduceRowCanonical(const M& mon, const T* x, int64_t R, const RunPieces& runPieces) {
  if (R <= kPiece) return reduceRow(mon, x, 0, R);
  const int64_t pieces = (R + kPiece - 1) / kPiece;
  std::vector<typename M::Acc> part((size_t)pieces);
  runPieces(pieces, [&](int64_t p) { part[(size_t)p] = reduceRow(mon, x, p * kPiece, std::min(R, (p + 1) * kPiece)); });
  return combinePairwise(mon, part.data(), pieces);
}

template <class M, class T, class TO>
void reduceTyped(const M& mon, const wt_op& op) {
  const int64_t O = op.in[0].shape[0], R = op.in[0].shape[1], I = op.in[0].shape[2];
  const T* x = static_cast<const T*>(op.in[0].data);
  TO* out = static_cast<TO*>(op.out[0].data);
  using Acc = typename M::Acc;
  // An empty R (numpy: sum 0, prod 1, mean NaN) still writes every output; grains are sized by
  // at least one row so the division below never sees zero.
  const int64_t rows = std::max<int64_t>(R, 1);
  if (I == 1) {
    if (O >= numThreads() || R < 2 * kPiece) {
      const auto serial = [](int64_t n, const auto& body) {
        for (int64_t p = 0; p < n; ++p) body(p);
      };
      parallelFor(O, (1 << 15) / (rows + 1) + 1, [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) out[o] = mon.finish(reduceRowCanonical(mon, x + o * R, R, serial), R);
      });
    } else {
      // Few long rows: each row's pieces spread over the threads.
      const auto pooled = [](int64_t n, const auto& body) {
        parallelFor(n, 1, [&](int64_t b, int64_t e) {
          for (int64_t p = b; p < e; ++p) body(p);
        });
      };
      for (int64_t o = 0; o < O; ++o) out[o] = mon.finish(reduceRowCanonical(mon, x + o * R, R, pooled), R);
    }
    return;
  }
  // Inner axis kept: walk R outermost so each step reads a contiguous run of I values.
  constexpr int64_t kTile = 256;
  const int64_t tiles = (I + kTile - 1) / kTile;
  parallelFor(O * tiles, (1 << 15) / (rows * kTile) + 1, [&](int64_t b, int64_t e) {
    Acc acc[kTile];
    for (int64_t w = b; w < e; ++w) {
      const int64_t o = w / tiles, i0 = (w % tiles) * kTile;
      const int64_t n = I - i0 < kTile ? I - i0 : kTile;
      for (int64_t i = 0; i < n; ++i) acc[i] = mon.init();
      const T* base = x + o * R * I + i0;
      for (int64_t r = 0; r < R; ++r) {
        const T* row = base + r * I;
        for (int64_t i = 0; i < n; ++i) acc[i] = mon.combine(acc[i], mon.lift(row[i], r));
      }
      for (int64_t i = 0; i < n; ++i) out[o * I + i0 + i] = mon.finish(acc[i], R);
    }
  });
}

template <class T, class M>
void dispatchOut(const M& mon, const wt_op& op) {
  const int32_t code = op.params.reduce.code;
  if (code == WT_RED_ARGMAX || code == WT_RED_ARGMIN) reduceTyped<M, T, int32_t>(mon, op);
  else reduceTyped<M, T, T>(mon, op);
}

}  // namespace

void reduce(const wt_op& op, const wt_reduce_params& p) {
  const int32_t d = op.in[0].dtype;
  bool ok = false;
  if (d == WT_F32) ok = red::visitReal<float>(p.code, [&](auto m) { dispatchOut<float>(m, op); });
  else if (d == WT_F64) ok = red::visitReal<double>(p.code, [&](auto m) { dispatchOut<double>(m, op); });
  else if (d == WT_C64) ok = red::visitComplex<float>(p.code, [&](auto m) { reduceTyped<decltype(m), cplx<float>, cplx<float>>(m, op); });
  else if (d == WT_C128) ok = red::visitComplex<double>(p.code, [&](auto m) { reduceTyped<decltype(m), cplx<double>, cplx<double>>(m, op); });
  if (!ok) fail(WT_E_DTYPE, "cpu: reduction ", p.code, " does not support dtype ", d);
}

}  // namespace cpu
}  // namespace wt
