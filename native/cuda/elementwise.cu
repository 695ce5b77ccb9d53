// The broadcasting elementwise kernel (a contiguous, vectorised path, a transposed-tile path and a
// strided N-d path) and the ops built on it: COPY (with dtype conversion), FILL, IOTA, UNARY, BINARY
// and WHERE.
#include <stdint.h>

#include <initializer_list>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "dtype_dispatch.cuh"
#include "index_math.cuh"
#include "kernels/complex.h"
#include "kernels/elementwise.h"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kElementwiseThreads = 256;

// ---- kernels -------------------------------------------------------------------------------
// Both kernels compute out[i] = op(i, in_0[i], in_1[i], ...) where i is the flat row-major output
// index (IOTA uses it; every other op ignores it).

// An input of the contiguous path: dense like the output, or one value broadcast to all.
template <class T>
struct ContiguousInput {
  const T* data;
  bool broadcast;
};

template <class T>
__device__ __forceinline__ T loadOne(const ContiguousInput<T>& in, int64_t i) {
  return in.broadcast ? in.data[0] : in.data[i];
}

template <int N, class T>
__device__ __forceinline__ Pack<T, N> loadPack(const ContiguousInput<T>& in, int64_t pack) {
  if (!in.broadcast) return reinterpret_cast<const Pack<T, N>*>(in.data)[pack];
  Pack<T, N> p;
  T v = in.data[0];
#pragma unroll
  for (int j = 0; j < N; ++j) p.v[j] = v;
  return p;
}

template <int N, class Op, class Out, class... In>
__device__ __forceinline__ void storePack(const Op& op, Out* out, int64_t pack, const Pack<In, N>&... in) {
  Pack<Out, N> result;
#pragma unroll
  for (int j = 0; j < N; ++j) result.v[j] = op(pack * N + j, in.v[j]...);
  reinterpret_cast<Pack<Out, N>*>(out)[pack] = result;
}

// Grid: 1-D, grid-stride over packs of N outputs (one 16-byte store each), then the n % N tail
// element by element. Requires every dense operand aligned to its pack size.
template <int N, class Op, class Out, class... In>
__global__ void __launch_bounds__(kElementwiseThreads, kMinBlocksPerSm)
    elementwiseContiguous(Op op, int64_t n, Out* out, ContiguousInput<In>... in) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  int64_t first = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  int64_t packs = n / N;
  for (int64_t p = first; p < packs; p += stride) storePack<N>(op, out, p, loadPack<N>(in, p)...);
  for (int64_t i = packs * N + first; i < n; i += stride) out[i] = op(i, loadOne(in, i)...);
}

// Shape of the strided path, innermost dimension first, with a divider per dimension.
struct StridedShape {
  int ndim;
  IntDivider dims[WT_MAX_DIMS];
};

// An operand of the strided path: strides (in elements) per dimension, innermost first.
template <class T>
struct StridedOperand {
  T* data;
  int64_t strides[WT_MAX_DIMS];
};

template <class T>
__device__ __forceinline__ T& elementAt(const StridedOperand<T>& v, const int64_t (&coord)[WT_MAX_DIMS], int ndim) {
  int64_t offset = 0;
#pragma unroll
  for (int d = 0; d < WT_MAX_DIMS; ++d)
    if (d < ndim) offset += coord[d] * v.strides[d];
  return v.data[offset];
}

// Grid: 1-D, grid-stride over output elements; each decomposes its flat index into coordinates
// (one multiply-high per dimension) and addresses every operand through its own strides.
template <class Op, class Out, class... In>
__global__ void __launch_bounds__(kElementwiseThreads, kMinBlocksPerSm)
    elementwiseStrided(Op op, int64_t n, StridedShape shape, StridedOperand<Out> out, StridedOperand<const In>... in) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    int64_t coord[WT_MAX_DIMS];
    uint64_t rest = uint64_t(i);
