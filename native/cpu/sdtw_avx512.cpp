// The soft-DTW lane kernels of sdtw_lane_kernels.h for AVX-512 (F, DQ, VL): the forward of a
// 32-pair group in four 8-double vectors (twice the cells of AVX2's four 4-double ones for the same
// instructions), the backward of an 8-pair group in one. Compiled for AVX-512 through a pragma (the
// baseline is x86-64-v2); only called after a CPU check (cpuHasAvx512). The tiles stay AVX2.
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <vector>

// Everything with external linkage comes before the pragma, so that no out-of-line copy of it is
// compiled for AVX-512 (the linker could pick that copy for every caller).
#include "../core/error.h"
#include "sdtw_lanes.h"

#pragma GCC target("avx512f,avx512dq,avx512vl,avx2,fma")
// As sdtw_avx2.cpp: no contraction (lanes are bit for bit the scalar path), no trapping math.
#pragma GCC optimize("fp-contract=off", "no-trapping-math")

#include "sdtw_lane_kernels.h"

namespace wt {
namespace cpu {
namespace {

typedef double D8 __attribute__((vector_size(64)));
typedef int64_t M8 __attribute__((vector_size(64)));

WT_HD D8 join(D4 lo, D4 hi) { return __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7); }

// Eight lanes' weights as two groups of four; a mask holds in every lane when no lane is 0.
template <>
struct LaneOps<D8> {
  template <class T>
  WT_HD static WeightsOf<D8> weights(const T* const* trans, int64_t at) {
    const Weights a = loadWeights(trans, at), b = loadWeights(trans + 4, at);
    return {join(a.diag, b.diag), join(a.up, b.up), join(a.left, b.left)};
  }
  WT_HD static bool all(M8 m) { return _mm512_test_epi64_mask(__m512i(m), __m512i(m)) == 0xFF; }
};

template <class T>
void forward(const ForwardLanes<T>& g, const sdtw::Band& b, std::vector<double>& scratch, double* values) {
  if (g.lanes != kSdtwWidestLanes) fail(WT_E_INTERNAL, "sdtw: the AVX-512 forward takes groups of ", kSdtwWidestLanes);
  forwardGroup<D8, kSdtwWidestLanes / 8>(g, b, scratch, values);
}

}  // namespace

void sdtwForwardLanesAvx512(const ForwardLanes<float>& g, const sdtw::Band& b, std::vector<double>& scratch,
                            double* values) {
  forward(g, b, scratch, values);
}
void sdtwForwardLanesAvx512(const ForwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch,
                            double* values) {
  forward(g, b, scratch, values);
}
void sdtwBackwardLanesAvx512(const BackwardLanes<float>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  backwardGroup<D8>(g, b, scratch);
}
void sdtwBackwardLanesAvx512(const BackwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  backwardGroup<D8>(g, b, scratch);
}

}  // namespace cpu
}  // namespace wt
