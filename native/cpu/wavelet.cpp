// CPU entries of the wavelet family: the x86-64-v2 instantiation of wavelet_rows.h, and the
// dispatch to the AVX2 + FMA one (wavelet_avx2.cpp) when the CPU has both.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "../kernels/wavelet_lifting.h"
#include "dispatch.h"
#include "kernels.h"
#include "thread_pool.h"
#include "transposed_plane.h"
#include "wavelet_avx2.h"

namespace wt {
namespace cpu {
namespace {

#include "wavelet_rows.h"

void run(int dir, const wt_op& op, const wt_wavelet_params& p) {
  if (cpuHasAvx2Fma()) return waveletAvx2(dir, op, p);
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    runOp<T>(Direction(dir), op, p);
  });
}

}  // namespace

void waveletAnalysis(const wt_op& op, const wt_wavelet_params& p) { run(0, op, p); }
void waveletAnalysisAdjoint(const wt_op& op, const wt_wavelet_params& p) { run(1, op, p); }
void waveletSynthesis(const wt_op& op, const wt_wavelet_params& p) { run(2, op, p); }
void waveletSynthesisAdjoint(const wt_op& op, const wt_wavelet_params& p) { run(3, op, p); }

}  // namespace cpu
}  // namespace wt