#pragma unroll
    for (int d = 0; d < WT_MAX_DIMS; ++d) {
      if (d + 1 < shape.ndim) {
        uint64_t q = shape.dims[d].div(rest);
        coord[d] = int64_t(rest - q * shape.dims[d].divisor);
        rest = q;
      } else {
        coord[d] = d + 1 == shape.ndim ? int64_t(rest) : 0;
      }
    }
    elementAt(out, coord, shape.ndim) = op(i, elementAt(in, coord, shape.ndim)...);
  }
}

// The transposed-tile path: an output dense along its innermost dimension A and some input dense
// along another dimension B (e.g. add(x, transpose(y))), both at least a tile long. One 32×32 tile
// of the (A, B) plane per block, as copyTransposedTiles: each such input's tile is staged through
// shared memory, read by warps along B, so that its reads coalesce like the output's writes
// (elementwiseStrided reads a sector per element of it); the other inputs are read in place.
constexpr int kTransposeTile = 32, kTransposeRows = 8;
constexpr int kTileElements = kTransposeTile * (kTransposeTile + 1);  // rows padded by one element
// At most this much shared memory of staged tiles per block, and this many dimensions besides the
// plane (a batch of planes, after merging); others take the strided path.
constexpr size_t kMaxTileBytes = 32 * 1024;
constexpr int kMaxTileOuter = 2;

template <class... In>
constexpr size_t kTileBytes = (size_t(0) + ... + sizeof(In)) * kTileElements;

// An input of the transposed-tile path: its strides along A, B and the other dimensions (0 where it
// broadcasts); staged: dense along B and not along A, so through shared memory at byte `tile`.
template <class T>
struct TileInput {
  const T* data;
  int64_t sA, sB;
  int64_t outer[kMaxTileOuter];
  bool staged;
  size_t tile;
};

// The dimensions besides the plane (unused ones of size 1), and the output's strides along them.
struct TileOuter {
  int64_t shape[kMaxTileOuter], so[kMaxTileOuter];
};

struct alignas(16) TileWord {
  unsigned char bytes[16];
};

template <class T>
__device__ __forceinline__ int64_t outerOffset(const TileInput<T>& x, const int64_t* idx) {
  int64_t off = 0;
#pragma unroll
  for (int d = 0; d < kMaxTileOuter; ++d) off += idx[d] * x.outer[d];
  return off;
}

template <class T>
__device__ __forceinline__ void stageTile(const TileInput<T>& x, TileWord* smem, const int64_t* idx, int64_t a0, int64_t b0,
                                          int64_t nA, int64_t nB) {
  if (!x.staged) return;
  T* tile = reinterpret_cast<T*>(reinterpret_cast<unsigned char*>(smem) + x.tile);
  const T* src = x.data + outerOffset(x, idx);
  const int tx = threadIdx.x;
  for (int k = threadIdx.y; k < kTransposeTile; k += kTransposeRows)
    if (a0 + k < nA && b0 + tx < nB) tile[k * (kTransposeTile + 1) + tx] = src[(a0 + k) * x.sA + b0 + tx];
}

template <class T>
__device__ __forceinline__ T tileValue(const TileInput<T>& x, const TileWord* smem, const int64_t* idx, int64_t a0, int64_t b0,
                                       int ia, int ib) {
  if (x.staged)
    return reinterpret_cast<const T*>(reinterpret_cast<const unsigned char*>(smem) + x.tile)[ia * (kTransposeTile + 1) + ib];
  return x.data[outerOffset(x, idx) + (a0 + ia) * x.sA + (b0 + ib) * x.sB];
}

