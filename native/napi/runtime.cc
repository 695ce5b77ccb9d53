// Binding entries for the runtime: initialisation, devices and backends, memory accounting,
// threads, reading tensors back (async and sync) and disposal.
#include <condition_variable>
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

Napi::Value memory(const Args& a) {
  Napi::Env env = a.info.Env();
  Napi::Object by = Napi::Object::New(env);
  for (Device* d : devices()) {
    Napi::Object o = Napi::Object::New(env);
    uint64_t cached = 0;
    d->cacheInfo(&cached);
    o.Set("tensors", (double)d->liveTensors.load());
    o.Set("bytes", (double)d->liveBytes.load());
    o.Set("cachedBytes", (double)cached);
    by.Set(d->name(), o);
  }
  return by;
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

// Waits off the JS thread for a queued read, then settles the promise on it.
class ReadWorker : public Napi::AsyncWorker {
 public:
  ReadWorker(Napi::Env env, AddonData& data, std::shared_ptr<ReadState> st, Napi::ArrayBuffer buf, DType dt)
      : Napi::AsyncWorker(env, "wavetape.read"), data_(data), st_(std::move(st)), buf_(Napi::Persistent(buf)),
        dt_(dt), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override { st_->wait(); }
  void OnOK() override { settle(Env(), deferred_, data_, *st_, buf_.Value(), dt_); }

  static void settle(Napi::Env env, Napi::Promise::Deferred& d, AddonData& data, ReadState& st, Napi::ArrayBuffer buf,
                     DType dt) {
    if (st.err) d.Reject(wavetapeError(env, data, *st.err).Value());
    else d.Resolve(typedArrayOf(env, buf, dt));
  }

 private:
  AddonData& data_;
  std::shared_ptr<ReadState> st_;
  Napi::Reference<Napi::ArrayBuffer> buf_;
  DType dt_;
  Napi::Promise::Deferred deferred_;
};

}  // namespace

Napi::Value read(const Args& a) {
  Napi::Env env = a.info.Env();
  const Tensor& t = a.tensor(0, "x");
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, (size_t)t.numel() * dtypeSize(t.dtype));
  auto st = std::make_shared<ReadState>();
  readInto(a.data.env, t, buf.Data(), [st](std::shared_ptr<const Error> e) { st->finish(std::move(e)); });
  bool ready;
  {
    std::lock_guard<std::mutex> g(st->m);
    ready = st->done;
  }
  if (ready) {  // ran inline: no thread hop needed
    auto d = Napi::Promise::Deferred::New(env);
    ReadWorker::settle(env, d, a.data, *st, buf, t.dtype);
    return d.Promise();
  }
  auto* w = new ReadWorker(env, a.data, st, buf, t.dtype);
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
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
  Napi::Value v = a.info[0];
  if (v.IsNumber()) a.data.handles.release(v.As<Napi::Number>().Int32Value());
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
