// WT_OP_FFT / WT_OP_RFFT / WT_OP_IRFFT: Stockham autosort FFTs over contiguous rows, from the shared
// butterflies of kernels/fft_butterfly.h and the real packing of kernels/fft_real.h.
//  - one-block lengths (n <= 4096, see oneBlockWidth): one kernel, one or several rows per block, each
//    row read once into shared memory, every radix pass in registers between two barriers, written once.
//  - longer n = n1 n2: four-step in two one-block launches over tiles of up to 16 transforms side by
//    side, so reads down the columns and the transposed writes stay coalesced; one scratch round trip.
//  - long lengths with no such split: one global-memory launch per radix pass.
//  - real transforms: even n through an n/2-point complex FFT plus a post (R2C) or pre (C2R) twiddle
//    kernel; odd n through an n-point complex FFT of the real input / Hermitian-extended spectrum.
//  - other prime factors: Bluestein, chirp kernels around two inner 2^a 3^b 5^c 7^d FFTs.
// Inverse transforms run the forward kernels on conjugated input and conjugate the result.
#include <stdint.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fft_plan.cuh"
#include "kernels/fft_butterfly.h"
#include "kernels/fft_real.h"
#include "kernels/fft_stockham.h"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kFftThreads = 256;
enum LoadMode { kLoadComplex = 0, kLoadReal = 1, kLoadHermitian = 2 };
enum StoreMode { kStoreComplex = 0, kStoreReal = 1 };

// Where a transform reads its rows and writes its results (the first and last pass use these;
// the passes in between work on complex scratch rows of length n).
template <class T>
struct FftIo {
  const void* in;
  int64_t inStride;  // elements (complex or real) between rows
  int load;          // LoadMode; kLoadHermitian: in holds `bins` bins of an odd-length real spectrum
  int64_t bins;
  void* out;
  int64_t outStride;
  int64_t outCount;  // leading results kept per row (rfft of odd n keeps n/2+1)
  int store;         // StoreMode; kStoreReal keeps real parts
  int inverse;       // conjugate on load and on store
  T scale;
};

template <class T>
__device__ __forceinline__ cplx<T> loadAt(const FftIo<T>& io, int64_t row, int64_t j, int64_t n) {
  cplx<T> v;
  if (io.load == kLoadComplex) {
    v = static_cast<const cplx<T>*>(io.in)[row * io.inStride + j];
  } else if (io.load == kLoadReal) {
    v = {static_cast<const T*>(io.in)[row * io.inStride + j], T(0)};
  } else {
    const cplx<T>* x = static_cast<const cplx<T>*>(io.in) + row * io.inStride;
    if (j < io.bins) {
      v = x[j];
      if (j == 0) v.im = T(0);
    } else {
      v = x[n - j];
      v.im = -v.im;
    }
  }
  if (io.inverse) v.im = -v.im;
  return v;
}

template <class T>
__device__ __forceinline__ void storeAt(const FftIo<T>& io, int64_t row, int64_t j, cplx<T> v) {
  if (j >= io.outCount) return;
  if (io.store == kStoreComplex) {
    const T im = io.inverse ? -v.im : v.im;
    static_cast<cplx<T>*>(io.out)[row * io.outStride + j] = {v.re * io.scale, im * io.scale};
  } else {
    static_cast<T*>(io.out)[row * io.outStride + j] = v.re * io.scale;
  }
}

struct PassList {
  int count;
  int radix[kMaxPasses];
  int twiddleOffset[kMaxPasses];
};

// One radix-R pass of kernels/fft_stockham.h over a row in shared memory: thread j is butterfly j; it
// reads and twiddles its inputs, and after a barrier writes its outputs.
template <int R, class T>
__device__ __forceinline__ void sharedPass(cplx<T>* s, const cplx<T>* tw, int n, int ns, bool active) {
  const fft::StockhamPass<R, int> pass(n, ns);
  const int j = threadIdx.x;
  const bool act = active && j < pass.m;
  const int k = j % ns;
  cplx<T> v[R];
  if (act) {
#pragma unroll
    for (int r = 0; r < R; ++r) v[r] = s[pass.input(j, r)];
    fft::applyTwiddles(pass, v, tw, k);
  }
  __syncthreads();
  if (act) {
    fft::dft<R, T>(v);
#pragma unroll
    for (int r = 0; r < R; ++r) s[pass.output(j, k, r)] = v[r];
  }
  __syncthreads();
}

