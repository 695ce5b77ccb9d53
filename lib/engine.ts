/**
 * Tensor lifetime: tidy() scopes (as in tfjs), keep(), and the garbage-collection finalizer
 * that frees a tensor nobody disposed. Tensors created inside a scope are freed by the scope, so
 * they only meet the (comparatively costly) finalizer if they escape every scope.
 */
import { native, Handle } from './native';
import { fail } from './errors';

/** The part of a Tensor the engine manages. */
export interface Owned {
  /** @internal */ handle: Handle;
  /** @internal */ kept: boolean;
  readonly isDisposed: boolean;
  dispose(): void;
}

const scopes: Owned[][] = [];
const finalizer = new FinalizationRegistry<Handle>((h) => native.dispose(h));

/** Called for every new tensor. */
export function track(t: Owned): void {
  if (scopes.length > 0) scopes[scopes.length - 1].push(t);
  else finalizer.register(t, t.handle, t);
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
  return typeof (v as Owned).handle === 'number' && typeof (v as Owned).dispose === 'function';
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (in arrays, plain
 * objects or Maps, to any depth) and those passed to {@link keep}.
 *
 * @example
 * const loss = wt.tidy(() => wt.mean(wt.square(wt.sub(pred, target))));
 */
export function tidy<T>(fn: () => T): T {
  const scope: Owned[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) if (!t.kept) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) if (!t.kept) t.dispose();
    fail('E_RANGE', 'tidy: the function returned a Promise; tidy scopes are synchronous (await outside tidy)');
  }
  const returned = new Set<Owned>();
  collect(result, returned, new Set());
  for (const t of scope) if (!t.kept && !returned.has(t)) t.dispose();
  for (const t of returned) if (!t.kept && !t.isDisposed && scope.includes(t)) track(t);
  return result;
}

/** Exempts a tensor from disposal by the enclosing tidy() scopes. Returns it. */
export function keep<T extends Owned>(t: T): T {
  if (!t.kept) {
    t.kept = true;
    finalizer.register(t, t.handle, t);
  }
  return t;
}
