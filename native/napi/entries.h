// Binding entries, one function per JS export, declared from the one list in entries.def
// (addon.cc registers the same list).
#pragma once
#include "args.h"

namespace wt {
namespace napi {

using EntryFn = Napi::Value (*)(const Args&);

#define WT_ENTRY(name, function) Napi::Value function(const Args& a);
#include "entries.def"
// Creates the environment's read completion function (before the cleanup hook is added).
void initReads(Napi::Env env, AddonData& data);

}  // namespace napi
}  // namespace wt
