/**
 * Live tensor and byte counts per device, for this environment and for the whole process, so
 * leaks are testable; and the release of the allocators' idle caches.
 */
import { native, DeviceMemory } from './native';

/** Live tensors and bytes over all devices, and per device. */
export interface MemoryUsage {
  /** Live tensors (handles not yet disposed) over all devices. */
  tensors: number;
  /** Bytes of live storage over all devices (a storage shared by several views counts once). */
  bytes: number;
  /**
   * Per device. `cachedBytes` is memory the device's allocator keeps idle for reuse; the
   * allocators are shared by the whole process, so it is the same in {@link MemoryInfo.process}.
   */
  byDevice: Record<string, { tensors: number; bytes: number; cachedBytes: number }>;
}

/**
 * What {@link memory} reports. The top-level counts are this environment's (the main thread, or
 * the worker that calls it): the tensors its handles keep alive. `process` adds up every
 * environment — other workers' tensors and the temporaries still held by queued work.
 */
export interface MemoryInfo extends MemoryUsage {
  /** Every environment of the process together. */
  process: MemoryUsage;
}

function usage(byDevice: Record<string, DeviceMemory>): MemoryUsage {
  let tensors = 0;
  let bytes = 0;
  for (const d of Object.values(byDevice)) {
    tensors += d.tensors;
    bytes += d.bytes;
  }
  return { tensors, bytes, byDevice };
}

/**
 * Live tensors and bytes of this environment, in total and per device, with the process-wide
 * totals in `process`.
 *
 * @example
 * const before = wt.memory().tensors;
 * // ... work ...
 * console.assert(wt.memory().tensors === before, 'leaked tensors');
 */
export function memory(): MemoryInfo {
  const m = native.memory();
  return { ...usage(m.byDevice), process: usage(m.process) };
}

/**
 * Frees the idle blocks every device's allocator keeps for reuse (the CPU block cache, the GPU
 * caching allocator), so `cachedBytes` drops to 0. Live tensors are untouched; later allocations
 * just start cold. The CPU cache is also trimmed when a worker's environment is torn down.
 */
export function releaseCache(): void {
  native.releaseCache();
}
