// <cuda_runtime.h> for .cu files compiled by the SIMT emulator: the runtime API subset wavetape uses
// is declared by cuda_shim.h (force-included before every file), so this header only pulls it in.
#pragma once
#include "../cuda_shim.h"
