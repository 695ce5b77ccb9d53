// Standalone check of the CPU FFT kernels: accuracy against a naive long-double DFT, and speed
// against FFTW (only when built with -DWT_WITH_FFTW). Usage: fft_check [accuracy] [speed].
// Built by scripts/build-fft-check.sh (which links FFTW where it is installed).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "cpu/fft_plan.h"
#include "cpu/kernels.h"
#include "cpu/thread_pool.h"

#ifdef WT_WITH_FFTW
#include <fftw3.h>
#endif

namespace {

using LD = long double;
using wt::cplx;

// ---- the reference: a naive O(n^2) DFT in long double, rows split over two threads ----

std::vector<cplx<LD>> rootsOfUnity(int64_t n) {  // exp(-2 pi i k / n)
  std::vector<cplx<LD>> roots(n);
  const LD twoPi = 6.283185307179586476925286766559L;
  for (int64_t k = 0; k < n; ++k) roots[k] = {cosl(twoPi * k / n), -sinl(twoPi * k / n)};
  return roots;
}

// y[k] = scale * sum_j x[j] exp(sign 2 pi i jk/n), for `rows` rows of n.
std::vector<cplx<LD>> naiveDft(const std::vector<cplx<LD>>& x, int64_t rows, int64_t n, int sign, LD scale) {
  const std::vector<cplx<LD>> roots = rootsOfUnity(n);
  std::vector<cplx<LD>> y(rows * n);
  auto work = [&](int64_t kBegin, int64_t kEnd) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t k = kBegin; k < kEnd; ++k) {
        LD re = 0, im = 0;
        int64_t idx = 0;
        for (int64_t j = 0; j < n; ++j) {
          const cplx<LD> a = x[r * n + j], w = roots[idx];
          const LD wi = sign < 0 ? w.im : -w.im;
          re += a.re * w.re - a.im * wi;
          im += a.re * wi + a.im * w.re;
          idx += k;
          if (idx >= n) idx -= n;
        }
        y[r * n + k] = {re * scale, im * scale};
      }
  };
  std::thread helper(work, n / 2, n);
  work(0, n / 2);
  helper.join();
  return y;
}

// Max over rows of sqrt(sum |y - ref|^2 / sum |ref|^2); y holds `cols` values of stride `yStride`.
template <class T>
double maxRelRms(const T* y, int64_t yStride, const std::vector<LD>& ref, int64_t refStride, int64_t rows, int64_t cols) {
  double worst = 0;
  for (int64_t r = 0; r < rows; ++r) {
    LD err = 0, norm = 0;
    for (int64_t c = 0; c < cols; ++c) {
      const LD d = (LD)y[r * yStride + c] - ref[r * refStride + c];
      err += d * d;
      norm += ref[r * refStride + c] * ref[r * refStride + c];
    }
    worst = std::max(worst, (double)sqrtl(err / (norm > 0 ? norm : 1)));
  }
  return worst;
}

std::vector<LD> flatten(const std::vector<cplx<LD>>& z) {
  std::vector<LD> out;
  for (const auto& v : z) {
    out.push_back(v.re);
    out.push_back(v.im);
  }
  return out;
}

wt_view matrix(void* data, wt_dtype dtype, int64_t rows, int64_t cols) {
  wt_view v{};
  v.data = data;
  v.dtype = dtype;
  v.ndim = 2;
  v.shape[0] = rows;
  v.shape[1] = cols;
  v.strides[0] = cols;
  v.strides[1] = 1;
  return v;
}

wt_op fftOp(wt_op_kind kind, const wt_view& in, const wt_view& out, int64_t n, int64_t sign, double scale) {
  wt_op op{};
  op.kind = kind;
  op.n_in = 1;
  op.n_out = 1;
  op.in[0] = in;
  op.out[0] = out;
  if (kind == WT_OP_FFT) op.params.fft = {n, (int32_t)sign, scale};
  else if (kind == WT_OP_RFFT) op.params.rfft = {n, scale};
  else op.params.irfft = {n, scale};
  return op;
}

