// Binding entries for the runtime: initialisation, devices and backends, memory accounting,
// cache release, threads, reading tensors back (async and sync) and disposal.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "../core/ops.h"
#include "entries.h"

namespace wt {
namespace napi {

Napi::Value init(const Args& a) {
  Napi::Env env = a.info.Env();
  if (!a.info[0].IsObject()) fail(WT_E_RANGE, a.op, ": expected an options object");
  Napi::Object o = a.info[0].As<Napi::Object>();
  Napi::Value ec = o.Get("errorClass");
  if (ec.IsFunction()) a.data.errorClass = Napi::Persistent(ec.As<Napi::Function>());
  checkComputeSettings();
  std::vector<std::string> dirs;
  Napi::Value pd = o.Get("pluginDirs");
  if (pd.IsArray()) {
    Napi::Array arr = pd.As<Napi::Array>();
    for (uint32_t i = 0; i < arr.Length(); ++i) {
      Napi::Value v = arr.Get(i);
      if (v.IsString()) dirs.push_back(v.As<Napi::String>().Utf8Value());
    }
  }
  Napi::Value simt = o.Get("simt");
  loadPlugins(dirs, simt.IsBoolean() && simt.As<Napi::Boolean>().Value());
  return env.Undefined();
}

Napi::Value listDevices(const Args& a) {
  auto ds = devices();
  Napi::Array out = Napi::Array::New(a.info.Env(), ds.size());
  for (size_t i = 0; i < ds.size(); ++i) out.Set((uint32_t)i, ds[i]->name());
  return out;
}

Napi::Value listBackends(const Args& a) {
  Napi::Env env = a.info.Env();
  auto bs = backends();
  Napi::Array out = Napi::Array::New(env, bs.size());
  for (size_t i = 0; i < bs.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", bs[i].name);
    o.Set("loaded", bs[i].loaded);
    o.Set("path", bs[i].path);
    o.Set("reason", bs[i].reason);
    Napi::Array ds = Napi::Array::New(env, bs[i].devices.size());
    for (size_t k = 0; k < bs[i].devices.size(); ++k) ds.Set((uint32_t)k, bs[i].devices[k]);
    o.Set("devices", ds);
    out.Set((uint32_t)i, o);
  }
  return out;
}

namespace {
Napi::Object deviceMemory(Napi::Env env, int64_t tensors, int64_t bytes, uint64_t cached) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("tensors", (double)tensors);
  o.Set("bytes", (double)bytes);
  o.Set("cachedBytes", (double)cached);
  return o;
}
}  // namespace

// {byDevice: this environment's live handles per device, process: every environment's}; a
// device's cachedBytes (its allocator's idle blocks) is process-wide and appears in both.
Napi::Value memory(const Args& a) {
  Napi::Env env = a.info.Env();
  Napi::Object mine = Napi::Object::New(env), all = Napi::Object::New(env);
  for (Device* d : devices()) {
    uint64_t cached = 0;
    d->cacheInfo(&cached);
    const HandleTable::Usage u = a.data.handles.usage(d);
    mine.Set(d->name(), deviceMemory(env, u.tensors, u.bytes, cached));
    all.Set(d->name(), deviceMemory(env, d->liveTensors.load(), d->liveBytes.load(), cached));
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("byDevice", mine);
  out.Set("process", all);
  return out;
}

Napi::Value releaseCache(const Args& a) {
  releaseCaches();
  return a.info.Env().Undefined();
}

Napi::Value numThreads(const Args& a) { return Napi::Number::New(a.info.Env(), computeThreads()); }

Napi::Value setNumThreads(const Args& a) {
  int64_t n = a.integer(0, "n");
  if (n < 1 || n > 256) fail(WT_E_RANGE, a.op, ": argument 'n' = ", n, "; expected 1..256");
  setComputeThreads((int)n);
  return a.info.Env().Undefined();
}

namespace {

struct ReadState {
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  std::shared_ptr<const Error> err;
  void finish(std::shared_ptr<const Error> e) {
    std::lock_guard<std::mutex> g(m);
    err = std::move(e);
    done = true;
    cv.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [&] { return done; });
  }
};

Napi::Value typedArrayOf(Napi::Env env, Napi::ArrayBuffer buf, DType dt) {
  size_t bytes = buf.ByteLength();
  if (dt == WT_I32) return Napi::Int32Array::New(env, bytes / 4, buf, 0);
  if (dt == WT_F32 || dt == WT_C64) return Napi::Float32Array::New(env, bytes / 4, buf, 0);
  return Napi::Float64Array::New(env, bytes / 8, buf, 0);
}

Napi::Error wavetapeError(Napi::Env env, AddonData& data, const Error& e) {
  if (!data.errorClass.IsEmpty())
    return Napi::Error(env, data.errorClass.New({Napi::String::New(env, e.what()),
                                                 Napi::String::New(env, statusName(e.code()))}));
  Napi::Error err = Napi::Error::New(env, e.what());
  err.Set("code", statusName(e.code()));
  return err;
}

// One t.data() in flight. The stream that runs the read hands it to the environment's
// readCompletions function, which settles the promise on the JS thread: no libuv pool thread
// waits for the stream. `state` decides who settles when the read finishes during read() itself.
struct PendingRead {
  enum : int { kSubmitting, kWaiting, kDone };
  std::atomic<int> state{kSubmitting};
  std::shared_ptr<const Error> err;
  DType dtype = WT_F32;
  napi_deferred deferred = nullptr;
  napi_ref buffer = nullptr;  // the destination ArrayBuffer, alive until settled
};

void settleRead(Napi::Env env, AddonData& data, PendingRead& pr) {
  napi_value bufv = nullptr;
  napi_get_reference_value(env, pr.buffer, &bufv);
  napi_delete_reference(env, pr.buffer);
  if (pr.err) napi_reject_deferred(env, pr.deferred, wavetapeError(env, data, *pr.err).Value());
  else napi_resolve_deferred(env, pr.deferred, typedArrayOf(env, Napi::ArrayBuffer(env, bufv), pr.dtype));
}

// readCompletions' call_js: runs on the JS thread, or with env == nullptr when the environment is
// torn down with reads still queued (their promises die with it).
void completeRead(napi_env env, napi_value, void* context, void* item) {
  std::unique_ptr<PendingRead> pr(static_cast<PendingRead*>(item));
  if (!env) return;
  auto& data = *static_cast<AddonData*>(context);
  if (--data.pendingReads == 0) napi_unref_threadsafe_function(env, data.readCompletions);
  try {
    settleRead(Napi::Env(env), data, *pr);
  } catch (const Napi::Error& e) {
    e.ThrowAsJavaScriptException();
  } catch (const std::exception& e) {  // no C++ exception crosses into Node
    napi_throw_error(env, "E_INTERNAL", e.what());
  }
}

}  // namespace

void initReads(Napi::Env env, AddonData& data) {
  napi_value name = Napi::String::New(env, "wavetape.read");
  napi_status s = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, &data,
                                                  completeRead, &data.readCompletions);
  if (s != napi_ok) fail(WT_E_INTERNAL, "init: could not create the read completion function");
  // Referenced only while reads are pending, so an idle environment lets its event loop end.
  napi_unref_threadsafe_function(env, data.readCompletions);
}

