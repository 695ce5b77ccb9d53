// Core entry points that move data: strided copies and casts (WT_OP_COPY), device-to-device
// hops through host memory, and reads into host memory.
#include <condition_variable>
#include <mutex>

#include "ops.h"
#include "stream.h"
#include "submit.h"

namespace wt {

void copyInto(Env& env, const Tensor& dst, const Tensor& src, const char* op) {
  sameDevice(op, dst, "out", src, "x");
  if (dst.shape != src.shape)
    fail(WT_E_SHAPE, op, ": destination shape ", shapeStr(dst.shape), " differs from source ", shapeStr(src.shape));
  if (isComplex(src.dtype) && !isComplex(dst.dtype))
    fail(WT_E_DTYPE, op, ": cannot convert ", dtypeName(src.dtype), " to ", dtypeName(dst.dtype),
         "; take real() or abs() first");
  if (dst.numel() == 0) return;
  wt_op o = makeOp(WT_OP_COPY);
  o.n_in = 1;
  o.n_out = 1;
  o.in[0] = src.view();
  o.out[0] = dst.view();
  submit(env, dst.device(), o, {src.storage}, {dst.storage}, dst.numel());
}

Tensor contiguous(Env& env, const Tensor& t) {
  if (t.isContiguous()) return t;
  Tensor out = emptyTensor(t.device(), t.dtype, t.shape, "contiguous");
  copyInto(env, out, t, "contiguous");
  return out;
}

Tensor cast(Env& env, const Tensor& t, DType dt) {
  if (dt == t.dtype) return t;
  Tensor out = emptyTensor(t.device(), dt, t.shape, "cast");
  copyInto(env, out, t, "cast");
  return out;
}

Tensor toDevice(Env& env, const Tensor& t, Device* d) {
  if (t.device() == d) return t;
  Tensor src = contiguous(env, t);
  Tensor out = emptyTensor(d, t.dtype, t.shape, "to");
  const size_t bytes = out.storage->bytes();
  if (bytes == 0) return out;
  // Hop through host memory: the source stream reads into a staging buffer, the destination
  // stream waits for it and uploads. Reads never wait on other streams, so no cycle can form.
  struct Hop {
    std::vector<char> buf;
    std::mutex m;
    std::condition_variable cv;
    bool ready = false;
    std::shared_ptr<const Error> err;
  };
  auto hop = std::make_shared<Hop>();
  hop->buf.resize(bytes);
  Device* sd = src.device();
  const void* sp = src.view().data;
  Task rd;
  rd.run = [sd, sp, hop, bytes] { sd->copyToHost(hop->buf.data(), sp, bytes); };
  rd.reads = {src.storage};
  rd.done = [hop](std::shared_ptr<const Error> e) {
    std::lock_guard<std::mutex> g(hop->m);
    hop->err = e;
    hop->ready = true;
    hop->cv.notify_all();
  };
  env.stream(sd).submit(std::move(rd), false);
  Task up;
  void* dp = out.storage->data();
  up.run = [d, dp, hop, bytes] {
    std::unique_lock<std::mutex> lk(hop->m);
    hop->cv.wait(lk, [&] { return hop->ready; });
    if (hop->err) throw *hop->err;
    d->copyFromHost(dp, hop->buf.data(), bytes);
  };
  up.writes = {out.storage};
  env.stream(d).submit(std::move(up), false);
  return out;
}

void readInto(Env& env, const Tensor& t, void* dst, std::function<void(std::shared_ptr<const Error>)> done) {
  Tensor src = contiguous(env, t);
  Device* d = src.device();
  const size_t bytes = (size_t)src.numel() * dtypeSize(src.dtype);
  const void* sp = src.view().data;
  Task task;
  task.run = [d, sp, dst, bytes] {
    if (bytes) d->copyToHost(dst, sp, bytes);
    d->synchronize();
  };
  task.reads = {src.storage};
  task.done = std::move(done);
  task.confirms = true;
  env.stream(d).submit(std::move(task), src.numel() <= d->inlineElements());
}

}  // namespace wt