template <class T> constexpr wt_dtype realDtype() { return sizeof(T) == 4 ? WT_F32 : WT_F64; }
template <class T> constexpr wt_dtype complexDtype() { return sizeof(T) == 4 ? WT_C64 : WT_C128; }
template <class T> wt::cpu::LaneKernels<T> baselineKernels();
template <> wt::cpu::LaneKernels<float> baselineKernels<float>() { return wt::cpu::sse4KernelsF32(); }
template <> wt::cpu::LaneKernels<double> baselineKernels<double>() { return wt::cpu::sse4KernelsF64(); }

// Inputs are float-representable so one long-double reference serves float32 and float64.
struct Case {
  int64_t n, rows;
  std::vector<cplx<LD>> complexIn, realIn, halfIn;  // realIn: im 0; halfIn: [rows][n/2+1]
  std::vector<LD> refForward, refInverse, refReal, refHalfInverse, refRealIn;
};

Case makeCase(int64_t n, int64_t rows, std::mt19937_64& rng) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  Case c{n, rows, {}, {}, {}, {}, {}, {}, {}, {}};
  const int64_t bins = n / 2 + 1;
  for (int64_t i = 0; i < rows * n; ++i) c.complexIn.push_back({(LD)u(rng), (LD)u(rng)});
  for (int64_t i = 0; i < rows * n; ++i) c.realIn.push_back({(LD)u(rng), 0});
  for (int64_t i = 0; i < rows * bins; ++i) c.halfIn.push_back({(LD)u(rng), (LD)u(rng)});
  c.refForward = flatten(naiveDft(c.complexIn, rows, n, -1, 1));
  c.refInverse = flatten(naiveDft(c.complexIn, rows, n, +1, 1.0L / n));
  c.refReal = flatten(naiveDft(c.realIn, rows, n, -1, 1));
  // irfft's reference: the Hermitian extension of halfIn with the ignored imaginary parts dropped.
  std::vector<cplx<LD>> full(rows * n);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k < n; ++k) {
      const int64_t src = k < bins ? k : n - k;
      cplx<LD> v = c.halfIn[r * bins + src];
      if (src == 0 || 2 * src == n) v.im = 0;
      full[r * n + k] = k < bins ? v : cplx<LD>{v.re, -v.im};
    }
  c.refHalfInverse = flatten(naiveDft(full, rows, n, +1, 1.0L / n));
  for (const auto& v : c.realIn) c.refRealIn.push_back(v.re);
  return c;
}

struct Errors {
  double forward = 0, inverse = 0, real = 0, realInverse = 0, roundTrip = 0;
  double max() const { return std::max({forward, inverse, real, realInverse, roundTrip}); }
};

