/**
 * Devices: which exist, which one new tensors go to, and the backends behind them.
 */
import { native, BackendInfo } from './native';
import { fail } from './errors';
import { deviceArg, intArg, describe } from './validate';

/** Names of the available devices: `cpu`, then `cuda:N` per GPU, then `simt` when loaded. */
export function devices(): string[] {
  return native.devices();
}

/** Every backend the addon knows, whether it loaded, and why not. */
export function backends(): BackendInfo[] {
  return native.backends();
}

function initialDevice(): string {
  const all = native.devices();
  const env = process.env.WAVETAPE_DEVICE;
  if (env) {
    if (!all.includes(env)) fail('E_DEVICE', `WAVETAPE_DEVICE='${env}' is not an available device; available: ${all.join(', ')}`);
    return env;
  }
  return all.find((d) => d.startsWith('cuda:')) ?? 'cpu';
}

let current = initialDevice();

/** The device new tensors are created on unless an op says otherwise. */
export function getDevice(): string {
  return current;
}

/** Sets the default device for new tensors. */
export function setDevice(device: string): void {
  deviceArg('setDevice', 'device', device);
  const all = native.devices();
  if (!all.includes(device)) fail('E_DEVICE', `setDevice: argument 'device' is ${describe(device)}, not an available device; available: ${all.join(', ')}`);
  current = device;
}

/** Threads the CPU backend uses (default: WAVETAPE_NUM_THREADS, else the number of cores). */
export function numThreads(): number {
  return native.numThreads();
}

/** Sets the CPU backend's thread count (1..256). */
export function setNumThreads(n: number): void {
  native.setNumThreads(intArg('setNumThreads', 'n', n, 1, 256));
}

/** Blocks until every queued op of this environment has run. */
export function sync(): void {
  native.sync();
}
