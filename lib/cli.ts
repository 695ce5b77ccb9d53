#!/usr/bin/env node
/**
 * The `wavetape` command line: `wavetape bench [--filter RE] [--device D] [--threads N[,M]]
 * [--seconds S] [--json]`. Prints a table of medians (and GB/s, GFLOP/s, an item rate such as
 * cells/s, ratios against each case's baseline measured in the same run) on stdout; `--json`
 * prints the results as JSON.
 * `wavetape demo [a | b | all] [--device D] [--out DIR] [--quick]` runs the papers' workflows
 * (lib/demo). Internal: not part of the public API (the package index does not export it).
 */
import * as fs from 'fs';
import * as os from 'os';
import { devices, numThreads } from './device';
import { WavetapeError } from './errors';
import { runCases } from './bench/harness';
import { BenchCase, BenchResult } from './bench/types';
import { coreBenchCases } from './bench/core';
import { benchFamilies } from './bench/families';
import { htmlReport } from './bench/report';
import { demoCommand } from './demo';

interface BenchArgs {
  filter?: RegExp;
  devices: string[];
  threads: number[];
  seconds: number;
  json: boolean;
  html?: string;
}

const USAGE = `usage: wavetape bench [options]
  --filter RE     run cases whose "group/name" matches RE (e.g. fft, 'core/add')
  --device D      device(s) to run on, comma-separated (default: every device but simt)
  --threads N,M   CPU thread counts to compare (default: 1 and the number of cores)
  --seconds S     timed seconds per case after warm-up (default 1)
  --json          print results as JSON instead of a table
  --html FILE     also write a self-contained HTML page with an SVG chart of the results`;

function parseArgs(argv: string[]): BenchArgs {
  const all = devices();
  const cores = numThreads();
  const args: BenchArgs = {
    // simt emulates CUDA for correctness; its timings mean nothing, so it is opt-in.
    devices: all.filter((d) => d !== 'simt'),
    threads: cores > 1 ? [1, cores] : [1],
    seconds: 1,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new WavetapeError(`bench: ${a} needs a value\n${USAGE}`, 'E_RANGE');
      return v;
    };
    if (a === '--filter') args.filter = new RegExp(value(), 'i');
    else if (a === '--device') {
      args.devices = value().split(',');
      for (const d of args.devices) {
        if (!all.includes(d)) throw new WavetapeError(`bench: --device '${d}' is not available; available: ${all.join(', ')}`, 'E_DEVICE');
      }
    } else if (a === '--threads') {
      args.threads = value().split(',').map(Number);
      if (args.threads.some((t) => !Number.isInteger(t) || t < 1 || t > 256)) {
        throw new WavetapeError(`bench: --threads expects integers in 1..256, got '${argv[i]}'`, 'E_RANGE');
      }
    } else if (a === '--seconds') {
      args.seconds = Number(value());
      if (!(args.seconds > 0)) throw new WavetapeError(`bench: --seconds expects a positive number`, 'E_RANGE');
    } else if (a === '--json') args.json = true;
    else if (a === '--html') args.html = value();
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new WavetapeError(`bench: unknown option '${a}'\n${USAGE}`, 'E_RANGE');
  }
  return args;
}

function fmtTime(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(2)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

/** `r.rate` with an SI prefix: 35.2 M cells/s. */
function fmtRate(r: BenchResult): string {
  if (r.rate === undefined) return '';
  const [scale, prefix] = r.rate >= 1e9 ? [1e9, 'G'] : r.rate >= 1e6 ? [1e6, 'M'] : r.rate >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${(r.rate / scale).toPrecision(3)} ${prefix} ${r.rateUnit}/s`.replace("  ", " ");
}

function row(r: BenchResult): string[] {
  return [
    r.group,
    r.name,
    r.peer ? `${r.device} (${r.peer})` : r.device,
    fmtTime(r.median),
    r.gbps !== undefined ? r.gbps.toFixed(2) : '',
    r.gflops !== undefined ? r.gflops.toFixed(2) : '',
    fmtRate(r),
    r.speedup !== undefined ? `${r.speedup.toFixed(2)}× ${r.baseline} (${fmtTime(r.baselineMedian!)} paired)` : '',
  ];
}

function table(rows: string[][]): string {
  const header = ['group', 'case', 'device', 'median', 'GB/s', 'GFLOP/s', 'rate', 'vs baseline'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function bench(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  let cases: BenchCase[] = [];
  for (const d of args.devices) {
    cases.push(...coreBenchCases(d, d === 'cpu' ? args.threads : [args.threads[0]]));
    for (const family of benchFamilies) cases.push(...family(d, args.threads));
  }
  if (args.filter) cases = cases.filter((c) => args.filter!.test(`${c.group}/${c.name}`));
  if (cases.length === 0) throw new WavetapeError('bench: no case matches the filter', 'E_RANGE');
  const machine = `${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism?.() ?? os.cpus().length} cores, node ${process.version}`;
  if (!args.json) {
    console.log(`wavetape bench — ${machine}`);
    console.log(`medians of ${args.seconds}s of samples after warm-up; devices: ${args.devices.join(', ')}\n`);
  }
  const results = await runCases(cases, {
    seconds: args.seconds,
    onResult: (r) => {
      if (!args.json) process.stderr.write(`  done: ${r.group}/${r.name} on ${r.device}\n`);
    },
  });
  if (args.json) console.log(JSON.stringify(results, null, 2));
  else console.log(table(results.map(row)));
  if (args.html) {
    fs.writeFileSync(args.html, htmlReport(results, `${machine}; ${new Date().toISOString()}`));
    if (!args.json) console.log(`\nwrote ${args.html}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'bench') return bench(rest);
  if (command === 'demo') return demoCommand(rest);
  console.log(`usage: wavetape <command>\n\ncommands:\n  demo    run both papers' workflows on synthetic data, with an HTML report (wavetape demo --help)\n  bench   run the benchmark harness (wavetape bench --help)`);
  process.exit(command === undefined || command === '--help' || command === '-h' ? 0 : 2);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof WavetapeError) {
    console.error(`wavetape: ${e.message} [${e.code}]`);
    process.exit(2);
  }
  throw e;
});
