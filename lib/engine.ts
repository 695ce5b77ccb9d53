/**
 * Tensor lifetime: tidy() scopes (as in tfjs), keep(), the scope every public op runs in (so its
 * intermediates are freed by the op itself), and the garbage-collection finalizer that frees a
 * tensor nobody disposed. Tensors created inside a scope are freed by the scope, so they only
 * meet the (comparatively costly) finalizer if they escape every scope.
 */
import { native, Handle } from './native';
import { fail, WavetapeError } from './errors';
import { fnArg, describe, syncResult } from './validate';

/**
 * The native handle of a tensor, in a cell of its own: the finalizer holds the cell (never the
 * tensor), so it frees whatever handle the tensor holds when collected, also after
 * Variable.assign replaced it, and releases the tape node recorded on it.
 */
export interface HandleCell {
  handle: Handle;
  /** The tape node recorded on the tensor, released with it (its saved tensors are aliases). */
  node: { release(): void } | null;
}

/** The part of a Tensor the engine manages. */
export interface Owned {
  /** @internal */ readonly cell: HandleCell;
  /** @internal */ kept: boolean;
  readonly isDisposed: boolean;
  dispose(): void;
}

const scopes: Owned[][] = [];
const finalizer = new FinalizationRegistry<HandleCell>((cell) => {
  native.dispose(cell.handle);
  if (cell.node !== null) cell.node.release();
});

/** Called for every new tensor. */
export function track(t: Owned): void {
  if (scopes.length > 0) scopes[scopes.length - 1].push(t);
  else finalizer.register(t, t.cell, t);
}

/** Called by dispose(). */
export function untrack(t: Owned): void {
  finalizer.unregister(t);
}

function collect(value: unknown, out: Set<Owned>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (isOwned(value)) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collect(v, out, seen);
  else if (value instanceof Map) for (const v of value.values()) collect(v, out, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, out, seen);
}

function isOwned(v: object): v is Owned {
  const cell = (v as Partial<Owned>).cell;
  return typeof cell === 'object' && cell !== null && typeof (v as Owned).dispose === 'function';
}

/** Closes the innermost scope: disposes what it created except `result`'s tensors, which move out. */
function closeScope(scope: Owned[], result: unknown): void {
  scopes.pop();
  // The common case, one tensor out: no Sets to build (this runs once per public op).
  if (result !== null && typeof result === 'object' && isOwned(result)) {
    for (const t of scope) if (t !== result && !t.kept) t.dispose();
    if (!result.kept && !result.isDisposed && scope.includes(result)) track(result);
    return;
  }
  const returned = new Set<Owned>();
  collect(result, returned, new Set());
  for (const t of scope) if (!t.kept && !returned.has(t)) t.dispose();
  if (returned.size === 0) return;
  const created = new Set(scope);
  for (const t of returned) if (!t.kept && !t.isDisposed && created.has(t)) track(t);
}

function abandonScope(scope: Owned[]): void {
  scopes.pop();
  for (const t of scope) if (!t.kept) t.dispose();
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (in arrays, plain
 * objects or Maps, to any depth) and those passed to {@link keep}.
 *
 * Scopes are synchronous: an `async` function (or one returning a Promise) is refused with
 * E_RANGE after its tensors are disposed; the Promise's own rejection is handled, so it never
 * surfaces as an unhandled rejection. Await outside tidy and tidy each synchronous step.
 *
 * @example
 * const loss = wt.tidy(() => wt.mean(wt.square(wt.sub(pred, target))));
 */
export function tidy<T>(fn: () => T): T {
  fnArg('tidy', 'fn', fn);
  const scope: Owned[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    abandonScope(scope);
    throw e;
  }
  if (syncResult(result) instanceof Promise) {
    abandonScope(scope);
    fail('E_RANGE', 'tidy: the function returned a Promise; tidy scopes are synchronous (await outside tidy)');
  }
  closeScope(scope, result);
  return result;
}

/** Exempts a tensor from disposal by the enclosing tidy() scopes. Returns it. */
export function keep<T extends Owned>(t: T): T {
  if (t === null || typeof t !== 'object' || !isOwned(t)) fail('E_DTYPE', `keep: argument 't' must be a Tensor; got ${describe(t)}`);
  if (t.isDisposed) fail('E_DISPOSED', "keep: argument 't' is a disposed tensor");
  if (!t.kept) {
    t.kept = true;
    finalizer.register(t, t.cell, t);
  }
  return t;
}

/** Public ops in progress: errors are renamed for the outermost one only. */
let opDepth = 0;

/**
 * Makes `fn` a public op named `name`: it runs in a scope of its own, so every intermediate it
 * creates (a scalar for a number operand, the parts of a composite op) is disposed by the time
 * it returns or throws, and its errors name `name` — the function the user called — rather than
 * the internal entry that found the problem. A non-WavetapeError escaping an op is a wavetape
 * bug and is reported as E_INTERNAL.
 * @internal
 */
export function publicOp<F extends (...args: any[]) => any>(name: string, fn: F): F {
  const op = function (this: unknown, ...args: unknown[]) {
    const scope: Owned[] = [];
    scopes.push(scope);
    opDepth++;
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (e) {
      abandonScope(scope);
      throw opDepth === 1 ? asPublicError(e, name) : e;
    } finally {
      opDepth--;
    }
    closeScope(scope, result);
    return result;
  };
  Object.defineProperty(op, 'name', { value: name });
  Object.defineProperty(op, 'length', { value: fn.length });
  return op as unknown as F;
}

function asPublicError(e: unknown, name: string): unknown {
  if (e instanceof WavetapeError) {
    const m = /^([A-Za-z_][\w.]*): /.exec(e.message);
    if (m === null) e.message = `${name}: ${e.message}`;
    else if (m[1] !== name) e.message = `${name}: ${e.message.slice(m[0].length)}`;
    return e;
  }
  const inner = e instanceof Error ? `${e.name}: ${e.message}` : describe(e);
  const err = new WavetapeError(`${name}: internal error (${inner}); this is a bug in wavetape, please report it`, 'E_INTERNAL');
  (err as Error & { cause?: unknown }).cause = e;
  return err;
}
