// Binding entries, one function per op; addon.cc lists them in the registration table.
#pragma once
#include "args.h"

namespace wt {
namespace napi {

using EntryFn = Napi::Value (*)(const Args&);

// runtime.cc
Napi::Value init(const Args& a);
Napi::Value listDevices(const Args& a);
Napi::Value listBackends(const Args& a);
Napi::Value memory(const Args& a);
Napi::Value releaseCache(const Args& a);
Napi::Value numThreads(const Args& a);
Napi::Value setNumThreads(const Args& a);
Napi::Value read(const Args& a);
Napi::Value readSync(const Args& a);
Napi::Value dispose(const Args& a);
Napi::Value describe(const Args& a);
Napi::Value sync(const Args& a);
// Creates the environment's read completion function (before the cleanup hook is added).
void initReads(Napi::Env env, AddonData& data);
// tensor_ops.cc
Napi::Value fromData(const Args& a);
Napi::Value full(const Args& a);
Napi::Value iota(const Args& a);
Napi::Value random(const Args& a);
Napi::Value alias(const Args& a);
Napi::Value reshape(const Args& a);
Napi::Value permute(const Args& a);
Napi::Value slice(const Args& a);
Napi::Value expand(const Args& a);
Napi::Value viewAsReal(const Args& a);
Napi::Value viewAsComplex(const Args& a);
Napi::Value contiguous(const Args& a);
Napi::Value cast(const Args& a);
Napi::Value copyInto(const Args& a);
Napi::Value unary(const Args& a);
Napi::Value binary(const Args& a);
Napi::Value where(const Args& a);
Napi::Value reduce(const Args& a);
Napi::Value matmul(const Args& a);
Napi::Value gather(const Args& a);
Napi::Value scatterAdd(const Args& a);
Napi::Value to(const Args& a);
// fft_ops.cc
Napi::Value fft(const Args& a);
Napi::Value rfft(const Args& a);
Napi::Value irfft(const Args& a);

}  // namespace napi
}  // namespace wt
