// Module registration: the table of binding entries (from entries.def), per-environment state, and the
// conversion of C++ failures into JS WavetapeErrors (no exception ever crosses into Node).
#include <new>

#include "../core/device.h"
#include "../core/error.h"
#include "entries.h"

namespace wt {
namespace napi {
namespace {

struct Entry {
  const char* name;
  EntryFn fn;
};

const Entry kEntries[] = {
#define WT_ENTRY(name, function) {#name, function},
#include "entries.def"
};

struct Bound {
  AddonData* data;
  const Entry* entry;
};

struct Instance {
  AddonData data;
  std::vector<Bound> bound;
};

[[noreturn]] void throwJs(Napi::Env env, AddonData& data, wt_status code, const std::string& msg) {
  if (!data.errorClass.IsEmpty())
    throw Napi::Error(env, data.errorClass.New({Napi::String::New(env, msg), Napi::String::New(env, statusName(code))}));
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", statusName(code));
  throw e;
}

Napi::Value trampoline(const Napi::CallbackInfo& info) {
  const Bound* b = static_cast<const Bound*>(info.Data());
  try {
    return b->entry->fn(Args{info, *b->data, b->entry->name});
  } catch (const Napi::Error&) {
    throw;
  } catch (const Error& e) {
    throwJs(info.Env(), *b->data, e.code(), e.what());
  } catch (const std::bad_alloc&) {
    throwJs(info.Env(), *b->data, WT_E_OOM, std::string(b->entry->name) + ": out of host memory");
  } catch (const std::exception& e) {
    throwJs(info.Env(), *b->data, WT_E_INTERNAL, std::string(b->entry->name) + ": " + e.what());
  }
}

void cleanup(void* arg) {
  auto* inst = static_cast<Instance*>(arg);
  inst->data.env.shutdown();
  inst->data.handles.clear();
  trimCachesToLive();  // an exited worker's idle blocks are not kept for the others
}

}  // namespace

Napi::Object initModule(Napi::Env env, Napi::Object exports) {
  auto* inst = new Instance();
  inst->bound.reserve(sizeof kEntries / sizeof kEntries[0]);
  for (const Entry& e : kEntries) {
    inst->bound.push_back({&inst->data, &e});
    exports.Set(e.name, Napi::Function::New(env, trampoline, e.name, &inst->bound.back()));
  }
  inst->data.handles.bind(env);
  // Created before the cleanup hook is added: hooks run in reverse order, so ours shuts the
  // streams down (no read can complete after) before Node closes this function.
  initReads(env, inst->data);
  // Streams are drained in the cleanup hook, before the environment's objects are torn down;
  // the instance itself is freed with the environment's instance data.
  napi_add_env_cleanup_hook(env, cleanup, inst);
  env.SetInstanceData<Instance>(inst);
  return exports;
}

}  // namespace napi
}  // namespace wt

static Napi::Object InitWavetape(Napi::Env env, Napi::Object exports) { return wt::napi::initModule(env, exports); }
NODE_API_MODULE(wavetape, InitWavetape)
