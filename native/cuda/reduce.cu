// WT_OP_REDUCE over the middle axis of [O, R, I]: one warp-shuffle + shared-memory block reduction
// used with every monoid of kernels/reduce_ops.h, three thread mappings, and a deterministic two-pass split of long R.
#include <stdint.h>
#include <string.h>

#include <string>

#include "dtype_dispatch.cuh"
#include "kernels/reduce_ops.h"
#include "block_reduce.cuh"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kRowBlock = 256;          // threads of the row kernels
constexpr int kSubwarpMaxRows = 512;    // longer rows (I == 1) get a whole block each
constexpr int kColumnRowsMax = 8;       // most warps stacked along R in one column block
constexpr int kMinItemsPerThread = 16;  // a split of R leaves each thread at least this many items
constexpr int kMaxChunks = 1024;
constexpr int kBlocksPerSmMax = 64;     // 2048 resident threads per SM, in warps: caps column blocks per SM
// The column kernel keeps four 16-byte accumulators (norm, logsumexp, argmax in double) in flight:
// 3 resident blocks (up to 80 registers) instead of kMinBlocksPerSm's 4 (64), which spilled them.
constexpr int kColumnMinBlocksPerSm = 3;

// The reduction's source as [outer, rows, inner], R split into `chunks` pieces of `chunkRows`; `count`
// is the original op's R (the n of MEAN's finish).
struct ReduceExtent {
  int64_t outer, rows, inner;
  int64_t chunks, chunkRows;
  int64_t count;
};

// ---- sources and sinks: where a kernel reads items and writes results ----------------------------

// The op's input: items are lifted into the monoid's accumulator with their index along R.
template <class M, class In>
struct LiftedInput {
  const In* data;
  M monoid;
  __device__ __forceinline__ typename M::Acc load(int64_t flat, int64_t r) const { return monoid.lift(data[flat], r); }
};
// Accumulators written by the first pass of a split reduction.
template <class Acc>
struct PartialInput {
  const Acc* data;
  __device__ __forceinline__ Acc load(int64_t flat, int64_t) const { return data[flat]; }
};
template <class M, class Out>
struct FinishedOutput {
  Out* data;
  M monoid;
  int64_t count;
  __device__ __forceinline__ void store(int64_t flat, typename M::Acc acc) const {
    data[flat] = monoid.finish(acc, count);
  }
};
template <class Acc>
struct PartialOutput {
  Acc* data;
  __device__ __forceinline__ void store(int64_t flat, Acc acc) const { data[flat] = acc; }
};

// Folds items r, r + step, ... < rEnd of one (outer, inner) column, in increasing r. Four loads are
// issued before their combines so each thread keeps several memory requests in flight.
template <class M, class Source>
__device__ __forceinline__ typename M::Acc accumulate(const M& m, const Source& src, int64_t base, int64_t inner,
                                                      int64_t r, int64_t rEnd, int64_t step) {
  typename M::Acc acc = m.init();
  for (; r + 3 * step < rEnd; r += 4 * step) {
    typename M::Acc a0 = src.load(base + r * inner, r);
    typename M::Acc a1 = src.load(base + (r + step) * inner, r + step);
    typename M::Acc a2 = src.load(base + (r + 2 * step) * inner, r + 2 * step);
    typename M::Acc a3 = src.load(base + (r + 3 * step) * inner, r + 3 * step);
    acc = m.combine(m.combine(m.combine(m.combine(acc, a0), a1), a2), a3);
  }
  for (; r < rEnd; r += step) acc = m.combine(acc, src.load(base + r * inner, r));
  return acc;
}

// ---- kernels -------------------------------------------------------------------------------------

// I == 1, long rows. Grid: x = row, y = chunk of R; one block per (row, chunk) — every row holds more
// than 512 items, so a block never idles on a short one (CUB's segmented-reduce mapping). Block:
// BLOCK threads stride over the chunk, then blockReduce. Writes result (o, chunk).
template <int BLOCK, class M, class Source, class Sink>
__global__ void __launch_bounds__(BLOCK, kMinBlocksPerSm) reduceRowsBlock(M m, Source src, Sink dst, ReduceExtent e) {
  __shared__ typename M::Acc warpTotals[BLOCK / 32];
  int64_t o = blockIdx.x, chunk = blockIdx.y;
  int64_t r0 = chunk * e.chunkRows;
  int64_t r1 = r0 + e.chunkRows < e.rows ? r0 + e.chunkRows : e.rows;
  typename M::Acc acc = accumulate(m, src, o * e.rows, 1, r0 + threadIdx.x, r1, BLOCK);
  acc = blockReduce<BLOCK>(m, acc, warpTotals);
  if (threadIdx.x == 0) dst.store(o * e.chunks + chunk, acc);
}

