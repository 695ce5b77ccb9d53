// Binding entries, one function per JS export, declared from the one list in entries.def
// (addon.cc registers the same list).
#pragma once
#include "args.h"

namespace wt {
namespace napi {

using EntryFn = Napi::Value (*)(const Args&);

#define WT_ENTRY(name, function) Napi::Value function(const Args& a);
#include "entries.def"

}  // namespace napi
}  // namespace wt