// out[b·oB + a] = op(in…) over the (A, B) plane, op's flat index argument unused (every op with an
// input ignores it). Grid: x = tiles along A, y = tiles along B, z = the outer index.
template <class Op, class Out, class... In>
__global__ void __launch_bounds__(kTransposeTile* kTransposeRows, kMinBlocksPerSm)
    elementwiseTransposedTiles(Op op, Out* out, int64_t nA, int64_t nB, int64_t oB, TileOuter outer, TileInput<In>... in) {
  __shared__ TileWord smem[(kTileBytes<In...> + sizeof(TileWord) - 1) / sizeof(TileWord)];
  const int64_t idx[kMaxTileOuter] = {int64_t(blockIdx.z) / outer.shape[1], int64_t(blockIdx.z) % outer.shape[1]};
  const int64_t offO = idx[0] * outer.so[0] + idx[1] * outer.so[1];
  const int64_t a0 = int64_t(blockIdx.x) * kTransposeTile, b0 = int64_t(blockIdx.y) * kTransposeTile;
  (stageTile(in, smem, idx, a0, b0, nA, nB), ...);
  __syncthreads();
  const int tx = threadIdx.x;
  for (int k = threadIdx.y; k < kTransposeTile; k += kTransposeRows)
    if (b0 + k < nB && a0 + tx < nA)
      out[offO + (b0 + k) * oB + a0 + tx] = op(int64_t(0), tileValue(in, smem, idx, a0, b0, tx, k)...);
}

// ---- host: layout and launch -----------------------------------------------------------------

// The iteration space of one elementwise op: the output's shape merged by kernels/merged_dims.h over
// the output (operand 0) and the inputs' broadcast strides.
struct ElementwiseLayout : MergedDims<4, WT_MAX_DIMS> {
  ElementwiseLayout(const wt_view& out, std::initializer_list<const wt_view*> ins)
      : MergedDims<4, WT_MAX_DIMS>(out.ndim, out.shape, 1 + int(ins.size()), [&](int k, int d) {
          return k == 0 ? out.strides[d] : broadcastStride(*ins.begin()[k - 1], out, d);
        }) {}

  // Stride of `v` along output dimension d: inputs align to the output from the right, and a size-1
  // (or missing) dimension broadcasts.
  static int64_t broadcastStride(const wt_view& v, const wt_view& out, int d) {
    int vd = d - (out.ndim - v.ndim);
    if (vd < 0 || v.shape[vd] == 1) return 0;
    return v.strides[vd];
  }

  bool contiguous() const {
    if (ndim == 0) return true;
    if (ndim > 1 || strides[0][0] != 1) return false;
    for (int k = 1; k < count; ++k)
      if (strides[k][0] != 0 && strides[k][0] != 1) return false;
    return true;
  }
  bool broadcast(int k) const { return ndim == 0 || strides[k][0] == 0; }

  StridedShape stridedShape() const {
    StridedShape s;
    s.ndim = ndim;
    for (int d = 0; d < WT_MAX_DIMS; ++d) s.dims[d] = IntDivider::of(d < ndim ? uint64_t(shape[ndim - 1 - d]) : 1);
    return s;
  }
  template <class T>
  StridedOperand<T> stridedOperand(int k, void* data) const {
    StridedOperand<T> v;
    v.data = static_cast<T*>(data);
    for (int d = 0; d < WT_MAX_DIMS; ++d) v.strides[d] = d < ndim ? strides[k][ndim - 1 - d] : 0;
    return v;
  }
};

// Outputs per 16-byte store in the contiguous path.
template <class T>
constexpr int packWidth() {
  return sizeof(T) >= 16 ? 1 : int(16 / sizeof(T));
}

inline bool alignedTo(const void* p, size_t bytes) { return reinterpret_cast<uintptr_t>(p) % bytes == 0; }

