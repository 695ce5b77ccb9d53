// N-d iteration over several operands sharing one shape, over the dimensions kernels/merged_dims.h
// leaves: the body sees runs along the innermost dimension with their strides.
#pragma once
#include <cstdint>

#include "../abi/plugin_abi.h"
#include "../kernels/merged_dims.h"

namespace wt {
namespace cpu {

template <int NOPS>
struct StridedLoop : MergedDims<NOPS, WT_MAX_DIMS> {
  using MergedDims<NOPS, WT_MAX_DIMS>::ndim;
  using MergedDims<NOPS, WT_MAX_DIMS>::shape;
  using MergedDims<NOPS, WT_MAX_DIMS>::strides;

  // shape/strides in the usual row-major order, merged by kernels/merged_dims.h.
  StridedLoop(int nd, const int64_t* shp, const int64_t* const* st)
      : MergedDims<NOPS, WT_MAX_DIMS>(nd, shp, NOPS, [st](int k, int d) { return st[k][d]; }) {
    if (ndim == 0) {  // a scalar: one run of length 1
      shape[0] = 1;
      for (int k = 0; k < NOPS; ++k) strides[k][0] = 0;
      ndim = 1;
    }
  }

  int64_t inner() const { return shape[ndim - 1]; }
  int64_t innerStride(int k) const { return strides[k][ndim - 1]; }

  // Calls body(off, count) for each innermost run intersecting the flat range [begin, end);
  // off[k] is operand k's element offset of the run's first element.
  template <class F>
  void run(int64_t begin, int64_t end, F&& body) const {
    int64_t idx[WT_MAX_DIMS];
    int64_t rem = begin;
    for (int d = ndim - 1; d >= 0; --d) {
      idx[d] = rem % shape[d];
      rem /= shape[d];
    }
    int64_t pos = begin;
    while (pos < end) {
      int64_t off[NOPS];
      for (int k = 0; k < NOPS; ++k) {
        off[k] = 0;
        for (int d = 0; d < ndim; ++d) off[k] += idx[d] * strides[k][d];
      }
      int64_t count = shape[ndim - 1] - idx[ndim - 1];
      if (count > end - pos) count = end - pos;
      body(off, count);
      pos += count;
      idx[ndim - 1] += count;
      for (int d = ndim - 1; d > 0 && idx[d] == shape[d]; --d) {
        idx[d] = 0;
        ++idx[d - 1];
      }
    }
  }
};

}  // namespace cpu
}  // namespace wt
