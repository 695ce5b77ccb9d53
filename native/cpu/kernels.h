// Entry points of the CPU backend's kernels, one per wt_op kind (see core/plugin_abi.h for each
// op's contract). They run on the calling stream thread and use parallelFor for the pool.
// Failures throw wt::Error.
#pragma once
#include "../core/plugin_abi.h"

namespace wt {
namespace cpu {

void copy(const wt_op& op);        // cpu/copy_strided.cpp
void fill(const wt_op& op);        // cpu/copy_strided.cpp
void iota(const wt_op& op);        // cpu/copy_strided.cpp
void unary(const wt_op& op);       // cpu/elementwise.cpp
void binary(const wt_op& op);      // cpu/elementwise.cpp
void where(const wt_op& op);       // cpu/elementwise.cpp
void reduce(const wt_op& op);      // cpu/reduce.cpp
void matmul(const wt_op& op);      // cpu/matmul.cpp
void gather(const wt_op& op);      // cpu/gather.cpp
void scatterAdd(const wt_op& op);  // cpu/gather.cpp
void random(const wt_op& op);      // cpu/random.cpp
void fft(const wt_op& op);         // cpu/fft_*.cpp
void rfft(const wt_op& op);        // cpu/fft_*.cpp
void irfft(const wt_op& op);       // cpu/fft_*.cpp

}  // namespace cpu
}  // namespace wt
