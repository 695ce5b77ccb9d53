/**
 * Successive halving and Hyperband (Li et al. 2018) over a typed search space: paper A's coarse
 * screening of categorical branches on cheap runs. Seeded, resumable from a JSON log, with trials
 * in this thread or on worker_threads; plus an early-stopping tracker for held-out losses.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { publicOp } from '../engine';
import { fail } from '../errors';
import { describe, expected, finiteArg, intArg, isPlainObject, optionsArg } from '../validate';
import { mulberry32 } from '../host_random';
import { Config, Space, checkSpace, drawConfig } from './space';
import { TrialFunction, TrialModule, TrialRunner, trialArg, inlineRunner, workerRunner } from './trials';

/** Options shared by {@link successiveHalving} and {@link hyperband}. */
export interface SearchOptions {
  /** The space to sample configurations from. */
  space: Space;
  /**
   * The trial: a function (run in this thread) or `{module, export}` naming one that worker
   * threads load. It gets (config, budget, {id, seed}) and returns the held-out loss (lower is
   * better; NaN ranks last), or `{loss, ...}` whose other fields are kept in the log.
   */
  trial: TrialFunction | TrialModule;
  /** The largest budget (epochs, steps, samples…) a trial gets (default 27). */
  maxBudget?: number;
  /** The smallest budget (default 1; 0 < minBudget ≤ maxBudget). */
  minBudget?: number;
  /** The halving rate η ≥ 2: each rung keeps the best 1/η (default 3). */
  eta?: number;
  /** Seed of the sampled configurations and of each trial's derived seed (default 0). */
  seed?: number;
  /** A JSON log: each finished evaluation is written to it, and a rerun with the same settings reuses them. */
  log?: string;
  /** Worker threads (default 0: in this thread). > 0 needs a `{module, export}` trial. */
  workers?: number;
  /** Modules each worker requires before the trial module (e.g. a TypeScript loader). */
  preload?: string[];
}

/** Options of {@link successiveHalving}. */
export interface SuccessiveHalvingOptions extends SearchOptions {
  /** Configurations sampled for the first rung (default η^rungs, enough to halve down to one). */
  configs?: number;
}

/** One evaluation of one configuration at one budget. */
export interface Evaluation {
  id: string;
  config: Config;
  budget: number;
  loss: number;
  info?: Record<string, unknown>;
  /** True when it was read from the log instead of run. */
  resumed: boolean;
}

/** One rung of a halving bracket: the budget and the configurations run at it, best first. */
export interface Rung {
  budget: number;
  ids: string[];
}

/** The outcome of a search. */
export interface SearchResult {
  /** The configuration with the lowest loss at the highest budget it reached (ties: earlier id). */
  best: Evaluation;
  /** Every evaluation, in the order they were scheduled. */
  evaluations: Evaluation[];
  /** Rungs per bracket (successive halving: one bracket). */
  brackets: Rung[][];
}

interface Plan {
  op: string;
  space: Space;
  trial: TrialFunction | TrialModule;
  minBudget: number;
  maxBudget: number;
  eta: number;
  seed: number;
  log?: string;
  workers: number;
  preload: string[];
}

const SEARCH_KEYS = ['space', 'trial', 'maxBudget', 'minBudget', 'eta', 'seed', 'log', 'workers', 'preload'] as const;

