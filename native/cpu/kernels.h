// Entry points of the CPU backend's kernels, one per op kind, declared from the op table
// (abi/ops.def: each op's contract and parameters). They run on the calling stream thread, use
// parallelFor for the pool and throw wt::Error on failure. A kind without a definition fails the
// addon's link (WT_BACKEND_ENTRY).
#pragma once
#include "../abi/op_table.h"

namespace wt {
namespace cpu {

#define WT_OP(KIND, id, name, entry, P) \
  WT_BACKEND_ENTRY void entry(const wt_op& op, const wt_##P##_params& p);
#include "../abi/ops.def"

}  // namespace cpu
}  // namespace wt
