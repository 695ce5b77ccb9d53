// Runs one thread block as fibers on the calling worker thread: a seeded random order of fibers between
// sync points, __syncthreads barriers, warp-synchronous exchanges, shared-memory poisoning and detectors.
#include <link.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#include "fiber.h"
#include "simt_internal.h"

thread_local uint3 threadIdx;
thread_local uint3 blockIdx;
thread_local dim3 blockDim;
thread_local dim3 gridDim;

namespace wt {
namespace simt {
namespace detail {
namespace {

constexpr unsigned char kSharedPoison = 0xFF;  // NaN in every float and double, -1 in every integer
constexpr unsigned char kSmemGuardByte = 0xA5;
constexpr size_t kSmemGuardBytes = 256;
constexpr size_t kSmemAlign = 256;
constexpr uint64_t kPoisonBits = ~uint64_t(0);  // what a lane reads from a lane outside the exchange

// Finds the thread-local segment of the module holding this code, for the calling thread.
struct TlsQuery {
  uintptr_t codeAddress;
  void* base;
  size_t size;
  bool found;
};

int findTlsSegment(dl_phdr_info* info, size_t, void* data) {
  auto* q = static_cast<TlsQuery*>(data);
  bool mine = false;
  size_t tlsSize = 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    const uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD && q->codeAddress >= start && q->codeAddress < start + ph.p_memsz) mine = true;
    if (ph.p_type == PT_TLS) tlsSize = ph.p_memsz;
  }
  if (!mine) return 0;
  q->base = info->dlpi_tls_data;
  q->size = tlsSize;
  q->found = true;
  return 1;
}

const char* baseName(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

std::string site(const char* file, int line) { return std::string(baseName(file)) + ":" + std::to_string(line); }

std::string triple(const char* what, unsigned x, unsigned y, unsigned z) {
  return std::string(what) + " (" + std::to_string(x) + "," + std::to_string(y) + "," + std::to_string(z) + ")";
}

std::string hexMask(unsigned mask) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", mask);
  return buf;
}

const char* opName(WarpOp op) {
  switch (op) {
    case WarpOp::kSync: return "__syncwarp";
    case WarpOp::kShflIdx: return "__shfl_sync";
    case WarpOp::kShflUp: return "__shfl_up_sync";
    case WarpOp::kShflDown: return "__shfl_down_sync";
    case WarpOp::kShflXor: return "__shfl_xor_sync";
    case WarpOp::kBallot: return "__ballot_sync/__any_sync/__all_sync";
    case WarpOp::kMatchAny: return "__match_any_sync";
    case WarpOp::kMatchAll: return "__match_all_sync";
    default: return "__reduce_*_sync";
  }
}

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

enum class FiberState : uint8_t { kReady, kBarrier, kWarp, kExited };

struct Fiber {
  FiberContext ctx;
  BlockScheduler* owner;
  uint3 tid;
  unsigned index;
  FiberState state;
  // The sync point the fiber waits at, for matching and for messages.
  const char* file;
  int line;
  int barrierKind;  // 0 __syncthreads, 1 _count, 2 _and, 3 _or
  int predicate;
  int barrierResult;
  WarpOp op;
  unsigned mask;
  uint64_t bits;
  int arg;
  int width;
  WarpResult result;
};

class BlockScheduler {
 public:
  bool init(std::string* error);
  ~BlockScheduler() { std::free(smem_); }
  bool run(const LaunchPlan& plan, unsigned blockLinear, std::string* error);

  void barrier(int kind, int predicate, int* out, const char* file, int line);
  WarpResult exchange(WarpOp op, unsigned mask, uint64_t bits, int arg, int width, const char* file, int line);
  unsigned activeMask() const;
  void yield();
  void* dynamicSmem() const { return smem_; }
  bool inFiber() const { return current_ != nullptr; }