function plan(op: string, opts: unknown, extra: readonly string[]): { p: Plan; o: Record<string, unknown> } {
  if (!isPlainObject(opts)) expected('E_RANGE', op, 'options', `an options object {space, trial, ...}`, opts);
  const o = optionsArg(op, 1, opts, [...SEARCH_KEYS, ...extra]) as Record<string, unknown>;
  if (o.space === undefined) fail('E_RANGE', `${op}: option 'space' is required`);
  const space = checkSpace(op, 'space', o.space);
  if (o.trial === undefined) fail('E_DTYPE', `${op}: option 'trial' is required`);
  const trial = trialArg(op, o.trial);
  const positive = (k: string, dflt: number) => {
    const v = o[k] === undefined ? dflt : finiteArg(op, k, o[k]);
    if (!(v > 0)) fail('E_RANGE', `${op}: argument '${k}' = ${v}; expected a budget > 0`);
    return v;
  };
  const maxBudget = positive('maxBudget', 27);
  const minBudget = positive('minBudget', 1);
  if (minBudget > maxBudget) fail('E_RANGE', `${op}: minBudget ${minBudget} exceeds maxBudget ${maxBudget}`);
  const eta = o.eta === undefined ? 3 : finiteArg(op, 'eta', o.eta);
  if (!(eta >= 2)) fail('E_RANGE', `${op}: argument 'eta' = ${eta}; expected a halving rate >= 2`);
  const seed = o.seed === undefined ? 0 : intArg(op, 'seed', o.seed, 0, 2 ** 32 - 1);
  if (o.log !== undefined && (typeof o.log !== 'string' || o.log.length === 0)) expected('E_RANGE', op, 'log', 'a file path', o.log);
  const workers = o.workers === undefined ? 0 : intArg(op, 'workers', o.workers, 0, Math.max(1, os.cpus().length * 4));
  if (workers > 0 && typeof trial === 'function')
    fail('E_DTYPE', `${op}: argument 'trial' is a function, which worker threads cannot load; pass {module, export} or workers: 0`);
  let preload: string[] = [];
  if (o.preload !== undefined) {
    if (!Array.isArray(o.preload) || o.preload.some((m) => typeof m !== 'string'))
      expected('E_RANGE', op, 'preload', 'an array of module paths', o.preload);
    preload = (o.preload as string[]).map((m) => (m.startsWith('.') ? path.resolve(m) : m));
  }
  return { p: { op, space, trial, minBudget, maxBudget, eta, seed, log: o.log as string | undefined, workers, preload }, o };
}

/** Rungs of a bracket: floor(log_η(max/min)) halvings (a tolerance keeps exact powers exact). */
function rungCount(min: number, max: number, eta: number): number {
  return Math.floor(Math.log(max / min) / Math.log(eta) + 1e-9);
}

/** The log file: settings that must match, and the finished evaluations by "id@budget". */
interface LogFile {
  version: 1;
  method: string;
  settings: Record<string, unknown>;
  evaluations: { id: string; budget: number; loss: number | null; config: Config; info?: Record<string, unknown> }[];
}

class SearchLog {
  private readonly done = new Map<string, LogFile['evaluations'][number]>();
  private readonly file: LogFile;
  constructor(private readonly p: Plan, method: string, settings: Record<string, unknown>) {
    this.file = { version: 1, method, settings, evaluations: [] };
    if (p.log === undefined || !fs.existsSync(p.log)) return;
    let parsed: LogFile;
    try {
      parsed = JSON.parse(fs.readFileSync(p.log, 'utf8')) as LogFile;
    } catch (e) {
      return fail('E_RANGE', `${p.op}: the log ${p.log} is not a search log (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!isPlainObject(parsed) || parsed.version !== 1 || !Array.isArray(parsed.evaluations))
      fail('E_RANGE', `${p.op}: the log ${p.log} is not a version-1 search log`);
    if (parsed.method !== method || JSON.stringify(parsed.settings) !== JSON.stringify(settings))
      fail('E_RANGE', `${p.op}: the log ${p.log} was written by a search with other settings (${describe(parsed.settings)}); use another log file`);
    for (const e of parsed.evaluations) this.done.set(`${e.id}@${e.budget}`, e);
    this.file.evaluations = parsed.evaluations;
  }
  lookup(id: string, budget: number, config: Config): Evaluation | undefined {
    const e = this.done.get(`${id}@${budget}`);
    if (e === undefined || JSON.stringify(e.config) !== JSON.stringify(config)) return undefined;
    return { id, config, budget, loss: e.loss === null ? Infinity : e.loss, info: e.info, resumed: true };
  }
  record(e: Evaluation): void {
    if (this.p.log === undefined) return;
    const entry = { id: e.id, budget: e.budget, loss: Number.isFinite(e.loss) ? e.loss : null, config: e.config, info: e.info };
    this.done.set(`${e.id}@${e.budget}`, entry);
    this.file.evaluations.push(entry);
    // Written whole and renamed into place: an interrupted search leaves the last complete log.
    const tmp = `${this.p.log}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.file, null, 1));
    fs.renameSync(tmp, this.p.log);
  }
}

