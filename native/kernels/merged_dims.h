// Dimension merging for N-d loops over several operands that share one shape (CPU strided loops, the
// CUDA elementwise layout): size-1 dimensions dropped, neighbours merged where every operand is dense.
#pragma once
#include <stdint.h>

namespace wt {

// The iteration space of `count` operands over a row-major shape (outermost first), as few and as long
// dimensions as the strides allow: d-1 and d merge when strides[k][d-1] == strides[k][d] * shape[d] for
// every operand k. A scalar (every dimension 1) has ndim 0. MaxDims is the ABI's WT_MAX_DIMS.
template <int MaxOperands, int MaxDims>
struct MergedDims {
  int ndim = 0;
  int count = 0;
  int64_t shape[MaxDims] = {};
  int64_t strides[MaxOperands][MaxDims] = {};

  // strideOf(k, d): operand k's stride, in elements, along dimension d of `shp` (0 where it broadcasts).
  template <class StrideOf>
  MergedDims(int nd, const int64_t* shp, int operands, StrideOf strideOf) : count(operands) {
    for (int d = 0; d < nd; ++d) {
      if (shp[d] == 1) continue;
      bool merge = ndim > 0;
      for (int k = 0; k < count && merge; ++k) merge = strides[k][ndim - 1] == strideOf(k, d) * shp[d];
      if (merge) {
        shape[ndim - 1] *= shp[d];
        for (int k = 0; k < count; ++k) strides[k][ndim - 1] = strideOf(k, d);
      } else {
        shape[ndim] = shp[d];
        for (int k = 0; k < count; ++k) strides[k][ndim] = strideOf(k, d);
        ++ndim;
      }
    }
  }

  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < ndim; ++d) n *= shape[d];
    return n;
  }

  // Operand 0 the output, operand `in` an input (a copy's, an elementwise op's): the dimension B along
  // which the input is dense when the output is dense along its innermost dimension A = ndim − 1 and
  // the input is not (a transposed plane, e.g. a swapped-axes view), both sides at least minSide
  // long; else −1.
  int transposedPlane(int64_t minSide, int in = 1) const {
    const int A = ndim - 1;
    if (ndim < 2 || strides[0][A] != 1 || strides[in][A] == 1) return -1;
    int B = -1;
    for (int d = 0; d < A; ++d)
      if (strides[in][d] == 1) B = d;
    return B >= 0 && shape[A] >= minSide && shape[B] >= minSide ? B : -1;
  }
};

}  // namespace wt