Napi::Value read(const Args& a) {
  Napi::Env env = a.info.Env();
  const Tensor& t = a.tensor(0, "x");
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, (size_t)t.numel() * dtypeSize(t.dtype));
  auto owned = std::make_unique<PendingRead>();
  PendingRead* pr = owned.get();
  pr->dtype = t.dtype;
  napi_threadsafe_function completions = a.data.readCompletions;
  // Until done has run, `buf` (a local handle of this call, then pr->buffer) keeps dst alive.
  readInto(a.data.env, t, buf.Data(), [pr, completions](std::shared_ptr<const Error> e) {
    pr->err = std::move(e);
    if (pr->state.exchange(PendingRead::kDone) == PendingRead::kWaiting &&
        napi_call_threadsafe_function(completions, pr, napi_tsfn_nonblocking) != napi_ok)
      delete pr;  // the environment is closing: nobody is left to settle it
  });
  owned.release();  // from here on, pr belongs to done's continuation
  napi_value promise = nullptr;
  napi_create_promise(env, &pr->deferred, &promise);
  napi_create_reference(env, buf, 1, &pr->buffer);
  if (pr->state.exchange(PendingRead::kWaiting) == PendingRead::kDone) {  // ran inline: settle now
    std::unique_ptr<PendingRead> done(pr);
    settleRead(env, a.data, *done);
    return Napi::Value(env, promise);
  }
  if (a.data.pendingReads++ == 0) napi_ref_threadsafe_function(env, completions);
  return Napi::Value(env, promise);
}

Napi::Value readSync(const Args& a) {
  Napi::Env env = a.info.Env();
  const Tensor& t = a.tensor(0, "x");
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, (size_t)t.numel() * dtypeSize(t.dtype));
  auto st = std::make_shared<ReadState>();
  readInto(a.data.env, t, buf.Data(), [st](std::shared_ptr<const Error> e) { st->finish(std::move(e)); });
  st->wait();
  if (st->err) throw *st->err;
  return typedArrayOf(env, buf, t.dtype);
}

Napi::Value dispose(const Args& a) {
  HandleTable::Id id;
  if (handleId(a.info[0], &id)) a.data.handles.release(id);
  return a.info.Env().Undefined();
}

// [shape, dtype, device] of a live tensor, read once by the facade when it first needs them.
Napi::Value describe(const Args& a) {
  Napi::Env env = a.info.Env();
  const Tensor& t = a.tensor(0, "x");
  Napi::Array shape = Napi::Array::New(env, t.shape.size());
  for (size_t i = 0; i < t.shape.size(); ++i) shape.Set((uint32_t)i, Napi::Number::New(env, (double)t.shape[i]));
  Napi::Array out = Napi::Array::New(env, 3);
  out.Set(0u, shape);
  out.Set(1u, Napi::String::New(env, dtypeName(t.dtype)));
  out.Set(2u, Napi::String::New(env, t.device()->name()));
  return out;
}

Napi::Value sync(const Args& a) {
  a.data.env.drain();
  return a.info.Env().Undefined();
}

}  // namespace napi
}  // namespace wt
