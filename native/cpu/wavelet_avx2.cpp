// The wavelet family's CPU schedule compiled for AVX2 + FMA (8 float32 or 4 float64 rows a vector,
// one row per lane); the baseline build is x86-64-v2, so this runs only after a CPU check.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <vector>

// Everything shared with other translation units is included above the pragma, so no inline
// function they also instantiate is compiled for AVX2.
#include "../abi/plugin_abi.h"
#include "dispatch.h"
#include "thread_pool.h"
#include "transposed_plane.h"
#include "wavelet_avx2.h"

#pragma GCC target("avx2,fma")

#include "../kernels/wavelet_lifting.h"
#include "avx2_transpose.h"

namespace wt {
namespace cpu {
namespace {

// GCC does not define __AVX2__ under a target pragma: the schedule's AVX2 paths key on this.
#define WT_WAVELET_AVX2 1
#include "wavelet_rows.h"

}  // namespace

void waveletAvx2(int dir, const wt_op& op, const wt_wavelet_params& p) {
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    runOp<T>(Direction(dir), op, p);
  });
}

}  // namespace cpu
}  // namespace wt
