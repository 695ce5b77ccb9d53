// Host entry points of the CUDA kernels, one per op kind, declared from the op table (abi/ops.def:
// contracts and parameters). Each validates what only it can know, queues its kernels on the
// device's stream and throws Failure. A kind without a definition fails the plugin's link.
#pragma once
#include "../abi/op_table.h"
#include "device_context.cuh"

namespace wt {
namespace cuda {

#define WT_OP(KIND, id, name, entry, P) \
  WT_BACKEND_ENTRY void entry(DeviceContext& ctx, const wt_op& op, const wt_##P##_params& p);
#include "../abi/ops.def"

// Minimum resident blocks per SM named in every 256-thread kernel's __launch_bounds__: 4 x 256 threads
// allow 64 registers. With the thread count alone, ptxas (CUDA 13, sm_75..89) squeezes some kernels
// into 32 registers for full occupancy and spills to do it.
constexpr int kMinBlocksPerSm = 4;

// Blocks for a grid-stride loop over `work` items with `threads` per block: enough to fill every SM
// (`wavesPerSm` blocks each), never more than the work needs.
inline unsigned gridFor(const DeviceContext& ctx, int64_t work, int threads, int wavesPerSm = 8) {
  int64_t needed = (work + threads - 1) / threads;
  int64_t cap = int64_t(ctx.smCount()) * wavesPerSm;
  return unsigned(needed < cap ? needed : cap);
}

}  // namespace cuda
}  // namespace wt