// Launches elementwiseTransposedTiles for the layout it serves (see there); false otherwise.
template <class Out, class... In, class Op, class... Views, size_t... K>
bool launchTransposedTiles(DeviceContext& ctx, const Op& op, const wt_view& out, const ElementwiseLayout& L,
                           std::index_sequence<K...>, const Views&... ins) {
  if constexpr (sizeof...(In) == 0 || kTileBytes<In...> > kMaxTileBytes) {
    return false;
  } else {
    const int nd = L.ndim, A = nd - 1;
    int B = -1;
    for (int k = 1; k < L.count && B < 0; ++k) B = L.transposedPlane(kTransposeTile, k);
    if (B < 0) return false;
    if (nd - 2 > kMaxTileOuter) return false;
    // The other dimensions, outermost first, right-aligned in kMaxTileOuter slots.
    TileOuter outer{};
    int outerDim[kMaxTileOuter] = {-1, -1};
    for (int i = 0; i < kMaxTileOuter; ++i) outer.shape[i] = 1;
    int slot = kMaxTileOuter - (nd - 2);
    int64_t count = 1;
    for (int d = 0; d < nd; ++d) {
      if (d == A || d == B) continue;
      outer.shape[slot] = L.shape[d];
      outer.so[slot] = L.strides[0][d];
      outerDim[slot++] = d;
      count *= L.shape[d];
    }
    const int64_t tilesA = (L.shape[A] + kTransposeTile - 1) / kTransposeTile;
    const int64_t tilesB = (L.shape[B] + kTransposeTile - 1) / kTransposeTile;
    if (count > 65535 || tilesB > 65535 || tilesA > INT32_MAX) return false;
    const size_t sizes[] = {sizeof(In)...};
    size_t at = 0;
    auto input = [&](auto tag, int k, const wt_view& v) {
      using T = typename decltype(tag)::type;
      TileInput<T> x{};
      x.data = static_cast<const T*>(v.data);
      x.sA = L.strides[k][A];
      x.sB = L.strides[k][B];
      for (int i = 0; i < kMaxTileOuter; ++i) x.outer[i] = outerDim[i] < 0 ? 0 : L.strides[k][outerDim[i]];
      x.staged = x.sB == 1 && x.sA != 1;
      x.tile = at;
      at += sizes[k - 1] * kTileElements;
      return x;
    };
    // A braced list evaluates in order, so each input's tile follows the previous one's.
    const std::tuple<TileInput<In>...> inputs{input(TypeTag<In>{}, int(K) + 1, ins)...};
    launch("elementwiseTransposedTiles", elementwiseTransposedTiles<Op, Out, In...>,
           dim3(unsigned(tilesA), unsigned(tilesB), unsigned(count)), dim3(kTransposeTile, kTransposeRows), 0, ctx.stream(),
           op, static_cast<Out*>(out.data), L.shape[A], L.shape[B], L.strides[0][B], outer, std::get<K>(inputs)...);
    return true;
  }
}

template <class Out, class... In, class Op, class... Views, size_t... K>
void launchElementwise(DeviceContext& ctx, const Op& op, const wt_view& out, std::index_sequence<K...>,
                       const Views&... ins) {
  int64_t n = elementCount(out);
  if (n == 0) return;
  ElementwiseLayout layout(out, {&ins...});
  constexpr int N = packWidth<Out>();
  bool packable = layout.contiguous() && alignedTo(out.data, N * sizeof(Out));
  bool inputsPackable[] = {true, (layout.broadcast(K + 1) || alignedTo(ins.data, N * sizeof(In)))...};
  for (bool ok : inputsPackable) packable = packable && ok;
  if (packable) {
    launch("elementwiseContiguous", elementwiseContiguous<N, Op, Out, In...>,
           dim3(gridFor(ctx, (n + N - 1) / N, kElementwiseThreads)), dim3(kElementwiseThreads), 0, ctx.stream(), op, n,
           static_cast<Out*>(out.data),
           ContiguousInput<In>{static_cast<const In*>(ins.data), layout.broadcast(K + 1)}...);
  } else if (!launchTransposedTiles<Out, In...>(ctx, op, out, layout, std::index_sequence<K...>{}, ins...)) {
    launch("elementwiseStrided", elementwiseStrided<Op, Out, In...>, dim3(gridFor(ctx, n, kElementwiseThreads)),
           dim3(kElementwiseThreads), 0, ctx.stream(), op, n, layout.stridedShape(),
           layout.template stridedOperand<Out>(0, out.data),
           layout.template stridedOperand<const In>(K + 1, const_cast<void*>(ins.data))...);
  }
}

// out = op(ins...) elementwise, with Out and In... the element types of out and ins.
template <class Out, class... In, class Op, class... Views>
void elementwise(DeviceContext& ctx, const Op& op, const wt_view& out, const Views&... ins) {
  static_assert(sizeof...(In) == sizeof...(Views), "one element type per input view");
  launchElementwise<Out, In...>(ctx, op, out, std::index_sequence_for<In...>{}, ins...);
}

