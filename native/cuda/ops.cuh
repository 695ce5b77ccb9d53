// Host entry points of the CUDA kernels, one per wt_op kind (contracts in core/plugin_abi.h). Each
// validates what only it can know, queues its kernels on the device's stream and throws Failure.
#pragma once
#include "../core/plugin_abi.h"
#include "device_context.cuh"

namespace wt {
namespace cuda {

void runCopy(DeviceContext& ctx, const wt_op& op);        // elementwise.cu
void runFill(DeviceContext& ctx, const wt_op& op);        // elementwise.cu
void runIota(DeviceContext& ctx, const wt_op& op);        // elementwise.cu
void runUnary(DeviceContext& ctx, const wt_op& op);       // elementwise.cu
void runBinary(DeviceContext& ctx, const wt_op& op);      // elementwise.cu
void runWhere(DeviceContext& ctx, const wt_op& op);       // elementwise.cu
void runReduce(DeviceContext& ctx, const wt_op& op);      // reduce.cu
void runMatmul(DeviceContext& ctx, const wt_op& op);      // matmul.cu
void runGather(DeviceContext& ctx, const wt_op& op);      // gather.cu
void runScatterAdd(DeviceContext& ctx, const wt_op& op);  // gather.cu
void runRandom(DeviceContext& ctx, const wt_op& op);      // random.cu
void runFft(DeviceContext& ctx, const wt_op& op);         // fft_stockham.cu
void runRfft(DeviceContext& ctx, const wt_op& op);        // fft_stockham.cu
void runIrfft(DeviceContext& ctx, const wt_op& op);       // fft_stockham.cu

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
