// Portability macros for math shared by the CPU backend, CUDA kernels and the SIMT emulator.
// Everything under native/kernels/ is header-only and compiles under g++ and nvcc alike.
#pragma once

#if defined(__CUDACC__)
#define WT_HD __host__ __device__ __forceinline__
#elif defined(__GNUC__)
#define WT_HD inline __attribute__((always_inline))
#else
#define WT_HD inline
#endif

// Precedes a __host__ __device__ template that only forwards to a caller-supplied callable (the
// op-code visitors), so nvcc accepts host-only callables such as a backend's kernel launcher.
#if defined(__CUDACC__)
#define WT_FORWARDS_TO_CALLABLE _Pragma("nv_exec_check_disable")
#else
#define WT_FORWARDS_TO_CALLABLE
#endif