// Runs every pass of a one-block plan on the row at s (n values); all threads of the block call it.
template <class T, bool kEleven>
__device__ __forceinline__ void stockhamPasses(cplx<T>* s, const cplx<T>* tw, const PassList& passes, int n,
                                               bool active) {
  int ns = 1;
  for (int p = 0; p < passes.count; ++p) {
    const int radix = passes.radix[p];
    const cplx<T>* t = tw + passes.twiddleOffset[p];
    fft::withRadix<kEleven>(radix, [&](auto r) { sharedPass<decltype(r)::value>(s, t, n, ns, active); });
    ns *= radix;
  }
}

// Grid: x = groups of blockDim.y rows. Block: (n / smallest radix, rows per block); each y slice owns
// one row of n complex values in dynamic shared memory.
template <class T, bool kEleven>
__global__ void __launch_bounds__(sharedThreadLimit(kEleven, sizeof(T) == 8))
    fftSharedRows(FftIo<T> io, const cplx<T>* tw, PassList passes, int n, int64_t rows) {
  WT_DYNAMIC_SMEM(cplx<T>, smem);
  cplx<T>* s = smem + threadIdx.y * n;
  const int64_t row = int64_t(blockIdx.x) * blockDim.y + threadIdx.y;
  const bool active = row < rows;
  if (active)
    for (int j = threadIdx.x; j < n; j += blockDim.x) s[j] = loadAt(io, row, j, n);
  __syncthreads();
  stockhamPasses<T, kEleven>(s, tw, passes, n, active);
  if (active)
    for (int j = threadIdx.x; j < n; j += blockDim.x) storeAt(io, row, j, s[j]);
}

// One step of a four-step FFT of length n = n1 n2 over a tile of up to blockDim.y transforms per block.
// Grid: x = rows x tiles. kColumns: the tile is columns j2 of the row read as n1 x n2 (through `io`);
// each gets an n1-point FFT, Y[k1][j2] exp(-2 pi i j2 k1 / n) goes to scratch[k1][j2]. Otherwise: the
// tile is rows k1 of scratch; each gets an n2-point FFT, Z[k1][k2] is X[k1 + n1 k2], written through
// `io`. Columns are loaded and stored with the tile index fastest, so a warp touches runs of
// blockDim.y neighbours in global memory; in shared memory each transform owns a row of length + 1.
template <class T, bool kEleven, bool kColumns>
__global__ void __launch_bounds__(sharedThreadLimit(kEleven, sizeof(T) == 8))
    fftFourStep(FftIo<T> io, cplx<T>* scratch, const cplx<T>* tw, PassList passes, const cplx<T>* stepTw, int n1,
                int n2, int64_t tiles) {
  WT_DYNAMIC_SMEM(cplx<T>, smem);
  const int tile = blockDim.y, length = kColumns ? n1 : n2, count = kColumns ? n2 : n1, pitch = length + 1;
  const int64_t n = int64_t(n1) * n2;
  const int64_t row = blockIdx.x / tiles;
  const int first = int(blockIdx.x % tiles) * tile;
  cplx<T>* rowScratch = scratch + row * n;
  const int threads = blockDim.x * blockDim.y;
  const int flat = threadIdx.y * blockDim.x + threadIdx.x;
  for (int e = flat; e < tile * length; e += threads) {
    const int t = kColumns ? e % tile : e / length, j = kColumns ? e / tile : e % length;
    if (first + t < count)
      smem[t * pitch + j] = kColumns ? loadAt(io, row, int64_t(j) * n2 + first + t, n)
                                     : rowScratch[int64_t(first + t) * n2 + j];
  }
  __syncthreads();
  stockhamPasses<T, kEleven>(smem + threadIdx.y * pitch, tw, passes, length, first + int(threadIdx.y) < count);
  for (int e = flat; e < tile * length; e += threads) {
    const int t = e % tile, k = e / tile;
    if (first + t >= count) continue;
    const cplx<T> v = smem[t * pitch + k];
    if (kColumns) {
      const int j2 = first + t;
      const int64_t q = int64_t(j2) * k;  // < n; exp(-2 pi i q / n) = exp(-2 pi i a / n1) exp(-2 pi i b / n)
      const cplx<T> w = fft::mulLanes(stepTw[q / n2], stepTw[n1 + q % n2]);
      rowScratch[int64_t(k) * n2 + j2] = fft::mulLanes(v, w);
    } else {
      storeAt(io, row, first + t + int64_t(n1) * k, v);
    }
  }
}

