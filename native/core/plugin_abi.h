/* The versioned C ABI between wavetape's core and its backends.
 * The CPU backend implements it in-process; libwavetape_cuda.so and libwavetape_simt.so export it. */
#ifndef WAVETAPE_PLUGIN_ABI_H
#define WAVETAPE_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump on any change to a struct layout, an enum value or an op's contract below. */
#define WT_ABI_VERSION 1
#define WT_MAX_DIMS 8
#define WT_PLUGIN_ENTRY "wavetape_plugin_v1"

typedef enum wt_dtype { WT_F32 = 0, WT_F64 = 1, WT_C64 = 2, WT_C128 = 3, WT_I32 = 4 } wt_dtype;

/* Status codes; their names are the stable JS error codes (E_SHAPE, ...). */
typedef enum wt_status {
  WT_OK = 0,
  WT_E_SHAPE = 1,
  WT_E_DTYPE = 2,
  WT_E_RANGE = 3,
  WT_E_DEVICE = 4,
  WT_E_OOM = 5,
  WT_E_DISPOSED = 6,
  WT_E_CUDA = 7,
  WT_E_INTERNAL = 8
} wt_status;

/* A strided view. `data` points at element [0,..,0]; strides count elements (one complex value
 * is one element) and may be 0 (broadcast) or negative (flip). */
typedef struct wt_view {
  void* data;
  int32_t dtype;
  int32_t ndim;
  int64_t shape[WT_MAX_DIMS];
  int64_t strides[WT_MAX_DIMS];
} wt_view;

/* Op kinds. Core validates everything before a backend sees an op: shapes agree, dtypes are
 * supported, outputs are freshly allocated. A backend only reports runtime failures. */
typedef enum wt_op_kind {
  /* out[0] = in[0], same shape, any strides; converts real/int32 -> real/int32, real -> complex
   * (imaginary 0), complex -> complex. */
  WT_OP_COPY = 1,
  /* out[0] (any strides) = f[0] (+ i f[1] for complex); int32 takes (int32)f[0]. */
  WT_OP_FILL = 2,
  /* out[0] contiguous 1-D: out[k] = f[0] + k * f[1], evaluated in double, rounded once. */
  WT_OP_IOTA = 3,
  /* out[0] contiguous, in[0] has out's ndim and shape with broadcast (0) strides where needed;
   * code = wt_unary; f[0], f[1] are the functor's parameters. */
  WT_OP_UNARY = 4,
  /* out[0] contiguous; in[0], in[1] broadcast to out's shape by strides; code = wt_binary. */
  WT_OP_BINARY = 5,
  /* out[0] contiguous = in[0] != 0 ? in[1] : in[2]; all three broadcast by strides. in[0] has
   * out's dtype or int32. */
  WT_OP_WHERE = 6,
  /* in[0] contiguous, 3-D [O, R, I]; out[0] contiguous 2-D [O, I]; reduce over R. code = wt_reduce.
   * ARGMAX/ARGMIN write int32 (first index of the extremum; NaN counts as the extremum). */
  WT_OP_REDUCE = 7,
  /* in[0] [B, M, K], in[1] [B, K, N] (3-D views, batch stride may be 0); out[0] contiguous [B, M, N].
   * float32/float64. */
  WT_OP_MATMUL = 8,
  /* in[0] contiguous 3-D [O, A, I]; in[1] int32 contiguous 1-D [G]; out[0] contiguous [O, G, I],
   * out[o, g, i] = in[o, idx[g], i]. An index outside [0, A) fails with WT_E_RANGE. */
  WT_OP_GATHER = 9,
  /* in[0] contiguous [O, G, I]; in[1] int32 [G]; out[0] contiguous [O, A, I], already zeroed by
   * core: out[o, idx[g], i] += in[o, g, i]. An index outside [0, A) fails with WT_E_RANGE. */
  WT_OP_SCATTER_ADD = 10,
  /* out[0] contiguous; code = wt_random; i[0] = 64-bit seed, i[1] = counter offset (in Philox
   * blocks); f[0], f[1] the distribution's parameters. Bit-exact across backends (see
   * native/kernels/philox.h for the element -> counter mapping). */
  WT_OP_RANDOM = 11,
  /* The FFT family (core/fft.cpp): core has already moved the transform axis last, cropped or
   * zero-padded it (numpy's n) and made the input contiguous, so every view is 2-D [B, len] with
   * unit inner stride and B >= 1; in[0] and out[0] have the same precision.
   * Complex FFT: in[0], out[0] complex [B, n]; i[0] = n; i[1] = sign (-1 forward, +1 inverse);
   * f[0] = scale applied to the result (core turns numpy's norm into it). */
  WT_OP_FFT = 12,
  /* Real -> half-complex: in[0] real [B, n]; out[0] complex [B, n/2+1]; i[0] = n; f[0] = scale. */
  WT_OP_RFFT = 13,
  /* Half-complex -> real: in[0] complex [B, n/2+1]; out[0] real [B, n]; i[0] = n; f[0] = scale;
   * the unnormalised sum over the Hermitian extension, as numpy's irfft with norm='forward'.
   * The imaginary parts of bin 0 and (even n) bin n/2 are ignored. */
  WT_OP_IRFFT = 14
} wt_op_kind;