// ---- the per-element operations ----------------------------------------------------------------

// A shared functor from kernels/elementwise.h applied to the inputs.
template <class F>
struct Apply {
  F f;
  template <class... X>
  WT_HD auto operator()(int64_t, X... x) const {
    return f(x...);
  }
};

// Value conversions of WT_OP_COPY: real/int32 -> real/int32, real -> complex, complex -> complex.
template <class Out>
struct Converter {
  template <class In>
  static WT_HD Out from(In x) {
    return static_cast<Out>(x);
  }
};
template <class T>
struct Converter<cplx<T>> {
  template <class In>
  static WT_HD cplx<T> from(In x) {
    return {static_cast<T>(x), T(0)};
  }
  template <class U>
  static WT_HD cplx<T> from(cplx<U> x) {
    return {static_cast<T>(x.re), static_cast<T>(x.im)};
  }
};
template <class Out>
struct ConvertTo {
  template <class In>
  WT_HD Out operator()(int64_t, In x) const {
    return Converter<Out>::from(x);
  }
};
// Complex -> real or int32 would drop the imaginary part; core never asks for it.
template <class Out, class In>
constexpr bool copyConvertible() {
  return is_cplx<Out>::value || !is_cplx<In>::value;
}

template <class T>
struct Constant {
  T value;
  WT_HD T operator()(int64_t) const { return value; }
};

// IOTA: evaluated in double and rounded once to the output type.
template <class T>
struct Ramp {
  double start, step;
  WT_HD T operator()(int64_t k) const { return static_cast<T>(start + double(k) * step); }
};

template <class T>
WT_HD bool nonzero(T x) {
  return x != T(0);
}
template <class T>
WT_HD bool nonzero(cplx<T> x) {
  return x.re != T(0) || x.im != T(0);
}
template <class T>
struct SelectNonzero {
  template <class C>
  WT_HD T operator()(int64_t, C cond, T a, T b) const {
    return nonzero(cond) ? a : b;
  }
};

template <class T>
struct MakeComplex {
  WT_HD cplx<T> operator()(int64_t, T re, T im) const { return {re, im}; }
};

template <class T>
T fillValue(double re, double im) {
  return static_cast<T>(re);
}
template <>
cplx<float> fillValue<cplx<float>>(double re, double im) {
  return {float(re), float(im)};
}
template <>
cplx<double> fillValue<cplx<double>>(double re, double im) {
  return {re, im};
}

// ---- transposing copies ----------------------------------------------------------------------

// The dimensions of a transposing copy besides its plane, and each one's output / input stride.
struct TransposeOuter {
  int ndim;
  int64_t shape[WT_MAX_DIMS], so[WT_MAX_DIMS], sx[WT_MAX_DIMS];
};

// out[b·oB + a] = convert(in[a·xA + b]) over the (A, B) plane (the output dense along A, the input
// along B), one 32×32 tile per block through shared memory: a warp reads 32 consecutive inputs along
// B and writes 32 consecutive outputs along A, so both sides coalesce (elementwiseStrided reads a
// sector per element of a transposed input). Rows padded by one element: the transposed reads of the
// tile hit 32 different banks. Grid: x = tiles along A, y = tiles along B, z = the outer index.
template <class Out, class In>
__global__ void __launch_bounds__(kTransposeTile* kTransposeRows)
    copyTransposedTiles(Out* out, const In* in, int64_t nA, int64_t nB, int64_t oB, int64_t xA, TransposeOuter outer) {
  __shared__ Out tile[kTransposeTile][kTransposeTile + 1];
  int64_t r = blockIdx.z, offO = 0, offX = 0;
  for (int d = outer.ndim - 1; d >= 0; --d) {
    const int64_t i = r % outer.shape[d];
    r /= outer.shape[d];
    offO += i * outer.so[d];
    offX += i * outer.sx[d];
  }
  const int64_t a0 = int64_t(blockIdx.x) * kTransposeTile, b0 = int64_t(blockIdx.y) * kTransposeTile;
  const int tx = threadIdx.x;
  for (int k = threadIdx.y; k < kTransposeTile; k += kTransposeRows)
    if (a0 + k < nA && b0 + tx < nB) tile[k][tx] = ConvertTo<Out>{}(0, in[offX + (a0 + k) * xA + b0 + tx]);
  __syncthreads();
  for (int k = threadIdx.y; k < kTransposeTile; k += kTransposeRows)
    if (b0 + k < nB && a0 + tx < nA) out[offO + (b0 + k) * oB + a0 + tx] = tile[tx][k];
}