// I == 1, short rows (R <= kSubwarpMaxRows, one chunk). Grid: x = groups of BLOCK / lanesPerRow rows
// (grid-stride). Block: BLOCK threads; `lanesPerRow` consecutive lanes (a power of two <= 32) share a
// row and combine by shuffles, so short rows still read memory contiguously.
template <int BLOCK, class M, class Source, class Sink>
__global__ void __launch_bounds__(BLOCK, kMinBlocksPerSm) reduceRowsSubwarp(M m, Source src, Sink dst, ReduceExtent e, int lanesPerRow) {
  int rowsPerBlock = BLOCK / lanesPerRow;
  int lane = threadIdx.x % lanesPerRow;
  for (int64_t first = int64_t(blockIdx.x) * rowsPerBlock; first < e.outer; first += int64_t(gridDim.x) * rowsPerBlock) {
    int64_t o = first + threadIdx.x / lanesPerRow;
    typename M::Acc acc = o < e.outer ? accumulate(m, src, o * e.rows, 1, lane, e.rows, lanesPerRow) : m.init();
    acc = warpReduce(m, acc, lanesPerRow);
    if (lane == 0 && o < e.outer) dst.store(o, acc);
  }
}

// I > 1. Grid: x = (outer, tile of `width` inner positions) pairs (grid-stride), y = chunk of R.
// Block: 32 x blockDim.y. Lane l reads inner position tile * width + l % width, so a warp reads
// 32 / width consecutive rows of `width` columns; rows are interleaved across the warp's groups and
// the block's warps. Groups combine by shuffles, warps through shared memory, in a fixed order.
template <class M, class Source, class Sink>
__global__ void __launch_bounds__(32 * kColumnRowsMax, kColumnMinBlocksPerSm) reduceColumns(M m, Source src, Sink dst, ReduceExtent e, int width,
                                                                     int64_t tiles) {
  __shared__ typename M::Acc warpTotals[kColumnRowsMax][32];
  int lane = threadIdx.x, warp = threadIdx.y, warps = blockDim.y;
  int groups = 32 / width, group = lane / width, col = lane % width;
  int64_t chunk = blockIdx.y;
  int64_t r0 = chunk * e.chunkRows;
  int64_t r1 = r0 + e.chunkRows < e.rows ? r0 + e.chunkRows : e.rows;
  for (int64_t t = blockIdx.x; t < e.outer * tiles; t += gridDim.x) {
    int64_t o = t / tiles;
    int64_t i = (t - o * tiles) * width + col;
    typename M::Acc acc = i < e.inner ? accumulate(m, src, o * e.rows * e.inner + i, e.inner,
                                                   r0 + warp * groups + group, r1, int64_t(groups) * warps)
                                      : m.init();
    acc = warpReduce(m, acc, 32, width);
    if (group == 0) warpTotals[warp][col] = acc;
    __syncthreads();
    if (warp == 0 && group == 0 && i < e.inner) {
      acc = warpTotals[0][col];
      for (int w = 1; w < warps; ++w) acc = m.combine(acc, warpTotals[w][col]);
      dst.store((o * e.chunks + chunk) * e.inner + i, acc);
    }
    __syncthreads();  // warpTotals is rewritten for the next tile
  }
}

// ---- host planning -------------------------------------------------------------------------------

int64_t pow2AtLeast(int64_t n) {
  int64_t p = 1;
  while (p < n) p *= 2;
  return p;
}

// Column-kernel geometry for inner size I and R rows: lanes per row segment (`width`) and warps.
struct ColumnShape {
  int width, warps;
  int64_t tiles;
  ColumnShape(int64_t inner, int64_t rows) {
    width = int(inner >= 32 ? 32 : pow2AtLeast(inner));
    int64_t groups = 32 / width;
    int64_t rowsPerWarp = (rows + groups - 1) / groups;
    warps = int(rowsPerWarp >= kColumnRowsMax ? kColumnRowsMax : pow2AtLeast(rowsPerWarp > 0 ? rowsPerWarp : 1));
    tiles = (inner + width - 1) / width;
  }
};

