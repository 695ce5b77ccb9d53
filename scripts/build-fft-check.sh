#!/bin/sh
# Builds test/native/fft_check into build-cmake/Release/: the CPU FFT kernels' accuracy against a
# long-double DFT, and their speed against FFTW, which is linked only when it is installed.
set -eu
cd "$(dirname "$0")/.."
CXX=${CXX:-g++}
out=build-cmake/Release
mkdir -p "$out"
fftw=""
if printf '#include <fftw3.h>\nint main() { return fftwf_init_threads() ? 0 : 1; }\n' |
  "$CXX" -x c++ - -o /dev/null -lfftw3f_threads -lfftw3f -lfftw3 2>/dev/null; then
  fftw="-DWT_WITH_FFTW -lfftw3f_threads -lfftw3f -lfftw3"
  echo "build-fft-check: FFTW found; 'fft_check speed' compares against it"
else
  echo "build-fft-check: FFTW not found (fftw3.h, libfftw3f_threads); 'fft_check speed' times wavetape alone"
fi
# shellcheck disable=SC2086 # $fftw is a list of flags
"$CXX" -O3 -march=x86-64-v2 -std=c++17 -Wall -Wextra -Inative test/native/fft_check.cpp native/cpu/fft_*.cpp \
  native/cpu/thread_pool.cpp -lpthread $fftw -o "$out/fft_check"
echo "built $out/fft_check (usage: $out/fft_check [accuracy] [speed])"