// Grid: 1-D grid-stride over rows x n/R butterflies of one radix-R pass. The first pass reads through
// `io`, the last writes through it; the others use src / dst scratch rows of n values.
template <int R, class T>
__global__ void __launch_bounds__(kFftThreads) fftGlobalPass(FftIo<T> io, const cplx<T>* src, cplx<T>* dst,
                                                           const cplx<T>* tw, int64_t n, int64_t ns, int64_t rows,
                                                           int first, int last) {
  const fft::StockhamPass<R, int64_t> pass(n, ns);
  const int64_t total = rows * pass.m;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t item = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; item < total; item += stride) {
    const int64_t row = item / pass.m;
    const int64_t j = item - row * pass.m;
    const int64_t k = j % ns;
    cplx<T> v[R];
#pragma unroll
    for (int r = 0; r < R; ++r) v[r] = first ? loadAt(io, row, pass.input(j, r), n) : src[row * n + pass.input(j, r)];
    fft::applyTwiddles(pass, v, tw, k);
    fft::dft<R, T>(v);
#pragma unroll
    for (int r = 0; r < R; ++r) {
      if (last)
        storeAt(io, row, pass.output(j, k, r), v[r]);
      else
        dst[row * n + pass.output(j, k, r)] = v[r];
    }
  }
}

// Bluestein step 1: a[row][j] = x[j] chirp[j] for j < n, 0 for n <= j < M.
template <class T>
__global__ void __launch_bounds__(kFftThreads) bluesteinChirpIn(FftIo<T> io, const cplx<T>* chirp, cplx<T>* a,
                                                              int64_t n, int64_t M, int64_t rows) {
  const int64_t total = rows * M;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += stride) {
    const int64_t row = e / M, j = e - row * M;
    a[e] = j < n ? fft::mulLanes(loadAt(io, row, j, n), chirp[j]) : cplx<T>{T(0), T(0)};
  }
}

// Bluestein step 2: a = conj(a . spectrum), so a forward FFT of it is the conjugated inverse FFT.
template <class T>
__global__ void __launch_bounds__(kFftThreads) bluesteinMulSpectrum(cplx<T>* a, const cplx<T>* spectrum, int64_t M,
                                                                  int64_t rows) {
  const int64_t total = rows * M;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += stride)
    a[e] = fft::conjugate(fft::mulLanes(a[e], spectrum[e % M]));
}

// Bluestein step 3: X[k] = conj(a[k]) chirp[k], k < n, written through `io`.
template <class T>
__global__ void __launch_bounds__(kFftThreads) bluesteinChirpOut(FftIo<T> io, const cplx<T>* a, const cplx<T>* chirp,
                                                               int64_t n, int64_t M, int64_t rows) {
  const int64_t total = rows * n;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += stride) {
    const int64_t row = e / n, k = e - row * n;
    storeAt(io, row, k, fft::mulLanes(fft::conjugate(a[row * M + k]), chirp[k]));
  }
}

// R2C post-processing, in place on rows of h+1 bins holding Z = FFT_h(packed x) in bins 0..h-1:
// thread (row, k), k <= h/2, turns Z[k], Z[h-k] into X[k], X[h-k] (k = 0: X[0] and X[h]).
template <class T>
__global__ void __launch_bounds__(kFftThreads) r2cPost(cplx<T>* x, const cplx<T>* pack, int64_t h, int64_t rows,
                                                     T scale) {
  const int64_t per = h / 2 + 1;
  const int64_t total = rows * per;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += stride) {
    const int64_t row = e / per, k = e - row * per;
    cplx<T>* z = x + row * (h + 1);
    cplx<T> a, b;
    if (k == 0) {
      fft::r2cEnds(z[0], a, b);
      z[0] = fft::scaled(a, scale);
      z[h] = fft::scaled(b, scale);
    } else {
      fft::r2cPair(z[k], z[h - k], pack[k], a, b);
      z[k] = fft::scaled(a, scale);
      if (h - k != k) z[h - k] = fft::scaled(b, scale);
    }
  }
}

