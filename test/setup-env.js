// Every test run loads the SIMT emulator plugin, so the device-parametrised suites also run the
// CUDA kernels on `simt`.
process.env.WAVETAPE_SIMT = process.env.WAVETAPE_SIMT ?? '1';
