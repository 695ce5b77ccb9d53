// N-d iteration over several operands sharing one shape: dimensions that are contiguous for every
// operand are merged, and the body sees runs along the innermost dimension with their strides.
#pragma once
#include <cstdint>

#include "../abi/plugin_abi.h"

namespace wt {
namespace cpu {

template <int NOPS>
struct StridedLoop {
  int nd = 0;
  int64_t shape[WT_MAX_DIMS];
  int64_t strides[NOPS][WT_MAX_DIMS];

  // shape/strides in the usual row-major order; size-1 dims are dropped, mergeable dims merged.
  StridedLoop(int ndim, const int64_t* shp, const int64_t* const* st) {
    for (int d = 0; d < ndim; ++d) {
      if (shp[d] == 1) continue;
      bool merge = nd > 0;
      for (int k = 0; k < NOPS && merge; ++k) merge = strides[k][nd - 1] == st[k][d] * shp[d];
      if (merge) {
        shape[nd - 1] *= shp[d];
        for (int k = 0; k < NOPS; ++k) strides[k][nd - 1] = st[k][d];
      } else {
        shape[nd] = shp[d];
        for (int k = 0; k < NOPS; ++k) strides[k][nd] = st[k][d];
        ++nd;
      }
    }
    if (nd == 0) {  // a scalar: one run of length 1
      shape[0] = 1;
      for (int k = 0; k < NOPS; ++k) strides[k][0] = 0;
      nd = 1;
    }
  }

  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < nd; ++d) n *= shape[d];
    return n;
  }
  int64_t inner() const { return shape[nd - 1]; }
  int64_t innerStride(int k) const { return strides[k][nd - 1]; }

  // Calls body(off, count) for each innermost run intersecting the flat range [begin, end);
  // off[k] is operand k's element offset of the run's first element.
  template <class F>
  void run(int64_t begin, int64_t end, F&& body) const {
    int64_t idx[WT_MAX_DIMS];
    int64_t rem = begin;
    for (int d = nd - 1; d >= 0; --d) {
      idx[d] = rem % shape[d];
      rem /= shape[d];
    }
    int64_t pos = begin;
    while (pos < end) {
      int64_t off[NOPS];
      for (int k = 0; k < NOPS; ++k) {
        off[k] = 0;
        for (int d = 0; d < nd; ++d) off[k] += idx[d] * strides[k][d];
      }
      int64_t count = shape[nd - 1] - idx[nd - 1];
      if (count > end - pos) count = end - pos;
      body(off, count);
      pos += count;
      idx[nd - 1] += count;
      for (int d = nd - 1; d > 0 && idx[d] == shape[d]; --d) {
        idx[d] = 0;
        ++idx[d - 1];
      }
    }
  }
};

}  // namespace cpu
}  // namespace wt