// Launches copyTransposedTiles when out is dense along its innermost (merged) dimension and in along
// another, both at least a tile long; false otherwise (the elementwise kernels take it).
template <class Out, class In>
bool copyTransposed(DeviceContext& ctx, const wt_view& out, const wt_view& in) {
  const ElementwiseLayout L(out, {&in});
  const int nd = L.ndim, A = nd - 1, B = L.transposedPlane(kTransposeTile);
  if (B < 0) return false;
  TransposeOuter outer{};
  int64_t count = 1;
  for (int d = 0; d < nd; ++d) {
    if (d == A || d == B) continue;
    outer.shape[outer.ndim] = L.shape[d];
    outer.so[outer.ndim] = L.strides[0][d];
    outer.sx[outer.ndim] = L.strides[1][d];
    ++outer.ndim;
    count *= L.shape[d];
  }
  const int64_t tilesA = (L.shape[A] + kTransposeTile - 1) / kTransposeTile;
  const int64_t tilesB = (L.shape[B] + kTransposeTile - 1) / kTransposeTile;
  if (count > 65535 || tilesB > 65535 || tilesA > INT32_MAX) return false;
  launch("copyTransposedTiles", copyTransposedTiles<Out, In>, dim3(unsigned(tilesA), unsigned(tilesB), unsigned(count)),
         dim3(kTransposeTile, kTransposeRows), 0, ctx.stream(), static_cast<Out*>(out.data),
         static_cast<const In*>(in.data), L.shape[A], L.shape[B], L.strides[0][B], L.strides[1][A], outer);
  return true;
}

[[noreturn]] void unsupportedCode(const char* op, int code, int dtype) {
  throw Failure(WT_E_DTYPE, std::string(op) + " code " + std::to_string(code) + " does not support " +
                                dtypeName(dtype));
}

}  // namespace

// ---- op entry points ---------------------------------------------------------------------------

void copy(DeviceContext& ctx, const wt_op& op, const wt_none_params&) {
  const wt_view& in = op.in[0];
  const wt_view& out = op.out[0];
  withAnyDtype(in.dtype, "copy input", [&](auto inTag) {
    using In = typename decltype(inTag)::type;
    withAnyDtype(out.dtype, "copy output", [&](auto outTag) {
      using Out = typename decltype(outTag)::type;
      if constexpr (!copyConvertible<Out, In>()) {
        throw Failure(WT_E_DTYPE, "copy cannot convert " + dtypeName(in.dtype) + " to " + dtypeName(out.dtype));
      } else if constexpr (std::is_same<In, Out>::value) {
        if (isContiguous(in) && isContiguous(out)) {
          check(cudaMemcpyAsync(out.data, in.data, elementCount(out) * sizeof(Out), cudaMemcpyDeviceToDevice,
                                ctx.stream()),
                "copy: cudaMemcpyAsync");
          return;
        }
        if (!copyTransposed<Out, In>(ctx, out, in)) elementwise<Out, In>(ctx, ConvertTo<Out>{}, out, in);
      } else if (!copyTransposed<Out, In>(ctx, out, in)) {
        elementwise<Out, In>(ctx, ConvertTo<Out>{}, out, in);
      }
    });
  });
}

