// The lanes-across-pairs soft-DTW forward: L pairs of one geometry (same lengths, same band) swept
// together cell by cell, each lane's cost, soft-min and weights in one vectorisable loop over lanes.
#pragma once
#include <stdint.h>

#include "../kernels/sdtw_band.h"

namespace wt {
namespace cpu {

constexpr int kSdtwLanes = 4;

// One lane group: kSdtwLanes pairs with the same Band. x[l], y[l]: the pair's series ([n, D], [m, D]);
// trans[l]: its [Tx, width, 2] weights; R rows in `prev`/`cur` ([width][kSdtwLanes] doubles each).
template <class T>
struct LaneGroup {
  const T* x[kSdtwLanes];
  const T* y[kSdtwLanes];
  T* trans[kSdtwLanes];
  int64_t d, width;
  double gamma;
};

// Fills values[l] with each lane's soft-DTW value; defined for AVX2 + FMA in sdtw_avx2.cpp.
void sdtwForwardLanesAvx2(const LaneGroup<float>& g, const sdtw::Band& b, double* prev, double* cur, double* values);
void sdtwForwardLanesAvx2(const LaneGroup<double>& g, const sdtw::Band& b, double* prev, double* cur, double* values);

}  // namespace cpu
}  // namespace wt
