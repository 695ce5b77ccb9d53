// The lanes-across-pairs soft-DTW kernels: pairs of one geometry (same lengths, same band) swept
// together cell by cell, one pair per double lane, forward (soft-min, weights) and backward (E, gradients).
#pragma once
#include <stdint.h>

#include <vector>

#include "../kernels/sdtw_band.h"

namespace wt {
namespace cpu {

// Pairs per 256-bit vector of doubles.
constexpr int kSdtwLanes = 4;
// Pairs per wide forward group: four vectors whose cell chains interleave. A cell waits on its left
// neighbour through min -> exp -> log (~200 cycles of latency for ~200 instructions), so one vector
// alone leaves the FP units mostly idle; four independent ones fill them.
constexpr int kSdtwWideLanes = 4 * kSdtwLanes;
// Pairs per AVX-512 forward group: four 8-double vectors, the same four interleaved chains as the
// AVX2 wide group, each twice as wide (two vectors of eight would halve the chains in flight and
// leave the latency exposed again).
constexpr int kSdtwWidestLanes = 8 * kSdtwLanes;

// A forward group of `lanes` (kSdtwLanes, kSdtwWideLanes or kSdtwWidestLanes) pairs with the same Band. x[l], y[l]:
// the pair's series ([n, D], [m, D]), or (cost[0] set) cost[l]: its cost matrix (rows costStride
// apart); trans[l]: its [Tx, width, 2] weights.
template <class T>
struct ForwardLanes {
  int lanes;
  const T* x[kSdtwWidestLanes];
  const T* y[kSdtwWidestLanes];
  const T* cost[kSdtwWidestLanes];
  T* trans[kSdtwWidestLanes];
  int64_t d, costStride, width;
  double gamma;  // 0: hard DTW
};

// Pairs per AVX-512 backward group: one 8-double vector (the backward's cell is short and has no
// long chain, so one vector keeps the units busy).
constexpr int kSdtwWideBackwardLanes = 2 * kSdtwLanes;

// A backward group of kSdtwLanes (AVX2) or kSdtwWideBackwardLanes (AVX-512) pairs with the same
// Band: their series, the forward's weights, and the pair gradients dx[l] ([tx, D], zero beyond n)
// and dy[l] ([ty, D], zero beyond m) to write; or (dcost[0] set) each pair's cost gradient
// dcost[l][i·ty + j] = dscale[l]·E (already zero outside the band).
template <class T>
struct BackwardLanes {
  const T* x[kSdtwWideBackwardLanes];
  const T* y[kSdtwWideBackwardLanes];
  const T* trans[kSdtwWideBackwardLanes];
  T* dx[kSdtwWideBackwardLanes];
  T* dy[kSdtwWideBackwardLanes];
  T* dcost[kSdtwWideBackwardLanes];
  double dscale[kSdtwWideBackwardLanes];
  int64_t d, width, tx, ty;
};

// One forward tile of a long pair (sdtw_tiles.h's forwardPairTiled): rows [i0, i1), columns
// [j0, j0 + w) of the DP, w <= kSdtwTileCols. Its inputs and outputs are the scalar tile's: the
// row above (`top`, band-relative, null for the first tile row), each row's left edge in edgeCol
// (valid when left is set), and it writes the weights, edgeCol and `bottom` (its last row,
// band-relative). x, y ([n, D], [m, D]) or (cost set) the cost matrix (rows costStride apart).
constexpr int64_t kSdtwTileCols = 64;
template <class T>
struct ForwardTile {
  const T* x;
  const T* y;
  const T* cost;
  int64_t d, costStride;
  T* trans;
  int64_t width;
  double gamma;
  int64_t i0, i1, j0, w;
  bool left;  // a tile to the left has run (J > 0)
  double* edgeCol;
  const double* top;
  double* bottom;
};

// Defined for AVX2 + FMA in sdtw_avx2.cpp; `scratch` grows as needed (reuse it across groups).
// The forward fills values[l] with each lane's soft-DTW value.
void sdtwForwardLanesAvx2(const ForwardLanes<float>& g, const sdtw::Band& b, std::vector<double>& scratch,
                          double* values);
void sdtwForwardLanesAvx2(const ForwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch,
                          double* values);
// The same forward for AVX-512 (sdtw_avx512.cpp), groups of kSdtwWidestLanes only (the AVX2 one
// takes kSdtwLanes or kSdtwWideLanes); bit for bit the AVX2 one and the scalar path.
void sdtwForwardLanesAvx512(const ForwardLanes<float>& g, const sdtw::Band& b, std::vector<double>& scratch,
                            double* values);
void sdtwForwardLanesAvx512(const ForwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch,
                            double* values);
// The backward of kSdtwLanes pairs (AVX2) and of kSdtwWideBackwardLanes (AVX-512), the same code.
void sdtwBackwardLanesAvx2(const BackwardLanes<float>& g, const sdtw::Band& b, std::vector<double>& scratch);
void sdtwBackwardLanesAvx2(const BackwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch);
void sdtwBackwardLanesAvx512(const BackwardLanes<float>& g, const sdtw::Band& b, std::vector<double>& scratch);
void sdtwBackwardLanesAvx512(const BackwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch);
// The tile's rows four at a time, a row per lane, lane l one column behind lane l − 1 (so the four
// cells of a step lie on one anti-diagonal and are independent); each cell computes exactly what
// the scalar tile computes. Returns R at the tile's last row and column.
double sdtwForwardTileAvx2(const ForwardTile<float>& t, const sdtw::Band& b);
double sdtwForwardTileAvx2(const ForwardTile<double>& t, const sdtw::Band& b);

}  // namespace cpu
}  // namespace wt