// How many pieces to split R into so the first pass fills the GPU; 1 when it already does or R is short.
int64_t planChunks(const DeviceContext& ctx, const ReduceExtent& e) {
  int64_t targetBlocks = int64_t(ctx.smCount()) * 8;
  int64_t blocks, rowsPerPass;
  if (e.inner == 1) {
    if (e.rows <= kSubwarpMaxRows) return 1;
    blocks = e.outer;
    rowsPerPass = kRowBlock;
  } else {
    ColumnShape shape(e.inner, e.rows);
    blocks = e.outer * shape.tiles * shape.warps / kColumnRowsMax;  // in 256-thread block equivalents
    rowsPerPass = int64_t(32 / shape.width) * shape.warps;
  }
  int64_t minChunkRows = rowsPerPass * kMinItemsPerThread;
  if (blocks >= targetBlocks || e.rows < 2 * minChunkRows) return 1;
  int64_t chunks = (targetBlocks + blocks - 1) / blocks;
  if (chunks > e.rows / minChunkRows) chunks = e.rows / minChunkRows;
  return chunks < kMaxChunks ? chunks : kMaxChunks;
}

template <class M, class Source, class Sink>
void launchReduce(DeviceContext& ctx, const M& m, const Source& src, const Sink& dst, const ReduceExtent& e) {
  if (e.inner == 1 && e.chunks == 1 && e.rows <= kSubwarpMaxRows) {
    int lanesPerRow = int(pow2AtLeast(e.rows > 32 ? 32 : (e.rows > 0 ? e.rows : 1)));
    launch("reduceRowsSubwarp", reduceRowsSubwarp<kRowBlock, M, Source, Sink>,
           dim3(gridFor(ctx, e.outer * lanesPerRow, kRowBlock)), dim3(kRowBlock), 0, ctx.stream(), m, src, dst, e,
           lanesPerRow);
  } else if (e.inner == 1) {
    const int64_t maxGridX = 0x7fffffff;
    if (e.outer > maxGridX) throw Failure(WT_E_RANGE, "reduce: more than 2^31 - 1 rows of over 512 items");
    launch("reduceRowsBlock", reduceRowsBlock<kRowBlock, M, Source, Sink>, dim3(unsigned(e.outer), unsigned(e.chunks)),
           dim3(kRowBlock), 0, ctx.stream(), m, src, dst, e);
  } else {
    ColumnShape shape(e.inner, e.chunkRows);
    launch("reduceColumns", reduceColumns<M, Source, Sink>,
           dim3(gridFor(ctx, e.outer * shape.tiles * 32 * shape.warps, 32 * shape.warps, kBlocksPerSmMax / shape.warps),
                unsigned(e.chunks)),
           dim3(32, shape.warps), 0, ctx.stream(), m, src, dst, e, shape.width, shape.tiles);
  }
}

// out[o, i] = finish(combine over r of lift(in[o, r, i], r)).
template <class M, class In, class Out>
void reduceWith(DeviceContext& ctx, const M& m, const In* in, Out* out, int64_t outer, int64_t rows, int64_t inner) {
  using Acc = typename M::Acc;
  if (outer == 0 || inner == 0) return;
  ReduceExtent e{outer, rows, inner, 1, rows, rows};
  int64_t chunks = planChunks(ctx, e);
  if (chunks == 1) return launchReduce(ctx, m, LiftedInput<M, In>{in, m}, FinishedOutput<M, Out>{out, m, rows}, e);
  e.chunkRows = (rows + chunks - 1) / chunks;
  e.chunks = (rows + e.chunkRows - 1) / e.chunkRows;
  DeviceScratch partials(ctx, size_t(outer * e.chunks * inner) * sizeof(Acc));
  Acc* partialData = static_cast<Acc*>(partials.get());
  launchReduce(ctx, m, LiftedInput<M, In>{in, m}, PartialOutput<Acc>{partialData}, e);
  ReduceExtent second{outer, e.chunks, inner, 1, e.chunks, rows};
  launchReduce(ctx, m, PartialInput<Acc>{partialData}, FinishedOutput<M, Out>{out, m, rows}, second);
}

}  // namespace

void reduce(DeviceContext& ctx, const wt_op& op, const wt_reduce_params& p) {
  withFloatingDtype(op.in[0].dtype, "reduce", [&](auto tag) {
    using T = typename decltype(tag)::type;
    auto reduceWithMonoid = [&](auto m) {
      using Out = decltype(m.finish(m.init(), 0));
      const wt_view& in = op.in[0];
      requireDtype(op.out[0], dtypeOf<Out>(), "reduce output");
      reduceWith(ctx, m, static_cast<const T*>(in.data), static_cast<Out*>(op.out[0].data), in.shape[0], in.shape[1],
                 in.shape[2]);
    };
    bool known;
    if constexpr (is_cplx<T>::value)
      known = red::visitComplex<typename real_of<T>::type>(p.code, reduceWithMonoid);
    else
      known = red::visitReal<T>(p.code, reduceWithMonoid);
    if (!known)
      throw Failure(WT_E_DTYPE, "reduce code " + std::to_string(p.code) + " does not support " +
                                    dtypeName(op.in[0].dtype));
  });
}

}  // namespace cuda
}  // namespace wt