// C2R pre-processing: bins X (rows of h+1) -> Z (rows of h) with FFT_h^-1(Z) = n * packed x.
template <class T>
__global__ void __launch_bounds__(kFftThreads) c2rPre(const cplx<T>* x, cplx<T>* z, const cplx<T>* pack, int64_t h,
                                                    int64_t rows) {
  const int64_t per = h / 2 + 1;
  const int64_t total = rows * per;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += stride) {
    const int64_t row = e / per, k = e - row * per;
    const cplx<T>* X = x + row * (h + 1);
    cplx<T>* Z = z + row * h;
    if (k == 0) {
      Z[0] = fft::c2rEnds(X[0], X[h]);
    } else {
      cplx<T> a, b;
      fft::c2rPair(X[k], X[h - k], pack[k], a, b);
      Z[k] = a;
      Z[h - k] = b;
    }
  }
}

template <class T>
PassList passListOf(const DeviceFftPlan<T>& plan) {
  PassList passes{};
  passes.count = int(plan.radices.size());
  for (int p = 0; p < passes.count; ++p) {
    passes.radix[p] = plan.radices[p];
    passes.twiddleOffset[p] = int(plan.twiddleOffset[p]);
  }
  return passes;
}

// Queues one step of a four-step plan: the column step (sub = columnPlan) reads through `io` and
// writes scratch, the row step (sub = rowPlan) reads scratch and writes through `io`.
template <class T, bool kColumns>
void launchFourStep(DeviceContext& ctx, const DeviceFftPlan<T>& plan, int64_t rows, const FftIo<T>& io,
                    cplx<T>* scratch) {
  const DeviceFftPlan<T>& sub = kColumns ? *plan.columnPlan : *plan.rowPlan;
  const int n1 = int(plan.columnPlan->n), n2 = int(plan.rowPlan->n), count = kColumns ? n2 : n1;
  const int tile = std::min(fourStepTile(sub.n, sub.radices, sizeof(cplx<T>)), count);
  const int width = oneBlockWidth(sub.n, sub.radices, sizeof(cplx<T>), sub.n + 1);
  const int64_t tiles = (count + tile - 1) / tile;
  const dim3 grid{unsigned(rows * tiles)}, block{unsigned(width), unsigned(tile)};
  const size_t smem = size_t(tile) * size_t(sub.n + 1) * sizeof(cplx<T>);
  const PassList passes = passListOf(sub);
  if (hasRadix11(sub.radices))
    launch(kColumns ? "fftFourStep<columns, radix 11>" : "fftFourStep<rows, radix 11>", fftFourStep<T, true, kColumns>,
           grid, block, smem, ctx.stream(), io, scratch, static_cast<const cplx<T>*>(sub.twiddles), passes,
           static_cast<const cplx<T>*>(plan.stepTwiddles), n1, n2, tiles);
  else
    launch(kColumns ? "fftFourStep<columns>" : "fftFourStep<rows>", fftFourStep<T, false, kColumns>, grid, block,
           smem, ctx.stream(), io, scratch, static_cast<const cplx<T>*>(sub.twiddles), passes,
           static_cast<const cplx<T>*>(plan.stepTwiddles), n1, n2, tiles);
}

template <class T>
void launchGlobalPass(DeviceContext& ctx, int radix, const FftIo<T>& io, const cplx<T>* src, cplx<T>* dst,
                      const cplx<T>* tw, int64_t n, int64_t ns, int64_t rows, int first, int last) {
  const dim3 grid(gridFor(ctx, rows * (n / radix), kFftThreads)), block(kFftThreads);
  fft::withRadix(radix, [&](auto r) {
    constexpr int R = decltype(r)::value;
    static const std::string name = "fftGlobalPass<" + std::to_string(R) + ">";
    launch(name.c_str(), fftGlobalPass<R, T>, grid, block, 0, ctx.stream(), io, src, dst, tw, n, ns, rows, first,
           last);
  });
}

