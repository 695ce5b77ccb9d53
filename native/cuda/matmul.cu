// WT_OP_MATMUL: batched GEMM C[b] = A[b] B[b] over arbitrarily strided 3-D views (batch stride 0
// broadcasts), with 64x64 shared-memory block tiles, double-buffered along K, and 4x4 register tiles.
#include <stdint.h>

#include "dtype_dispatch.cuh"
#include "index_math.cuh"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kTile = 64;                       // block tile edge along M and N
constexpr int kMicro = 4;                       // register tile edge per thread
constexpr int kThreadsPerEdge = kTile / kMicro;  // 16 x 16 threads
constexpr int kMatmulThreads = kThreadsPerEdge * kThreadsPerEdge;
constexpr int kTilePad = 4;  // keeps rows aligned for the vector reads of the micro-tiles

// K depth of a tile step: 16 floats or 8 doubles, so both stage 4 KiB per operand per buffer.
template <class T>
constexpr int kDepth = sizeof(T) == 4 ? 16 : 8;

template <class T>
struct MatmulArgs {
  const T* a;
  const T* b;
  T* c;
  int64_t batch, m, n, k;
  int64_t aBatch, aRow, aCol;  // element strides of A along batch, M, K
  int64_t bBatch, bRow, bCol;  // element strides of B along batch, K, N
  bool aAlongK;                // load A's tile with consecutive threads along K (A's K stride is 1)
  bool bAlongN;                // load B's tile with consecutive threads along N (B's N stride is 1)
};

// Grid: x = N tiles, y = M tiles (grid-stride), z = batch (grid-stride). Block: 16 x 16 threads, each
// owning a 4x4 tile of C. Each K step stages a 64 x D slice of A (stored K-major) and a D x 64 slice
// of B in shared memory; the next step's slices are fetched into registers while the current one is
// multiplied, then stored into the other buffer, so one barrier per step suffices.
template <class T>
__global__ void __launch_bounds__(kMatmulThreads) matmulTiled(MatmulArgs<T> p) {
  constexpr int D = kDepth<T>;
  constexpr int kLoads = kTile * D / kMatmulThreads;  // elements of each operand a thread stages per step
  __shared__ __align__(sizeof(T) * kMicro) T aTile[2][D][kTile + kTilePad];
  __shared__ __align__(sizeof(T) * kMicro) T bTile[2][D][kTile + kTilePad];

  const int tid = threadIdx.y * kThreadsPerEdge + threadIdx.x;
  const int64_t steps = (p.k + D - 1) / D;

  for (int64_t batch = blockIdx.z; batch < p.batch; batch += gridDim.z) {
    const T* a = p.a + batch * p.aBatch;
    const T* b = p.b + batch * p.bBatch;
    T* c = p.c + batch * p.m * p.n;
    for (int64_t tileM = blockIdx.y; tileM * kTile < p.m; tileM += gridDim.y) {
      const int64_t m0 = tileM * kTile, n0 = int64_t(blockIdx.x) * kTile;
      T staged[2][kLoads];

      // Fetches step s's slices into `staged`; out-of-range elements read as zero.
      auto fetch = [&](int64_t s) {
#pragma unroll
        for (int l = 0; l < kLoads; ++l) {
          int e = tid + l * kMatmulThreads;
          int row = p.aAlongK ? e / D : e % kTile, depth = p.aAlongK ? e % D : e / kTile;
          int64_t gm = m0 + row, gk = s * D + depth;
          staged[0][l] = gm < p.m && gk < p.k ? a[gm * p.aRow + gk * p.aCol] : T(0);
          int col = p.bAlongN ? e % kTile : e / D;
          depth = p.bAlongN ? e / kTile : e % D;
          int64_t gn = n0 + col;
          gk = s * D + depth;
          staged[1][l] = gn < p.n && gk < p.k ? b[gk * p.bRow + gn * p.bCol] : T(0);
        }
      };
      auto stash = [&](int buf) {
#pragma unroll
        for (int l = 0; l < kLoads; ++l) {
          int e = tid + l * kMatmulThreads;
          int row = p.aAlongK ? e / D : e % kTile, depth = p.aAlongK ? e % D : e / kTile;
          aTile[buf][depth][row] = staged[0][l];
          int col = p.bAlongN ? e % kTile : e / D;
          depth = p.bAlongN ? e / kTile : e % D;
          bTile[buf][depth][col] = staged[1][l];
        }
      };

      T acc[kMicro][kMicro];
#pragma unroll
      for (int i = 0; i < kMicro; ++i)
#pragma unroll
        for (int j = 0; j < kMicro; ++j) acc[i][j] = T(0);

      if (steps > 0) {
        fetch(0);
        stash(0);
      }
      __syncthreads();
      for (int64_t s = 0; s < steps; ++s) {
        const int buf = int(s & 1);
        if (s + 1 < steps) fetch(s + 1);
#pragma unroll
        for (int d = 0; d < D; ++d) {
          Pack<T, kMicro> av = *reinterpret_cast<const Pack<T, kMicro>*>(&aTile[buf][d][threadIdx.y * kMicro]);
          Pack<T, kMicro> bv = *reinterpret_cast<const Pack<T, kMicro>*>(&bTile[buf][d][threadIdx.x * kMicro]);
#pragma unroll
          for (int i = 0; i < kMicro; ++i)
#pragma unroll
            for (int j = 0; j < kMicro; ++j) acc[i][j] += av.v[i] * bv.v[j];
        }
        if (s + 1 < steps) stash(buf ^ 1);
        __syncthreads();
      }

#pragma unroll
      for (int i = 0; i < kMicro; ++i) {
        int64_t gm = m0 + threadIdx.y * kMicro + i;
        if (gm >= p.m) continue;
#pragma unroll
        for (int j = 0; j < kMicro; ++j) {
          int64_t gn = n0 + threadIdx.x * kMicro + j;
          if (gn < p.n) c[gm * p.n + gn] = acc[i][j];
        }
      }
    }
  }
}