// Runs every transform of a case through the public entry points (dispatched ISA, thread pool)
// and through the baseline SSE4 kernels directly; returns the worst error of each kind.
template <class T>
Errors measure(const Case& c) {
  const int64_t n = c.n, rows = c.rows, bins = n / 2 + 1;
  std::vector<T> cin, rin, hin;
  for (const auto& v : c.complexIn) cin.insert(cin.end(), {(T)v.re, (T)v.im});
  for (const auto& v : c.realIn) rin.push_back((T)v.re);
  for (const auto& v : c.halfIn) hin.insert(hin.end(), {(T)v.re, (T)v.im});
  std::vector<T> cout(2 * rows * n), rout(2 * rows * bins), hout(rows * n), trip(rows * n);
  auto* cinC = reinterpret_cast<cplx<T>*>(cin.data());
  auto* coutC = reinterpret_cast<cplx<T>*>(cout.data());
  auto* routC = reinterpret_cast<cplx<T>*>(rout.data());
  auto* hinC = reinterpret_cast<cplx<T>*>(hin.data());
  const wt_dtype rd = realDtype<T>(), cd = complexDtype<T>();
  Errors e;
  for (int path = 0; path < 2; ++path) {
    const auto cplan = wt::cpu::complexPlan<T>(n);
    const auto rplan = wt::cpu::realPlan<T>(n);
    const wt::cpu::LaneKernels<T> base = baselineKernels<T>();
    auto complexFft = [&](int sign, T scale) {
      if (path == 0) {
        const wt_op op = fftOp(WT_OP_FFT, matrix(cin.data(), cd, rows, n), matrix(cout.data(), cd, rows, n), n, sign, scale);
        wt::cpu::fft(op, op.params.fft);
      } else {
        base.complexRows(*cplan, cinC, coutC, 0, rows, sign > 0, scale);
      }
    };
    auto realFft = [&](T* in, T scale) {
      if (path == 0) {
        const wt_op op = fftOp(WT_OP_RFFT, matrix(in, rd, rows, n), matrix(rout.data(), cd, rows, bins), n, 0, scale);
        wt::cpu::rfft(op, op.params.rfft);
      } else {
        base.realForwardRows(*rplan, in, routC, 0, rows, scale);
      }
    };
    auto realIfft = [&](cplx<T>* in, T* out, T scale) {
      if (path == 0) {
        const wt_op op = fftOp(WT_OP_IRFFT, matrix(in, cd, rows, bins), matrix(out, rd, rows, n), n, 0, scale);
        wt::cpu::irfft(op, op.params.irfft);
      } else {
        base.realInverseRows(*rplan, in, out, 0, rows, scale);
      }
    };
    complexFft(-1, 1);
    e.forward = std::max(e.forward, maxRelRms(cout.data(), 2 * n, c.refForward, 2 * n, rows, 2 * n));
    complexFft(+1, T(1) / n);
    e.inverse = std::max(e.inverse, maxRelRms(cout.data(), 2 * n, c.refInverse, 2 * n, rows, 2 * n));
    realFft(rin.data(), 1);
    e.real = std::max(e.real, maxRelRms(rout.data(), 2 * bins, c.refReal, 2 * n, rows, 2 * bins));
    realIfft(hinC, hout.data(), T(1) / n);
    std::vector<LD> refRe;
    for (int64_t i = 0; i < rows * n; ++i) refRe.push_back(c.refHalfInverse[2 * i]);
    e.realInverse = std::max(e.realInverse, maxRelRms(hout.data(), n, refRe, n, rows, n));
    realIfft(routC, trip.data(), T(1) / n);
    e.roundTrip = std::max(e.roundTrip, maxRelRms(trip.data(), n, c.refRealIn, n, rows, n));
  }
  return e;
}

bool accuracy() {
  std::vector<int64_t> lengths = {1, 2, 3, 5, 7, 8, 12, 15, 16, 17, 97, 100, 127, 128, 243, 256, 625,
                                  1000, 1024, 2048, 2310, 4096, 4099, 8192, 65536};
  std::mt19937_64 rng(20261123);
  std::uniform_int_distribution<int64_t> randomLength(2, 3000);
  for (int i = 0; i < 6; ++i) lengths.push_back(randomLength(rng));
  std::printf("%8s %6s | %10s %10s | %10s %10s | worst kind (fwd inv rfft irfft trip)\n", "n", "rows",
              "f32 relRMS", "f32 tol", "f64 relRMS", "f64 tol");
  bool ok = true;
  for (int64_t n : lengths) {
    const int64_t rows = n <= 4099 ? 11 : 1;  // 11 rows: a full pack plus a partial one
    const Case c = makeCase(n, rows, rng);
    const Errors e32 = measure<float>(c), e64 = measure<double>(c);
    const double lg = std::log2((double)n);
    const double tol32 = 2e-7 * lg + 1e-7, tol64 = 5e-16 * lg + 5e-16;
    const bool pass = e32.max() <= tol32 && e64.max() <= tol64;
    ok = ok && pass;
    std::printf("%8lld %6lld | %10.2e %10.2e | %10.2e %10.2e | %s  f32 %.1e %.1e %.1e %.1e %.1e\n", (long long)n,
                (long long)rows, e32.max(), tol32, e64.max(), tol64, pass ? "ok  " : "FAIL", e32.forward, e32.inverse,
                e32.real, e32.realInverse, e32.roundTrip);
    if (!pass)
      std::printf("         f64 %.1e %.1e %.1e %.1e %.1e\n", e64.forward, e64.inverse, e64.real, e64.realInverse,
                  e64.roundTrip);
  }
  return ok;
}

