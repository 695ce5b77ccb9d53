// The process-wide device list and the backend plugin loader (dlopen of libwavetape_cuda.so /
// libwavetape_simt.so through the versioned C ABI in plugin_abi.h).
#include <dlfcn.h>
#include <sys/stat.h>

#include <memory>
#include <mutex>

#include "device.h"
#include "error.h"

namespace wt {

Device* makeCpuDevice();  // defined by the CPU backend (native/cpu/cpu_device.cpp)

namespace {

class PluginDevice final : public Device {
 public:
  PluginDevice(std::string name, const wt_plugin* p, int32_t index, int64_t inlineElems)
      : Device(std::move(name)), p_(p), index_(index), inline_(inlineElems) {}

  void* alloc(size_t bytes) override {
    void* out = nullptr;
    char err[512] = {0};
    int32_t s = p_->alloc(index_, bytes, &out, err, sizeof err);
    if (s != WT_OK) check(s, err);
    return out;
  }
  void release(void* ptr, size_t bytes) override { p_->release(index_, ptr, bytes); }
  void copyFromHost(void* dst, const void* src, size_t bytes) override {
    char err[512] = {0};
    check(p_->copy_h2d(index_, dst, src, bytes, err, sizeof err), err);
  }
  void copyToHost(void* dst, const void* src, size_t bytes) override {
    char err[512] = {0};
    check(p_->copy_d2h(index_, dst, src, bytes, err, sizeof err), err);
  }
  void run(const wt_op& op) override {
    char err[512] = {0};
    check(p_->run(index_, &op, err, sizeof err), err);
  }
  void synchronize() override {
    char err[512] = {0};
    check(p_->synchronize(index_, err, sizeof err), err);
  }
  int64_t inlineElements() const override { return inline_; }
  bool failsLate() const override { return true; }
  void releaseCache() override {
    if (p_->empty_cache) p_->empty_cache(index_);
  }
  void cacheInfo(uint64_t* cached) const override {
    uint64_t live = 0;
    p_->memory(index_, &live, cached);
  }

 private:
  void check(int32_t s, const char* err) {
    if (s != WT_OK) throw Error((wt_status)s, name() + ": " + (err[0] ? err : "unknown failure"));
  }
  const wt_plugin* p_;
  int32_t index_;
  int64_t inline_;
};

struct Registry {
  std::mutex m;
  std::vector<Device*> devices;  // never freed: storage may outlive every environment
  std::vector<BackendInfo> backends;
  bool pluginsLoaded = false;
};

Registry& registry() {
  static Registry* r = [] {
    auto* reg = new Registry();
    Device* cpu = makeCpuDevice();
    reg->devices.push_back(cpu);
    reg->backends.push_back({"cpu", true, "", "", {cpu->name()}});
    return reg;
  }();
  return *r;
}

bool fileExists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

BackendInfo loadOne(Registry& reg, const std::string& name, const std::vector<std::string>& dirs) {
  BackendInfo info{name, false, "", "", {}};
  std::string file = "libwavetape_" + name + ".so";
  for (const auto& d : dirs)
    if (!d.empty() && fileExists(d + "/" + file)) {
      info.path = d + "/" + file;
      break;
    }
  if (info.path.empty()) {
    info.reason = file + " not found (looked in WAVETAPE_PLUGIN_PATH and next to the addon)";
    return info;
  }
  // RTLD_LOCAL keeps each plugin's symbols (static cudart, emulator) to itself.
  void* h = dlopen(info.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = dlerror();
    info.reason = std::string("dlopen failed: ") + (e ? e : "unknown error");
    return info;
  }
  auto entry = reinterpret_cast<wt_plugin_entry_fn>(dlsym(h, WT_PLUGIN_ENTRY));
  const wt_plugin* p = entry ? entry() : nullptr;
  if (!p) {
    info.reason = std::string("no ") + WT_PLUGIN_ENTRY + " entry point";
    return info;
  }
  if (p->abi_version != WT_ABI_VERSION) {
    info.reason = "built for plugin ABI version " + std::to_string(p->abi_version) + "; this addon needs version " +
                  std::to_string(WT_ABI_VERSION) + " (rebuild the plugin from the same wavetape sources)";
    return info;
  }
  char why[512] = {0};
  int32_t count = p->init(why, sizeof why);
  info.loaded = true;
  if (count <= 0) {
    info.reason = why[0] ? why : "no devices";
    return info;
  }
  bool simt = name == "simt";
  for (int32_t i = 0; i < count; ++i) {
    std::string dn = simt ? std::string("simt") : name + ":" + std::to_string(i);
    reg.devices.push_back(new PluginDevice(dn, p, i, simt ? 4096 : (int64_t(1) << 22)));
    info.devices.push_back(dn);
  }
  return info;
}

}  // namespace

std::vector<Device*> devices() {
  Registry& r = registry();
  std::lock_guard<std::mutex> g(r.m);
  return r.devices;
}

Device* cpuDevice() { return registry().devices[0]; }

Device* findDevice(const std::string& name) {
  for (Device* d : devices())
    if (d->name() == name) return d;
  return nullptr;
}

void loadPlugins(const std::vector<std::string>& dirs, bool wantSimt) {
  Registry& r = registry();
  std::lock_guard<std::mutex> g(r.m);
  if (r.pluginsLoaded) return;
  r.pluginsLoaded = true;
  r.backends.push_back(loadOne(r, "cuda", dirs));
  if (wantSimt) r.backends.push_back(loadOne(r, "simt", dirs));
  else r.backends.push_back({"simt", false, "", "not requested (set WAVETAPE_SIMT=1; test runs do)", {}});
}

std::vector<BackendInfo> backends() {
  Registry& r = registry();
  std::lock_guard<std::mutex> g(r.m);
  return r.backends;
}

void releaseCaches() {
  for (Device* d : devices()) d->releaseCache();
}

void trimCachesToLive() {
  for (Device* d : devices()) {
    const int64_t live = d->liveBytes.load();
    d->trimCache(live > 0 ? (uint64_t)live : 0);
  }
}

}  // namespace wt