 private:
  static void fiberMain(void* fiber);
  void exitFiber(Fiber* f);
  void suspend() { fiberSwitch(&current_->ctx, &home_); }
  [[noreturn]] void failInFiber(const std::string& why);
  void fail(const std::string& why);
  void resolveStall();
  void completeExchange(unsigned warpBase, unsigned mask);
  std::string thread(const Fiber& f) const { return triple("thread", f.tid.x, f.tid.y, f.tid.z); }
  std::string block() const { return triple("block", block_.x, block_.y, block_.z); }
  std::string waitDescription(const Fiber& f) const;
  unsigned warpLanes(unsigned warpBase) const { return std::min(32u, nthreads_ - warpBase); }
  bool prepareSharedMemory(size_t bytes);

  // The run order: between two block barriers every fiber has a random rank, and the ready fiber of
  // lowest rank runs until it blocks. Ranks either shuffle all threads or keep each warp's lanes
  // together (so whole warps run ahead of others, as when warps are scheduled apart on a GPU).
  void drawRanks();
  void makeReady(unsigned fiber) { readyBits_[rankOf_[fiber] / 64] |= uint64_t(1) << (rankOf_[fiber] % 64); }
  bool anyReady() const;
  unsigned takeNext();

  StackPool stacks_;
  std::vector<Fiber> fibers_;
  std::vector<unsigned> rankOf_, fiberAt_;
  std::vector<uint64_t> readyBits_;
  std::vector<unsigned> yielded_;  // fibers that gave way in a spin-wait: they run after every ranked one
  size_t yieldedHead_ = 0;
  FiberContext home_;
  Fiber* current_ = nullptr;
  const LaunchPlan* plan_ = nullptr;
  uint3 block_{0, 0, 0};
  unsigned nthreads_ = 0, nexited_ = 0, natBarrier_ = 0;
  uint64_t rng_ = 0;
  bool failed_ = false;
  std::string error_;
  unsigned char* smem_ = nullptr;
  size_t smemCapacity_ = 0, smemBytes_ = 0;
  void* tlsBase_ = nullptr;
  size_t tlsSize_ = 0;
};

namespace {
thread_local BlockScheduler* t_scheduler;
}

bool BlockScheduler::init(std::string* error) {
  // Touching a thread-local first makes glibc allocate this thread's segment of a dlopen'ed module.
  t_scheduler = this;
  TlsQuery q{reinterpret_cast<uintptr_t>(&findTlsSegment), nullptr, 0, false};
  dl_iterate_phdr(&findTlsSegment, &q);
  const auto* idx = reinterpret_cast<const unsigned char*>(&threadIdx);
  const auto* base = static_cast<const unsigned char*>(q.base);
  if (!q.found || !base || idx < base || idx >= base + q.size) {
    *error = "the SIMT emulator cannot locate its thread-local storage segment";
    return false;
  }
  tlsBase_ = q.base;
  tlsSize_ = q.size;
  return true;
}

bool BlockScheduler::prepareSharedMemory(size_t bytes) {
  const size_t need = bytes + kSmemGuardBytes;
  if (need > smemCapacity_) {
    std::free(smem_);
    smem_ = static_cast<unsigned char*>(std::aligned_alloc(kSmemAlign, (need + kSmemAlign - 1) / kSmemAlign * kSmemAlign));
    smemCapacity_ = smem_ ? need : 0;
    if (!smem_) return false;
  }
  smemBytes_ = bytes;
  std::memset(smem_, kSharedPoison, bytes);
  std::memset(smem_ + bytes, kSmemGuardByte, kSmemGuardBytes);
  return true;
}

void BlockScheduler::drawRanks() {
  const unsigned n = nthreads_;
  if (splitmix64(rng_) & 1) {
    // All threads in one random permutation (Fisher-Yates).
    for (unsigned i = 0; i < n; ++i) fiberAt_[i] = i;
    for (unsigned i = n; i > 1; --i) std::swap(fiberAt_[i - 1], fiberAt_[splitmix64(rng_) % i]);
    for (unsigned r = 0; r < n; ++r) rankOf_[fiberAt_[r]] = r;
  } else {
    // Warps in a random order, the lanes of each in one random order; a short last warp leaves gaps.
    const unsigned warps = (n + 31) / 32;
    unsigned warpOrder[32], laneOrder[32];
    for (unsigned i = 0; i < 32; ++i) warpOrder[i] = laneOrder[i] = i;
    for (unsigned i = warps; i > 1; --i) std::swap(warpOrder[i - 1], warpOrder[splitmix64(rng_) % i]);
    for (unsigned i = 32; i > 1; --i) std::swap(laneOrder[i - 1], laneOrder[splitmix64(rng_) % i]);
    for (unsigned f = 0; f < n; ++f) {
      const unsigned r = warpOrder[f / 32] * 32 + laneOrder[f % 32];
      rankOf_[f] = r;
      fiberAt_[r] = f;
    }
  }
}

bool BlockScheduler::anyReady() const {
  if (yieldedHead_ < yielded_.size()) return true;
  for (uint64_t w : readyBits_)
    if (w) return true;
  return false;
}

unsigned BlockScheduler::takeNext() {
  for (size_t i = 0; i < readyBits_.size(); ++i) {
    if (!readyBits_[i]) continue;
    const unsigned bit = unsigned(__builtin_ctzll(readyBits_[i]));
    readyBits_[i] &= readyBits_[i] - 1;
    return fiberAt_[i * 64 + bit];
  }
  const unsigned f = yielded_[yieldedHead_++];
  if (yieldedHead_ == yielded_.size()) {
    yielded_.clear();
    yieldedHead_ = 0;
  }
  return f;
}

bool BlockScheduler::run(const LaunchPlan& plan, unsigned blockLinear, std::string* error) {
  // Static __shared__ variables are thread_locals of this module: poisoning the worker thread's whole
  // segment resets them; the emulator's own thread-locals in it are re-set right after.
  std::memset(tlsBase_, kSharedPoison, tlsSize_);
  t_scheduler = this;
  blockDim = plan.block;
  gridDim = plan.grid;
  block_ = {blockLinear % plan.grid.x, (blockLinear / plan.grid.x) % plan.grid.y,
            blockLinear / (plan.grid.x * plan.grid.y)};
  blockIdx = block_;

  plan_ = &plan;
  nthreads_ = plan.block.x * plan.block.y * plan.block.z;
  nexited_ = natBarrier_ = 0;
  failed_ = false;
  error_.clear();
  rng_ = plan.seed ^ (uint64_t(blockLinear) * 0xD1B54A32D192ED03ull);
  if (!prepareSharedMemory(plan.dynamicSmemBytes) || !stacks_.reserve(nthreads_)) {
    *error = "out of host memory for fiber stacks or shared memory";
    return false;
  }
  fibers_.resize(nthreads_);
  const unsigned rankSlots = (nthreads_ + 31) / 32 * 32;
  rankOf_.assign(nthreads_, 0);
  fiberAt_.assign(rankSlots, 0);
  readyBits_.assign(rankSlots / 64 + 1, 0);
  yielded_.clear();
  yieldedHead_ = 0;
  drawRanks();
  for (unsigned i = 0; i < nthreads_; ++i) {
    Fiber& f = fibers_[i];
    f = Fiber{};
    f.owner = this;
    f.index = i;
    f.tid = {i % plan.block.x, (i / plan.block.x) % plan.block.y, i / (plan.block.x * plan.block.y)};
    f.state = FiberState::kReady;
    fiberInit(&f.ctx, stacks_.stack(i), StackPool::bytes(i), &BlockScheduler::fiberMain, &f);
    makeReady(i);
  }

  while (!failed_) {
    if (!anyReady()) {
      if (nexited_ == nthreads_) break;
      resolveStall();
      continue;
    }
    Fiber& f = fibers_[takeNext()];
    current_ = &f;
    threadIdx = f.tid;
    fiberSwitch(&home_, &f.ctx);
    current_ = nullptr;
  }

  if (!failed_) {
    for (size_t i = 0; i < kSmemGuardBytes; ++i) {
      if (smem_[smemBytes_ + i] != kSmemGuardByte) {
        fail("a store at byte " + std::to_string(i) + " past the end of the " + std::to_string(smemBytes_) +
             " bytes of dynamic shared memory of " + block());
        break;
      }
    }
  }
  if (failed_) *error = error_;
  return !failed_;
}

void BlockScheduler::fiberMain(void* fiber) {
  auto* f = static_cast<Fiber*>(fiber);
  BlockScheduler* s = f->owner;
  char thrown[256] = "";
  try {
    s->plan_->call.invoke(s->plan_->call.bound);
  } catch (const std::exception& e) {
    std::snprintf(thrown, sizeof thrown, "%s", e.what());
  } catch (...) {
    std::snprintf(thrown, sizeof thrown, "an exception that is not a std::exception");
  }
  // Outside the catch blocks: a fiber never resumed must not leave an exception in flight on this OS thread.
  if (thrown[0]) s->failInFiber(s->thread(*f) + " of " + s->block() + " threw " + thrown);
  s->exitFiber(f);
}

void BlockScheduler::exitFiber(Fiber* f) {
  f->state = FiberState::kExited;
  ++nexited_;
  const unsigned base = f->index & ~31u, lane = f->index & 31u;
  for (unsigned l = 0; l < warpLanes(base); ++l) {
    const Fiber& g = fibers_[base + l];
    if (g.state == FiberState::kWarp && (g.mask >> lane & 1u))
      failInFiber(thread(*f) + " of " + block() + " exited while " + thread(g) + " waits in " + opName(g.op) + " (" +
                  site(g.file, g.line) + ") with mask " + hexMask(g.mask) + ", which names its lane " +
                  std::to_string(lane));
  }
  fiberSwitch(&f->ctx, &home_);
  __builtin_unreachable();
}

void BlockScheduler::fail(const std::string& why) {
  if (!failed_) error_ = why;
  failed_ = true;
}

void BlockScheduler::failInFiber(const std::string& why) {
  fail(why);
  fiberSwitch(&current_->ctx, &home_);
  __builtin_unreachable();
}

void BlockScheduler::barrier(int kind, int predicate, int* out, const char* file, int line) {
  Fiber& f = *current_;
  f.state = FiberState::kBarrier;
  f.file = file;
  f.line = line;
  f.barrierKind = kind;
  f.predicate = predicate;
  ++natBarrier_;
  suspend();
  if (out) *out = f.barrierResult;
}

// Called when no fiber can run: either every live thread waits at __syncthreads (release it, unless
// some threads exited or the waiters stand at different call sites), or nothing can ever proceed.
void BlockScheduler::resolveStall() {
  const unsigned live = nthreads_ - nexited_;
  if (natBarrier_ == live) {
    const Fiber* first = nullptr;
    for (const Fiber& f : fibers_) {
      if (f.state != FiberState::kBarrier) continue;
      if (!first) {
        first = &f;
      } else if (f.line != first->line || (f.file != first->file && std::strcmp(f.file, first->file) != 0)) {
        return fail("divergent __syncthreads() in " + block() + ": " + thread(*first) + " waits at " +
                    site(first->file, first->line) + ", " + thread(f) + " at " + site(f.file, f.line));
      }
    }
    if (nexited_ > 0)
      return fail("__syncthreads() (" + site(first->file, first->line) + ") reached by " + std::to_string(live) +
                  " of " + std::to_string(nthreads_) + " threads of " + block() + "; the others exited");
    int count = 0;
    for (const Fiber& f : fibers_) count += f.predicate;
    drawRanks();
    for (Fiber& f : fibers_) {  // nothing has exited here, so every fiber waits at this barrier
      f.barrierResult = f.barrierKind == 1 ? count : f.barrierKind == 2 ? count == int(live) : count > 0;
      f.state = FiberState::kReady;
      makeReady(f.index);
    }
    natBarrier_ = 0;
    return;
  }
  std::string why = "deadlock in " + block() + ": no thread can proceed";
  for (const Fiber& f : fibers_) {
    if (f.state == FiberState::kWarp) {
      why += "; " + waitDescription(f);
      break;
    }
  }
  if (natBarrier_ > 0) {
    for (const Fiber& f : fibers_) {
      if (f.state == FiberState::kBarrier) {
        why += "; " + std::to_string(natBarrier_) + " threads wait at __syncthreads() (" + site(f.file, f.line) + ")";
        break;
      }
    }
  }
  if (nexited_ > 0) why += "; " + std::to_string(nexited_) + " threads have exited";
  fail(why);
}

std::string BlockScheduler::waitDescription(const Fiber& f) const {
  std::string why = thread(f) + " waits in " + opName(f.op) + " (" + site(f.file, f.line) + ") with mask " + hexMask(f.mask);
  const unsigned base = f.index & ~31u;
  for (unsigned l = 0; l < 32; ++l) {
    if (!(f.mask >> l & 1u)) continue;
    const Fiber& g = fibers_[base + l];
    if (g.state == FiberState::kWarp && g.mask == f.mask && g.op == f.op) continue;
    why += " for lane " + std::to_string(l) + ", which ";
    if (g.state == FiberState::kBarrier) return why + "waits at __syncthreads() (" + site(g.file, g.line) + ")";
    return why + "waits in " + opName(g.op) + " (" + site(g.file, g.line) + ") with mask " + hexMask(g.mask);
  }
  return why;
}

WarpResult BlockScheduler::exchange(WarpOp op, unsigned mask, uint64_t bits, int arg, int width, const char* file,
                                    int line) {
  Fiber& f = *current_;
  const unsigned base = f.index & ~31u, lane = f.index & 31u, lanes = warpLanes(base);
  auto where = [&] { return thread(f) + " of " + block() + " calls " + opName(op) + " (" + site(file, line) + ") "; };
  if (width < 1 || width > 32 || (width & (width - 1)) != 0)
    failInFiber(where() + "with width " + std::to_string(width) + ", which is not a power of two up to 32");
  if (!(mask >> lane & 1u)) failInFiber(where() + "with mask " + hexMask(mask) + ", which omits its own lane");
  for (unsigned l = 0; l < 32; ++l) {
    if (!(mask >> l & 1u)) continue;
    if (l >= lanes)
      failInFiber(where() + "with mask " + hexMask(mask) + ", which names lane " + std::to_string(l) + ", but its warp has " +
                  std::to_string(lanes) + " threads");
    if (fibers_[base + l].state == FiberState::kExited)
      failInFiber(where() + "with mask " + hexMask(mask) + ", which names lane " + std::to_string(l) + " (" +
                  thread(fibers_[base + l]) + "), which has exited");
  }
  f.state = FiberState::kWarp;
  f.op = op;
  f.mask = mask;
  f.bits = bits;
  f.arg = arg;
  f.width = width;
  f.file = file;
  f.line = line;
  bool all = true;
  for (unsigned l = 0; l < 32 && all; ++l) all = !(mask >> l & 1u) || fibers_[base + l].state == FiberState::kWarp;
  if (all) {
    for (unsigned l = 0; l < 32; ++l) {
      const Fiber& g = fibers_[base + l];
      if ((mask >> l & 1u) && (g.op != op || g.mask != mask))
        failInFiber("divergent warp intrinsics in " + block() + ": " + thread(f) + " calls " + opName(op) + " (" +
                    site(file, line) + ") with mask " + hexMask(mask) + " while " + thread(g) + " calls " +
                    opName(g.op) + " (" + site(g.file, g.line) + ") with mask " + hexMask(g.mask));
    }
    completeExchange(base, mask);
  }
  suspend();
  return f.result;
}

// Every lane named by `mask` has arrived: compute each lane's result from the deposited values.
void BlockScheduler::completeExchange(unsigned base, unsigned mask) {
  auto value = [&](unsigned src) { return src < 32 && (mask >> src & 1u) ? fibers_[base + src].bits : kPoisonBits; };
  for (unsigned l = 0; l < 32; ++l) {
    if (!(mask >> l & 1u)) continue;
    Fiber& f = fibers_[base + l];
    const unsigned w = unsigned(f.width), group = l & ~(w - 1), arg = unsigned(f.arg);
    uint64_t r = 0;
    bool flag = false;
    switch (f.op) {
      case WarpOp::kSync: break;
      case WarpOp::kShflIdx: r = value(group + (arg & (w - 1))); break;
      case WarpOp::kShflUp: r = (l - group) < arg ? f.bits : value(l - arg); break;
      case WarpOp::kShflDown: r = (l - group) + uint64_t(arg) >= w ? f.bits : value(l + arg); break;
      case WarpOp::kShflXor: r = (l ^ arg) >= group + w ? f.bits : value(l ^ arg); break;
      case WarpOp::kBallot:
      case WarpOp::kMatchAny:
      case WarpOp::kMatchAll: {
        unsigned ballot = 0, same = 0;
        for (unsigned j = 0; j < 32; ++j) {
          if (!(mask >> j & 1u)) continue;
          if (fibers_[base + j].bits != 0) ballot |= 1u << j;
          if (fibers_[base + j].bits == f.bits) same |= 1u << j;
        }
        flag = same == mask;
        r = f.op == WarpOp::kBallot ? ballot : f.op == WarpOp::kMatchAny ? same : flag ? mask : 0u;
        break;
      }
      default: {
        uint32_t acc = uint32_t(f.bits);
        for (unsigned j = 0; j < 32; ++j) {
          if (!(mask >> j & 1u)) continue;
          const uint32_t v = uint32_t(fibers_[base + j].bits);
          switch (f.op) {
            case WarpOp::kReduceAddU: case WarpOp::kReduceAddI: if (j != l) acc += v; break;
            case WarpOp::kReduceMinU: acc = std::min(acc, v); break;
            case WarpOp::kReduceMaxU: acc = std::max(acc, v); break;
            case WarpOp::kReduceMinI: acc = uint32_t(std::min(int32_t(acc), int32_t(v))); break;
            default: acc = uint32_t(std::max(int32_t(acc), int32_t(v))); break;
          }
        }
        r = acc;
        break;
      }
    }
    f.result = {r, flag};
    f.state = FiberState::kReady;
    makeReady(f.index);
  }
}

unsigned BlockScheduler::activeMask() const {
  const unsigned base = current_->index & ~31u;
  unsigned mask = 0;
  for (unsigned l = 0; l < warpLanes(base); ++l)
    if (fibers_[base + l].state != FiberState::kExited) mask |= 1u << l;
  return mask;
}

void BlockScheduler::yield() {
  current_->state = FiberState::kReady;
  yielded_.push_back(current_->index);
  suspend();
}

BlockScheduler* createBlockScheduler(std::string* error) {
  auto* s = new BlockScheduler();
  if (s->init(error)) return s;
  delete s;
  return nullptr;
}

void destroyBlockScheduler(BlockScheduler* s) { delete s; }

bool runBlock(BlockScheduler* s, const LaunchPlan& plan, unsigned blockLinear, std::string* error) {
  return s->run(plan, blockLinear, error);
}

// The intrinsics' entry points: outside a kernel (host code) they act on a lone thread.
void syncThreads(int kind, int predicate, int* out, const char* file, int line) {
  BlockScheduler* s = t_scheduler;
  if (s && s->inFiber()) {
    s->barrier(kind, predicate, out, file, line);
  } else if (out) {
    *out = predicate;
  }
}

WarpResult warpExchange(WarpOp op, unsigned mask, uint64_t bits, int arg, int width, const char* file, int line) {
  BlockScheduler* s = t_scheduler;
  if (s && s->inFiber()) return s->exchange(op, mask, bits, arg, width, file, line);
  return {op == WarpOp::kBallot ? uint64_t(bits != 0) : bits, true};
}

unsigned activeMask() {
  BlockScheduler* s = t_scheduler;
  return s && s->inFiber() ? s->activeMask() : 1u;
}

void yieldFiber() {
  BlockScheduler* s = t_scheduler;
  if (s && s->inFiber()) s->yield();
}

}  // namespace detail

void* dynamicSharedMemory() {
  detail::BlockScheduler* s = detail::t_scheduler;
  return s && s->inFiber() ? s->dynamicSmem() : nullptr;
}

}  // namespace simt
}  // namespace wt