// Batch stride of a view whose batch extent may be 1 (broadcast to every batch).
int64_t batchStride(const wt_view& v) { return v.shape[0] == 1 ? 0 : v.strides[0]; }

}  // namespace

void matmul(DeviceContext& ctx, const wt_op& op, const wt_none_params&) {
  const wt_view& a = op.in[0];
  const wt_view& b = op.in[1];
  const wt_view& c = op.out[0];
  requireDtype(b, a.dtype, "matmul input 1");
  requireDtype(c, a.dtype, "matmul output");
  withRealDtype(a.dtype, "matmul", [&](auto tag) {
    using T = typename decltype(tag)::type;
    MatmulArgs<T> p;
    p.a = static_cast<const T*>(a.data);
    p.b = static_cast<const T*>(b.data);
    p.c = static_cast<T*>(c.data);
    p.batch = c.shape[0];
    p.m = c.shape[1];
    p.n = c.shape[2];
    p.k = a.shape[2];
    p.aBatch = batchStride(a);
    p.aRow = a.strides[1];
    p.aCol = a.strides[2];
    p.bBatch = batchStride(b);
    p.bRow = b.strides[1];
    p.bCol = b.strides[2];
    p.aAlongK = p.aCol == 1 && p.aRow != 1;
    p.bAlongN = p.bCol == 1 || p.bRow != 1;
    if (p.batch == 0 || p.m == 0 || p.n == 0) return;
    const int64_t maxGridYZ = 65535;
    int64_t tilesM = (p.m + kTile - 1) / kTile, tilesN = (p.n + kTile - 1) / kTile;
    dim3 grid(unsigned(tilesN), unsigned(tilesM < maxGridYZ ? tilesM : maxGridYZ),
              unsigned(p.batch < maxGridYZ ? p.batch : maxGridYZ));
    launch("matmulTiled", matmulTiled<T>, grid, dim3(kThreadsPerEdge, kThreadsPerEdge), 0, ctx.stream(), p);
  });
}

}  // namespace cuda
}  // namespace wt