typedef enum wt_unary {
  WT_UN_NEG = 0, WT_UN_ABS, WT_UN_SQUARE, WT_UN_SQRT, WT_UN_EXP, WT_UN_LOG, WT_UN_LOG1P,
  WT_UN_EXPM1, WT_UN_SIGMOID, WT_UN_TANH, WT_UN_RELU, WT_UN_SOFTPLUS, WT_UN_SIN, WT_UN_COS,
  WT_UN_SIGN, WT_UN_RECIPROCAL,
  WT_UN_POW_SCALAR, /* x ** f[0] */
  WT_UN_CLAMP,      /* min(max(x, f[0]), f[1]) */
  WT_UN_AFFINE,     /* x * f[0] + f[1] (complex: scales both parts, adds f[1] to the real part) */
  WT_UN_CONJ,       /* complex -> complex */
  WT_UN_ABS2,       /* |x|^2; complex -> real of the same precision, real -> real */
  WT_UN_ANGLE,      /* complex -> real; real x -> 0 or pi */
  WT_UN_COUNT
} wt_unary;

typedef enum wt_binary {
  WT_BIN_ADD = 0, WT_BIN_SUB, WT_BIN_MUL, WT_BIN_DIV, /* real and complex */
  WT_BIN_POW, WT_BIN_MAXIMUM, WT_BIN_MINIMUM,
  WT_BIN_EQ, WT_BIN_NE, WT_BIN_LT, WT_BIN_LE, WT_BIN_GT, WT_BIN_GE, /* write 1 or 0 in out's dtype */
  WT_BIN_COMPLEX, /* real in[0] (re), in[1] (im) -> complex out */
  WT_BIN_COUNT
} wt_binary;

typedef enum wt_reduce {
  WT_RED_SUM = 0, WT_RED_MEAN, /* real and complex */
  WT_RED_MAX, WT_RED_MIN, WT_RED_PROD, WT_RED_LOGSUMEXP, WT_RED_NORM, WT_RED_ARGMAX, WT_RED_ARGMIN,
  WT_RED_COUNT
} wt_reduce;

typedef enum wt_random { WT_RNG_UNIFORM = 0 /* [f0, f1) */, WT_RNG_NORMAL = 1 /* mean f0, std f1 */,
  WT_RNG_BERNOULLI = 2 /* 1 with probability f0 */ } wt_random;

typedef struct wt_op {
  int32_t kind; /* wt_op_kind */
  int32_t code; /* wt_unary / wt_binary / wt_reduce / wt_random, by kind */
  int32_t n_in;
  int32_t n_out;
  wt_view in[4];
  wt_view out[2];
  int64_t i[8];
  double f[4];
} wt_op;

/* Every function returns a wt_status; on failure it writes a message (without the op's user-facing
 * name, which core adds) into err[0..err_len). A plugin has one ordered stream per device: copies
 * and ops run in submission order. */
typedef struct wt_plugin {
  uint32_t abi_version; /* WT_ABI_VERSION */
  const char* name;     /* "cuda" -> devices cuda:0.., "simt" -> the single device simt */
  /* Returns the number of usable devices (0 allowed: then `why` says why). Never fails the load. */
  int32_t (*init)(char* why, size_t why_len);
  int32_t (*alloc)(int32_t dev, size_t bytes, void** out, char* err, size_t err_len);
  /* Stream-ordered: the block may be reused by later work on the same stream. */
  void (*release)(int32_t dev, void* ptr, size_t bytes);
  /* Returns once `src` may be reused. */
  int32_t (*copy_h2d)(int32_t dev, void* dst, const void* src, size_t bytes, char* err, size_t err_len);
  /* Waits for preceding work, then copies; reports an earlier asynchronous failure if any. */
  int32_t (*copy_d2h)(int32_t dev, void* dst, const void* src, size_t bytes, char* err, size_t err_len);
  int32_t (*run)(int32_t dev, const wt_op* op, char* err, size_t err_len);
  int32_t (*synchronize)(int32_t dev, char* err, size_t err_len);
  /* Bytes handed out to core and bytes kept in the allocator's cache. */
  void (*memory)(int32_t dev, uint64_t* live_bytes, uint64_t* cached_bytes);
  void (*empty_cache)(int32_t dev);
} wt_plugin;

typedef const wt_plugin* (*wt_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