void fill(DeviceContext& ctx, const wt_op& op, const wt_fill_params& p) {
  withAnyDtype(op.out[0].dtype, "fill", [&](auto tag) {
    using T = typename decltype(tag)::type;
    elementwise<T>(ctx, Constant<T>{fillValue<T>(p.re, p.im)}, op.out[0]);
  });
}

void iota(DeviceContext& ctx, const wt_op& op, const wt_iota_params& p) {
  const wt_view& out = op.out[0];
  auto ramp = [&](auto tag) {
    using T = typename decltype(tag)::type;
    elementwise<T>(ctx, Ramp<T>{p.start, p.step}, out);
  };
  if (out.dtype == WT_I32) return ramp(TypeTag<int32_t>{});
  withRealDtype(out.dtype, "iota", ramp);
}

void unary(DeviceContext& ctx, const wt_op& op, const wt_unary_params& p) {
  const wt_view& in = op.in[0];
  const wt_view& out = op.out[0];
  withFloatingDtype(in.dtype, "unary", [&](auto tag) {
    using T = typename decltype(tag)::type;
    bool known;
    if constexpr (is_cplx<T>::value) {
      using R = typename real_of<T>::type;
      if (ew::unaryComplexToReal(p.code)) {
        requireDtype(out, dtypeOf<R>(), "unary output");
        known = ew::visitComplexToReal(p.code, [&](auto f) { elementwise<R, T>(ctx, Apply<decltype(f)>{f}, out, in); });
      } else {
        requireDtype(out, dtypeOf<T>(), "unary output");
        known = ew::visitComplexUnary(p.code, p.p0, p.p1,
                                      [&](auto f) { elementwise<T, T>(ctx, Apply<decltype(f)>{f}, out, in); });
      }
    } else {
      requireDtype(out, dtypeOf<T>(), "unary output");
      known = ew::visitRealUnary(p.code, p.p0, p.p1,
                                 [&](auto f) { elementwise<T, T>(ctx, Apply<decltype(f)>{f}, out, in); });
    }
    if (!known) unsupportedCode("unary", p.code, in.dtype);
  });
}

void binary(DeviceContext& ctx, const wt_op& op, const wt_binary_params& p) {
  const wt_view& a = op.in[0];
  const wt_view& b = op.in[1];
  const wt_view& out = op.out[0];
  requireDtype(b, a.dtype, "binary input 1");
  if (p.code == WT_BIN_COMPLEX) {
    return withRealDtype(a.dtype, "binary complex", [&](auto tag) {
      using T = typename decltype(tag)::type;
      requireDtype(out, dtypeOf<cplx<T>>(), "binary output");
      elementwise<cplx<T>, T, T>(ctx, MakeComplex<T>{}, out, a, b);
    });
  }
  requireDtype(out, a.dtype, "binary output");
  withFloatingDtype(a.dtype, "binary", [&](auto tag) {
    using T = typename decltype(tag)::type;
    auto apply = [&](auto f) { elementwise<T, T, T>(ctx, Apply<decltype(f)>{f}, out, a, b); };
    bool known;
    if constexpr (is_cplx<T>::value)
      known = ew::visitComplexBinary(p.code, apply);
    else
      known = ew::visitRealBinary(p.code, apply);
    if (!known) unsupportedCode("binary", p.code, a.dtype);
  });
}

void where(DeviceContext& ctx, const wt_op& op, const wt_none_params&) {
  const wt_view& cond = op.in[0];
  const wt_view& out = op.out[0];
  requireDtype(op.in[1], out.dtype, "where input 1");
  requireDtype(op.in[2], out.dtype, "where input 2");
  withAnyDtype(out.dtype, "where", [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (cond.dtype == WT_I32) return elementwise<T, int32_t, T, T>(ctx, SelectNonzero<T>{}, out, cond, op.in[1], op.in[2]);
    requireDtype(cond, out.dtype, "where condition");
    if constexpr (!std::is_same<T, int32_t>::value)
      elementwise<T, T, T, T>(ctx, SelectNonzero<T>{}, out, cond, op.in[1], op.in[2]);
  });
}

}  // namespace cuda
}  // namespace wt
