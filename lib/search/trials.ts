/**
 * Running search trials: in this thread (a function, or a module export loaded here) or on a
 * pool of worker_threads, each loading the trial from a module path and an export name.
 * Internal: not part of the public API (the package index does not export it).
 */
import { Worker } from 'worker_threads';
import * as path from 'path';
import { fail, WavetapeError } from '../errors';
import { describe, expected, isPlainObject } from '../validate';
import { Config } from './space';

/** What a trial is told besides its configuration and budget. */
export interface TrialContext {
  /** The configuration's id in the search (stable across resumed runs). */
  id: string;
  /** A seed derived from the search's seed and the id: seed the trial's own randomness with it. */
  seed: number;
}

/** What a trial returns: the held-out loss (lower is better), or an object holding it and more. */
export type TrialResult = number | { loss: number; [key: string]: unknown };

/** A trial run in this thread: trains `config` for `budget` units and returns the held-out loss. */
export type TrialFunction = (config: Config, budget: number, context: TrialContext) => TrialResult | Promise<TrialResult>;

/** A trial a worker can load: `require(module)[exportName]` (default export `default`, or the module itself when it is a function). */
export interface TrialModule {
  /** Path of a CommonJS/compiled module (resolved against the current directory). */
  module: string;
  /** The export holding the trial function (default: `default`, else the module itself). */
  export?: string;
}

/** One evaluation to run. */
export interface TrialJob {
  id: string;
  config: Config;
  budget: number;
  seed: number;
}

/** A finished evaluation: the loss (NaN reads as +Infinity: a diverged run ranks last) and anything else returned. */
export interface TrialOutcome {
  loss: number;
  info?: Record<string, unknown>;
}

/** Runs jobs, at most `concurrency` at once. */
export interface TrialRunner {
  concurrency: number;
  run(job: TrialJob): Promise<TrialOutcome>;
  close(): Promise<void>;
}

/** The trial argument as a function or a module reference (validated). */
export function trialArg(op: string, v: unknown): TrialFunction | TrialModule {
  if (typeof v === 'function') return v as TrialFunction;
  if (isPlainObject(v) && typeof v.module === 'string' && v.module.length > 0 && (v.export === undefined || typeof v.export === 'string'))
    return { module: path.resolve(v.module), export: v.export as string | undefined };
  return expected('E_DTYPE', op, 'trial', 'a trial function, or {module, export} naming one for workers', v);
}

export function outcomeOf(op: string, id: string, r: unknown): TrialOutcome {
  // Any object with a numeric loss: results posted by a worker may come from another realm.
  const loss = typeof r === 'number' ? r : typeof r === 'object' && r !== null && typeof (r as { loss?: unknown }).loss === 'number' ? (r as { loss: number }).loss : undefined;
  if (loss === undefined) fail('E_RANGE', `${op}: trial '${id}' returned ${describe(r)}; expected a loss (a number) or {loss, ...}`);
  const info = typeof r === 'number' ? undefined : Object.fromEntries(Object.entries(r as object).filter(([k]) => k !== 'loss'));
  return { loss: Number.isNaN(loss) ? Infinity : loss, info };
}

function loadExport(op: string, ref: TrialModule): TrialFunction {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    mod = require(ref.module);
  } catch (e) {
    return fail('E_RANGE', `${op}: cannot load the trial module ${ref.module}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const f = ref.export !== undefined ? mod[ref.export] : typeof mod === 'function' ? mod : mod.default;
  if (typeof f !== 'function') fail('E_RANGE', `${op}: the trial module ${ref.module} has no function export '${ref.export ?? 'default'}'`);
  return f as TrialFunction;
}

/** Trials in this thread, one at a time. */
export function inlineRunner(op: string, trial: TrialFunction | TrialModule): TrialRunner {
  const fn = typeof trial === 'function' ? trial : loadExport(op, trial);
  return {
    concurrency: 1,
    run: async (job) => outcomeOf(op, job.id, await fn(job.config, job.budget, { id: job.id, seed: job.seed })),
    close: async () => undefined,
  };
}

// The worker's whole program: load the preloads and the trial, then answer jobs until closed.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
let fn;
let loadError;
try {
  for (const m of workerData.preload) require(m);
  const mod = require(workerData.module);
  fn = workerData.exportName !== undefined ? mod[workerData.exportName] : typeof mod === 'function' ? mod : mod.default;
  if (typeof fn !== 'function') throw new Error("no function export '" + (workerData.exportName || 'default') + "'");
} catch (e) {
  loadError = String(e && e.message || e);
}
parentPort.on('message', async (job) => {
  if (loadError !== undefined) return parentPort.postMessage({ id: job.id, loadError });
  try {
    const result = await fn(job.config, job.budget, { id: job.id, seed: job.seed });
    parentPort.postMessage({ id: job.id, result });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String(e && e.stack || e) });
  }
});
`;

/** A pool of `count` workers, each running jobs one at a time from a shared queue. */
export function workerRunner(op: string, ref: TrialModule, count: number, preload: string[]): TrialRunner {
  interface Slot { worker: Worker; busy: boolean; dead?: string; resolve?: (o: TrialOutcome) => void; reject?: (e: unknown) => void }
  const slots: Slot[] = [];
  const queue: { job: TrialJob; resolve: (o: TrialOutcome) => void; reject: (e: unknown) => void }[] = [];
  const dispatch = () => {
    for (const slot of slots) {
      if (slot.busy || queue.length === 0) continue;
      const next = queue.shift()!;
      if (slot.dead !== undefined) {
        next.reject(new WavetapeError(`${op}: a trial worker stopped: ${slot.dead}`, 'E_RANGE'));
        continue;
      }
      slot.busy = true;
      slot.resolve = next.resolve;
      slot.reject = next.reject;
      slot.worker.postMessage(next.job);
    }
  };
  for (let i = 0; i < count; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: ref.module, exportName: ref.export, preload } });
    const slot: Slot = { worker, busy: false };
    worker.on('message', (m: { loadError?: string; id?: string; result?: unknown; error?: string }) => {
      const { resolve, reject } = slot;
      slot.busy = false;
      slot.resolve = slot.reject = undefined;
      try {
        if (m.loadError !== undefined) reject!(new WavetapeError(`${op}: a worker could not load the trial ${ref.module}: ${m.loadError}`, 'E_RANGE'));
        else if (m.error !== undefined) reject!(new Error(`${op}: trial '${m.id}' failed in a worker: ${m.error}`));
        else resolve!(outcomeOf(op, m.id!, m.result));
      } catch (e) {
        reject!(e);
      }
      dispatch();
    });
    worker.on('error', (e) => {
      slot.dead = e instanceof Error ? e.message : String(e);
      if (slot.reject) slot.reject(new WavetapeError(`${op}: a trial worker stopped: ${slot.dead}`, 'E_RANGE'));
      slot.busy = false;
      slot.resolve = slot.reject = undefined;
      dispatch();
    });
    slots.push(slot);
  }
  return {
    concurrency: count,
    run: (job) => new Promise((resolve, reject) => {
      queue.push({ job, resolve, reject });
      dispatch();
    }),
    close: async () => {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