// Queues the complex transform of `rows` rows described by `io` with `plan`.
template <class T>
void complexTransform(DeviceContext& ctx, const DeviceFftPlan<T>& plan, int64_t rows, const FftIo<T>& io) {
  const int64_t n = plan.n;
  if (plan.isBluestein()) {
    const DeviceFftPlan<T>& inner = *plan.inner;
    const int64_t M = inner.n;
    DeviceScratch scratch(ctx, size_t(rows * M) * sizeof(cplx<T>));
    cplx<T>* a = static_cast<cplx<T>*>(scratch.get());
    const FftIo<T> inPlace{a, M, kLoadComplex, 0, a, M, M, kStoreComplex, 0, T(1)};
    launch("bluesteinChirpIn", bluesteinChirpIn<T>, dim3(gridFor(ctx, rows * M, kFftThreads)), dim3(kFftThreads), 0,
           ctx.stream(), io, static_cast<const cplx<T>*>(plan.chirp), a, n, M, rows);
    complexTransform(ctx, inner, rows, inPlace);
    launch("bluesteinMulSpectrum", bluesteinMulSpectrum<T>, dim3(gridFor(ctx, rows * M, kFftThreads)),
           dim3(kFftThreads), 0, ctx.stream(), a, static_cast<const cplx<T>*>(plan.spectrum), M, rows);
    complexTransform(ctx, inner, rows, inPlace);
    launch("bluesteinChirpOut", bluesteinChirpOut<T>, dim3(gridFor(ctx, rows * n, kFftThreads)), dim3(kFftThreads), 0,
           ctx.stream(), io, static_cast<const cplx<T>*>(a), static_cast<const cplx<T>*>(plan.chirp), n, M, rows);
    return;
  }
  if (plan.isFourStep()) {
    DeviceScratch scratch(ctx, size_t(rows * n) * sizeof(cplx<T>));
    cplx<T>* y = static_cast<cplx<T>*>(scratch.get());
    launchFourStep<T, true>(ctx, plan, rows, io, y);
    launchFourStep<T, false>(ctx, plan, rows, io, y);
    return;
  }
  if (const int width = oneBlockWidth(plan.n, plan.radices, sizeof(cplx<T>), plan.n)) {
    const size_t rowBytes = size_t(n) * sizeof(cplx<T>);
    int64_t perBlock = std::max(kFftThreads / width, 1);
    perBlock = std::min({perBlock, int64_t(kSharedFftBytes / rowBytes), rows});
    const int64_t blocks = (rows + perBlock - 1) / perBlock;
    const dim3 grid{unsigned(blocks)}, block{unsigned(width), unsigned(perBlock)};
    const PassList passes = passListOf(plan);
    const cplx<T>* tw = plan.twiddles;
    if (hasRadix11(plan.radices))
      launch("fftSharedRows<radix 11>", fftSharedRows<T, true>, grid, block, size_t(perBlock) * rowBytes,
             ctx.stream(), io, tw, passes, int(n), rows);
    else
      launch("fftSharedRows", fftSharedRows<T, false>, grid, block, size_t(perBlock) * rowBytes, ctx.stream(), io,
             tw, passes, int(n), rows);
    return;
  }
  const size_t bytes = size_t(rows * n) * sizeof(cplx<T>);
  DeviceScratch s0(ctx, bytes), s1(ctx, bytes);
  cplx<T>* buf[2] = {static_cast<cplx<T>*>(s0.get()), static_cast<cplx<T>*>(s1.get())};
  const int passes = int(plan.radices.size());
  int64_t ns = 1;
  for (int p = 0; p < passes; ++p) {
    const int radix = plan.radices[p];
    const cplx<T>* src = p == 0 ? nullptr : buf[(p - 1) % 2];
    cplx<T>* dst = p == passes - 1 ? nullptr : buf[p % 2];
    launchGlobalPass<T>(ctx, radix, io, src, dst, plan.twiddles + plan.twiddleOffset[p], n, ns, rows, p == 0,
                        p == passes - 1);
    ns *= radix;
  }
}

