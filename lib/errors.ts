/**
 * The error type every wavetape failure throws, with a stable machine-readable code.
 */

/** Every stable error code: shapes, dtypes, values out of range, devices, memory, disposed
 * tensors, CUDA runtime failures, and internal errors (a bug: please report it). */
export const ERROR_CODES = ['E_SHAPE', 'E_DTYPE', 'E_RANGE', 'E_DEVICE', 'E_OOM', 'E_DISPOSED', 'E_CUDA', 'E_INTERNAL'] as const;

/** Stable error codes; match on `err.code`, never on the message. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Thrown (or used to reject a promise) for bad arguments and runtime failures. The message names
 * the op, the argument and what was expected.
 *
 * @example
 * try { wt.add(a, b); } catch (e) { if (e instanceof wt.WavetapeError && e.code === 'E_SHAPE') ... }
 */
export class WavetapeError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;
  constructor(message: string, code: ErrorCode) {
    super(message);
    this.name = 'WavetapeError';
    this.code = code;
  }
}

/** Throws a WavetapeError; for checks made in the facade before calling native code. */
export function fail(code: ErrorCode, message: string): never {
  throw new WavetapeError(message, code);
}