// ---- speed: float32 rfft, GFLOP/s by 2.5 n log2 n per row ----

double medianSeconds(const std::function<void()>& run, int reps) {
  run();  // warm-up: plans, scratch, page faults
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto a = std::chrono::steady_clock::now();
    run();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

void speed() {
  const struct { int64_t rows, n; } shapes[] = {{16384, 256}, {4096, 1024}, {1024, 4096}, {64, 65536},
                                                {256, 4099}, {1024, 2310}, {1024, 1680}};
  std::printf("%14s | %9s %9s | %9s %9s | GFLOP/s, float32 rfft, median of 15\n", "rows x n", "ours 1t", "ours 2t",
              "fftw 1t", "fftw 2t");
  for (const auto& s : shapes) {
    const int64_t n = s.n, rows = s.rows, bins = n / 2 + 1;
    std::vector<float> in(rows * n), out(2 * rows * bins);
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(-1, 1);
    for (float& v : in) v = u(rng);
    const double flops = 2.5 * n * std::log2((double)n) * rows;
    double ours[2], fftw[2] = {0, 0};
    for (int threads = 1; threads <= 2; ++threads) {
      wt::cpu::setNumThreads(threads);
      const wt_op op = fftOp(WT_OP_RFFT, matrix(in.data(), WT_F32, rows, n), matrix(out.data(), WT_C64, rows, bins), n, 0, 1);
      ours[threads - 1] = flops / medianSeconds([&] { wt::cpu::rfft(op, op.params.rfft); }, 15) * 1e-9;
#ifdef WT_WITH_FFTW
      fftwf_plan_with_nthreads(threads);
      int len = (int)n;
      std::vector<float> scratch(in);  // FFTW_MEASURE overwrites its arrays while planning
      fftwf_plan p = fftwf_plan_many_dft_r2c(1, &len, (int)rows, scratch.data(), nullptr, 1, (int)n,
                                             reinterpret_cast<fftwf_complex*>(out.data()), nullptr, 1, (int)bins,
                                             FFTW_MEASURE);
      fftw[threads - 1] = flops / medianSeconds([&] { fftwf_execute_dft_r2c(p, in.data(), reinterpret_cast<fftwf_complex*>(out.data())); }, 15) * 1e-9;
      fftwf_destroy_plan(p);
#endif
    }
    std::printf("%6lld x %5lld | %9.2f %9.2f | %9.2f %9.2f | ours/fftw 1t %.2f\n", (long long)rows, (long long)n,
                ours[0], ours[1], fftw[0], fftw[1], fftw[0] > 0 ? ours[0] / fftw[0] : 0.0);
  }
  wt::cpu::setNumThreads(2);
}

}  // namespace

int main(int argc, char** argv) {
#ifdef WT_WITH_FFTW
  fftwf_init_threads();
#endif
  bool runAccuracy = argc < 2, runSpeed = argc < 2;
  for (int i = 1; i < argc; ++i) {
    runAccuracy = runAccuracy || std::strcmp(argv[i], "accuracy") == 0;
    runSpeed = runSpeed || std::strcmp(argv[i], "speed") == 0;
  }
  bool ok = true;
  try {
    if (runAccuracy) ok = accuracy();
    if (runSpeed) speed();
  } catch (const wt::Error& e) {
    std::printf("wt::Error %d: %s\n", (int)e.code(), e.what());
    return 2;
  }
  std::printf(ok ? "all accuracy checks passed\n" : "ACCURACY FAILURES\n");
  return ok ? 0 : 1;
}
