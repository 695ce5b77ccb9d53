/* The versioned C ABI between wavetape's core and its backends.
 * The CPU backend implements it in-process; libwavetape_cuda.so and libwavetape_simt.so export it. */
#ifndef WAVETAPE_PLUGIN_ABI_H
#define WAVETAPE_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* WT_ABI_VERSION is defined by the op table (ops.def, included below), so adding an op bumps it
 * there; bump it there too on any change to a struct layout or an enum value here. */
#define WT_MAX_DIMS 8
/* The entry symbol keeps its name across versions, so the loader can read abi_version from a
 * plugin of any version and refuse a mismatch with a reason instead of a missing symbol. */
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

/* Op kinds, their parameter structs and contracts: one table, ops.def. */
#define WT_PARAMS(params, fields) typedef struct wt_##params##_params { fields } wt_##params##_params;
#include "ops.def"

typedef enum wt_op_kind {
#define WT_OP(KIND, id, name, entry, P) WT_OP_##KIND = id,
#include "ops.def"
  WT_OP_KIND_LIMIT = 64 /* every id is below this (static_assert in op_table.h) */
} wt_op_kind;

/* The op's parameters, by kind: op.params.<entry> (e.g. op.params.fft for WT_OP_FFT). */
typedef union wt_op_params {
#define WT_OP(KIND, id, name, entry, P) wt_##P##_params entry;
#include "ops.def"
} wt_op_params;

/* The kind's name for messages ("scatter_add"), or "unknown op". */
static inline const char* wt_op_kind_name(int32_t kind) {
  switch (kind) {
#define WT_OP(KIND, id, name, entry, P) \
  case WT_OP_##KIND:                         \
    return #name;
#include "ops.def"
    default: return "unknown op";
  }
}

typedef enum wt_unary {
  WT_UN_NEG = 0, WT_UN_ABS, WT_UN_SQUARE, WT_UN_SQRT, WT_UN_EXP, WT_UN_LOG, WT_UN_LOG1P,
  WT_UN_EXPM1, WT_UN_SIGMOID, WT_UN_TANH, WT_UN_RELU, WT_UN_SOFTPLUS, WT_UN_SIN, WT_UN_COS,
  WT_UN_SIGN, WT_UN_RECIPROCAL,
  WT_UN_POW_SCALAR, /* x ** p0 */
  WT_UN_CLAMP,      /* min(max(x, p0), p1) */
  WT_UN_AFFINE,     /* x * p0 + p1 (complex: scales both parts, adds p1 to the real part) */
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

typedef enum wt_random { WT_RNG_UNIFORM = 0 /* [p0, p1) */, WT_RNG_NORMAL = 1 /* mean p0, std p1 */,
  WT_RNG_BERNOULLI = 2 /* 1 with probability p0 */ } wt_random;

typedef struct wt_op {
  int32_t kind; /* wt_op_kind */
  int32_t n_in;
  int32_t n_out;
  wt_view in[4];
  wt_view out[2];
  wt_op_params params; /* the member named by the kind's entry in ops.def */
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