/** A per-configuration seed from the search seed and the id (FNV-1a). */
function trialSeed(seed: number, id: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const byLoss = (a: Evaluation, b: Evaluation, order: Map<string, number>) =>
  a.loss !== b.loss ? (a.loss < b.loss ? -1 : 1) : order.get(a.id)! - order.get(b.id)!;

/** Runs one bracket: the configurations at budget r0·η^i for rungs i = 0..rungs, keeping the best 1/η each time. */
async function runBracket(p: Plan, runner: TrialRunner, log: SearchLog, all: Evaluation[], configs: { id: string; config: Config }[], r0: number, rungs: number): Promise<Rung[]> {
  const order = new Map(configs.map((c, i) => [c.id, i]));
  let alive = configs;
  const out: Rung[] = [];
  for (let i = 0; i <= rungs; i++) {
    const budget = i === rungs ? p.maxBudget : Math.min(p.maxBudget, r0 * p.eta ** i);
    const results = await runAll(p, runner, log, alive, budget);
    all.push(...results);
    const ranked = results.slice().sort((a, b) => byLoss(a, b, order));
    out.push({ budget, ids: ranked.map((e) => e.id) });
    if (i < rungs) {
      const keep = Math.max(1, Math.floor(alive.length / p.eta));
      const survivors = new Set(ranked.slice(0, keep).map((e) => e.id));
      alive = alive.filter((c) => survivors.has(c.id));
    }
  }
  return out;
}

/** Evaluates the configurations at one budget, `runner.concurrency` at a time, in schedule order. */
async function runAll(p: Plan, runner: TrialRunner, log: SearchLog, configs: { id: string; config: Config }[], budget: number): Promise<Evaluation[]> {
  const results: Evaluation[] = new Array(configs.length);
  let next = 0;
  const lane = async () => {
    while (next < configs.length) {
      const k = next++;
      const { id, config } = configs[k];
      const cached = log.lookup(id, budget, config);
      if (cached !== undefined) {
        results[k] = cached;
        continue;
      }
      const outcome = await runner.run({ id, config, budget, seed: trialSeed(p.seed, id) });
      results[k] = { id, config, budget, loss: outcome.loss, info: outcome.info, resumed: false };
      log.record(results[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(runner.concurrency, configs.length) }, lane));
  return results;
}

function runnerFor(p: Plan): TrialRunner {
  return p.workers > 0 ? workerRunner(p.op, p.trial as TrialModule, p.workers, p.preload) : inlineRunner(p.op, p.trial);
}

function bestOf(brackets: Rung[][], all: Evaluation[]): Evaluation {
  // Each bracket's winner is the head of its last rung; across brackets, compare at the top budget.
  const winners = brackets.map((rungs) => {
    const last = rungs[rungs.length - 1];
    return all.find((e) => e.id === last.ids[0] && e.budget === last.budget)!;
  });
  return winners.reduce((a, b) => (b.budget > a.budget || (b.budget === a.budget && b.loss < a.loss) ? b : a));
}

/** Opens the log (so a mismatched one throws here, synchronously), then runs the brackets. */
function search(p: Plan, method: string, settings: Record<string, unknown>, brackets: { configs: { id: string; config: Config }[]; r0: number; rungs: number }[]): Promise<SearchResult> {
  const log = new SearchLog(p, method, settings);
  const runner = runnerFor(p);
  const run = async () => {
    // Start trials after this public op has returned: tensors a trial makes before its first
    // await must not belong to the op's scope (which disposes what it does not return).
    await Promise.resolve();
    const all: Evaluation[] = [];
    const rungs: Rung[][] = [];
    try {
      for (const b of brackets) rungs.push(await runBracket(p, runner, log, all, b.configs, b.r0, b.rungs));
    } finally {
      await runner.close();
    }
    return { best: bestOf(rungs, all), evaluations: all, brackets: rungs };
  };
  return run();
}

/**
 * Successive halving (Jamieson & Talwalkar 2016): `configs` configurations sampled from the
 * space (seeded), each run at minBudget; the best ⌊n/η⌋ go on to η times the budget, and so on
 * for ⌊log_η(maxBudget/minBudget)⌋ halvings, the last rung at maxBudget. Resolves to every
 * evaluation, the rungs and the best configuration. Trial functions run in this thread; a
 * `{module, export}` trial can run on `workers` worker threads.
 *
 * @example
 * const result = await wt.search.successiveHalving({
 *   space: { wavelet: wt.search.choice(['haar', 'db4']), gamma: wt.search.logUniform(0.01, 1) },
 *   trial: (config, budget) => trainAndValidate(config, budget),
 *   minBudget: 1, maxBudget: 9, seed: 1,
 * });
 */
export const successiveHalving = publicOp('successiveHalving', function successiveHalving(opts: SuccessiveHalvingOptions): Promise<SearchResult> {
  const { p, o } = plan('successiveHalving', opts, ['configs']);
  const rungs = rungCount(p.minBudget, p.maxBudget, p.eta);
  const n = o.configs === undefined ? Math.max(1, Math.round(p.eta ** rungs)) : intArg('successiveHalving', 'configs', o.configs, 1, 1 << 16);
  const random = mulberry32(p.seed);
  const configs = Array.from({ length: n }, (_, i) => ({ id: `c${i}`, config: drawConfig(p.space, random) }));
  const settings = { seed: p.seed, configs: n, minBudget: p.minBudget, maxBudget: p.maxBudget, eta: p.eta };
  return search(p, 'successiveHalving', settings, [{ configs, r0: p.minBudget, rungs }]);
});

/**
 * Hyperband (Li et al. 2018): successive halving brackets s = s_max … 0, s_max =
 * ⌊log_η(maxBudget/minBudget)⌋, bracket s starting ⌈(s_max+1)/(s+1)·η^s⌉ fresh configurations at
 * budget maxBudget·η^−s — from many cheap runs to few full ones, hedging how early the
 * configurations can be told apart. Options and result as {@link successiveHalving}; the best
 * is the lowest loss among the brackets' winners at the highest budget.
 */
export const hyperband = publicOp('hyperband', function hyperband(opts: SearchOptions): Promise<SearchResult> {
  const { p } = plan('hyperband', opts, []);
  const sMax = rungCount(p.minBudget, p.maxBudget, p.eta);
  const random = mulberry32(p.seed);
  const brackets = [];
  for (let s = sMax; s >= 0; s--) {
    const n = Math.ceil(((sMax + 1) / (s + 1)) * p.eta ** s);
    if (n > 1 << 16) fail('E_RANGE', `hyperband: bracket ${s} would start ${n} configurations; lower maxBudget/minBudget or raise eta`);
    const configs = Array.from({ length: n }, (_, i) => ({ id: `b${s}c${i}`, config: drawConfig(p.space, random) }));
    brackets.push({ configs, r0: p.maxBudget * p.eta ** -s, rungs: s });
  }
  const settings = { seed: p.seed, minBudget: p.minBudget, maxBudget: p.maxBudget, eta: p.eta };
  return search(p, 'hyperband', settings, brackets);
});

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** Checks without an improvement before stopping (default 5). */
  patience?: number;
  /** An improvement must lower the best loss by more than this (default 0). */
  minDelta?: number;
}

/** The tracker {@link earlyStopping} returns. */
export interface EarlyStopper {
  /** Records a held-out loss; returns true when training should stop (`patience` checks since the best). */
  update(loss: number): boolean;
  /** The lowest loss so far (+Infinity before the first). */
  readonly best: number;
  /** The check (0-based) at which the best loss was seen (−1 before the first). */
  readonly bestStep: number;
  /** Whether it has said stop at least once. */
  readonly stopped: boolean;
}

/**
 * Early stopping on held-out losses (Keras's `EarlyStopping(patience, min_delta)`): stop once
 * `patience` consecutive checks (at least one) failed to beat the best loss by more than `minDelta`. NaN
 * counts as no improvement.
 */
export const earlyStopping = publicOp('earlyStopping', function earlyStopping(opts?: EarlyStoppingOptions): EarlyStopper {
  const o = optionsArg('earlyStopping', 1, opts, ['patience', 'minDelta']);
  const patience = o.patience === undefined ? 5 : intArg('earlyStopping', 'patience', o.patience, 0);
  const minDelta = o.minDelta === undefined ? 0 : finiteArg('earlyStopping', 'minDelta', o.minDelta);
  if (minDelta < 0) fail('E_RANGE', `earlyStopping: argument 'minDelta' = ${minDelta}; expected a number >= 0`);
  let best = Infinity;
  let bestStep = -1;
  let step = -1;
  let stopped = false;
  return {
    update(loss: number): boolean {
      if (typeof loss !== 'number') expected('E_RANGE', 'earlyStopping.update', 'loss', 'a number', loss);
      step++;
      if (loss < best - minDelta) {
        best = loss;
        bestStep = step;
        return false;
      }
      // Checks since the best (Keras's `wait`).
      const stop = step - bestStep >= patience;
      stopped ||= stop;
      return stop;
    },
    get best() {
      return best;
    },
    get bestStep() {
      return bestStep;
    },
    get stopped() {
      return stopped;
    },
  };
});
