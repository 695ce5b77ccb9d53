// The soft-DTW forward of sdtw_forward_lanes.h for AVX-512 (F, DQ, VL): a 32-pair group in four
// 8-double vectors, twice the cells of AVX2's four 4-double ones for the same instructions. Compiled
// for AVX-512 through a pragma (the baseline is x86-64-v2); only called after a CPU check
// (cpuHasAvx512). The backward and the tiles stay on their AVX2 kernels (sdtw_avx2.cpp).
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

#include "sdtw_forward_lanes.h"

namespace wt {
namespace cpu {
namespace {

typedef double D8 __attribute__((vector_size(64)));

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

}  // namespace cpu
}  // namespace wt
