/**
 * Live tensor and byte counts per device, so leaks are testable.
 */
import { native } from './native';

/** What {@link memory} reports. */
export interface MemoryInfo {
  /** Live tensors (handles not yet disposed) over all devices. */
  tensors: number;
  /** Bytes of live storage over all devices. */
  bytes: number;
  /** Per device; `cachedBytes` is memory a device's allocator keeps for reuse. */
  byDevice: Record<string, { tensors: number; bytes: number; cachedBytes: number }>;
}

/** Live tensors and bytes, in total and per device. */
export function memory(): MemoryInfo {
  const byDevice = native.memory();
  let tensors = 0;
  let bytes = 0;
  for (const d of Object.values(byDevice)) {
    tensors += d.tensors;
    bytes += d.bytes;
  }
  return { tensors, bytes, byDevice };
}
