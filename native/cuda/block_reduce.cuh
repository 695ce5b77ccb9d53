// The warp-shuffle + shared-memory block reduction over any monoid (init, combine) of trivially
// copyable accumulators: written once, used by the reductions and the trust-region rows.
#pragma once
#include <string.h>

#include "launch.cuh"

namespace wt {
namespace cuda {

// __shfl_down_sync on any trivially copyable accumulator, one 32-bit word at a time.
template <class A>
__device__ __forceinline__ A shuffleDown(A a, int offset, int width) {
  static_assert(sizeof(A) % 4 == 0, "accumulators are made of 32-bit words");
  unsigned words[sizeof(A) / 4];
  memcpy(words, &a, sizeof(A));
#pragma unroll
  for (int k = 0; k < int(sizeof(A) / 4); ++k) words[k] = __shfl_down_sync(0xffffffffu, words[k], offset, width);
  memcpy(&a, words, sizeof(A));
  return a;
}

// Combines the accumulators of lanes lo, lo + step, lo + 2 step, ... < width into lane lo (a tree,
// so the order is fixed). All 32 lanes must call it; width and step are powers of two.
template <class M>
__device__ __forceinline__ typename M::Acc warpReduce(const M& m, typename M::Acc acc, int width, int step = 1) {
  for (int offset = width / 2; offset >= step; offset /= 2) acc = m.combine(acc, shuffleDown(acc, offset, width));
  return acc;
}

// Block-wide reduction: shuffles within each warp, then warp 0 reduces the per-warp totals kept in
// `warpTotals` (BLOCK / 32 entries of shared memory). The result is valid in thread 0.
template <int BLOCK, class M>
__device__ __forceinline__ typename M::Acc blockReduce(const M& m, typename M::Acc acc, typename M::Acc* warpTotals) {
  static_assert(BLOCK % 32 == 0 && BLOCK <= 1024, "whole warps, at most 32 of them");
  int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  acc = warpReduce(m, acc, 32);
  if (lane == 0) warpTotals[warp] = acc;
  __syncthreads();
  acc = m.init();
  if (warp == 0) {
    if (lane < BLOCK / 32) acc = warpTotals[lane];
    acc = warpReduce(m, acc, 32);
  }
  return acc;
}

}  // namespace cuda
}  // namespace wt