int64_t rowsOf(const wt_view& v) { return v.shape[0]; }

template <class T>
void fftRows(DeviceContext& ctx, const wt_op& op, const wt_fft_params& p) {
  const int64_t n = p.n, rows = rowsOf(op.in[0]);
  const auto plan = deviceFftPlan<T>(ctx, n);
  const FftIo<T> io{op.in[0].data, n, kLoadComplex, 0, op.out[0].data, n, n, kStoreComplex, p.sign > 0 ? 1 : 0,
                    T(p.scale)};
  complexTransform(ctx, *plan, rows, io);
}

template <class T>
void rfftRows(DeviceContext& ctx, const wt_op& op, const wt_real_fft_params& p) {
  const int64_t n = p.n, rows = rowsOf(op.in[0]), bins = n / 2 + 1;
  const auto plan = deviceRealFftPlan<T>(ctx, n);
  if (n % 2 == 1) {
    const FftIo<T> io{op.in[0].data, n, kLoadReal, 0, op.out[0].data, bins, bins, kStoreComplex, 0, T(p.scale)};
    complexTransform(ctx, *plan->inner, rows, io);
    return;
  }
  const int64_t h = n / 2;
  // Z = FFT_h of the row read as h complex values, into bins 0..h-1 of each output row.
  const FftIo<T> io{op.in[0].data, h, kLoadComplex, 0, op.out[0].data, bins, h, kStoreComplex, 0, T(1)};
  complexTransform(ctx, *plan->inner, rows, io);
  launch("r2cPost", r2cPost<T>, dim3(gridFor(ctx, rows * (h / 2 + 1), kFftThreads)), dim3(kFftThreads), 0,
         ctx.stream(), static_cast<cplx<T>*>(op.out[0].data), static_cast<const cplx<T>*>(plan->pack), h, rows,
         T(p.scale));
}

template <class T>
void irfftRows(DeviceContext& ctx, const wt_op& op, const wt_real_fft_params& p) {
  const int64_t n = p.n, rows = rowsOf(op.in[0]), bins = n / 2 + 1;
  const auto plan = deviceRealFftPlan<T>(ctx, n);
  if (n % 2 == 1) {
    const FftIo<T> io{op.in[0].data, bins, kLoadHermitian, bins, op.out[0].data, n, n, kStoreReal, 1, T(p.scale)};
    complexTransform(ctx, *plan->inner, rows, io);
    return;
  }
  const int64_t h = n / 2;
  DeviceScratch scratch(ctx, size_t(rows * h) * sizeof(cplx<T>));
  cplx<T>* z = static_cast<cplx<T>*>(scratch.get());
  launch("c2rPre", c2rPre<T>, dim3(gridFor(ctx, rows * (h / 2 + 1), kFftThreads)), dim3(kFftThreads), 0, ctx.stream(),
         static_cast<const cplx<T>*>(op.in[0].data), z, static_cast<const cplx<T>*>(plan->pack), h, rows);
  // The inverse FFT_h of Z is n * x, read as h complex values per output row.
  const FftIo<T> io{z, h, kLoadComplex, 0, op.out[0].data, h, h, kStoreComplex, 1, T(p.scale)};
  complexTransform(ctx, *plan->inner, rows, io);
}

bool isSingle(int dtype) { return dtype == WT_F32 || dtype == WT_C64; }

}  // namespace

void fft(DeviceContext& ctx, const wt_op& op, const wt_fft_params& p) {
  if (isSingle(op.in[0].dtype)) fftRows<float>(ctx, op, p);
  else fftRows<double>(ctx, op, p);
}

void rfft(DeviceContext& ctx, const wt_op& op, const wt_real_fft_params& p) {
  if (isSingle(op.in[0].dtype)) rfftRows<float>(ctx, op, p);
  else rfftRows<double>(ctx, op, p);
}

void irfft(DeviceContext& ctx, const wt_op& op, const wt_real_fft_params& p) {
  if (isSingle(op.in[0].dtype)) irfftRows<float>(ctx, op, p);
  else irfftRows<double>(ctx, op, p);
}

}  // namespace cuda
}  // namespace wt
