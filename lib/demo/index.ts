/**
 * `wavetape demo [a | b | all] [--device D] [--out DIR] [--quick] [--seed N]`: both papers'
 * workflows end to end on synthetic data, with progress, a summary table, summary.json and report.html.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as wt from '../index';
import { WavetapeError } from '../errors';
import { runDemoA } from './pipeline_a';
import { runDemoB } from './pipeline_b';
import { streamProgress, silentProgress, Progress } from './progress';
import { DemoRun, summaryJson, summaryTable, reportHtml } from './report';

/** Parsed options of the demo command. */
export interface DemoOptions {
  which: 'a' | 'b' | 'all';
  device: string;
  out: string;
  quick: boolean;
  seed: number;
}

export const DEMO_USAGE = `usage: wavetape demo [a | b | all] [options]
  a | b | all    which paper's workflow to run (default all)
  --device D     device to train on (default ${'cpu'}); step times are measured on every device but simt
  --out DIR      where summary.json and report.html go (default ./wavetape-demo)
  --quick        small sizes: under a minute on two cores (what the test runs)
  --seed N       seed of the synthetic data and the initialisations (default 1)`;

/** Parses the demo command's arguments. */
export function parseDemoArgs(argv: string[]): DemoOptions {
  const o: DemoOptions = { which: 'all', device: 'cpu', out: 'wavetape-demo', quick: false, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new WavetapeError(`demo: ${a} needs a value\n${DEMO_USAGE}`, 'E_RANGE');
      return v;
    };
    if (a === 'a' || a === 'b' || a === 'all') o.which = a;
    else if (a === '--device') {
      o.device = value();
      if (!wt.devices().includes(o.device)) throw new WavetapeError(`demo: --device '${o.device}' is not available; available: ${wt.devices().join(', ')}`, 'E_DEVICE');
    } else if (a === '--out') o.out = value();
    else if (a === '--quick') o.quick = true;
    else if (a === '--seed') {
      const s = Number(value());
      if (!Number.isInteger(s) || s < 0 || s > 2 ** 31) throw new WavetapeError(`demo: --seed expects an integer in [0, 2^31], got '${argv[i]}'`, 'E_RANGE');
      o.seed = s;
    } else throw new WavetapeError(`demo: unknown argument '${a}'\n${DEMO_USAGE}`, 'E_RANGE');
  }
  return o;
}

/** Runs the demo with parsed options, writes DIR/summary.json and DIR/report.html, and returns the run. */
export async function runDemo(o: DemoOptions, progress: Progress = silentProgress): Promise<DemoRun> {
  const started = Date.now();
  const previous = wt.getDevice();
  wt.setDevice(o.device);
  const timingDevices = [...new Set([o.device, ...wt.devices().filter((d) => d !== 'simt')])];
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const run: DemoRun = {
    meta: {
      version: pkg.version,
      command: `wavetape demo ${o.which} --device ${o.device}${o.quick ? ' --quick' : ''} --seed ${o.seed}`,
      seed: o.seed,
      quick: o.quick,
      device: o.device,
      startedAt: new Date(started).toISOString(),
      seconds: 0,
      machine: `${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism?.() ?? os.cpus().length} cores, node ${process.version}`,
    },
  };
  try {
    if (o.which !== 'b') run.a = await runDemoA({ quick: o.quick, seed: o.seed, devices: timingDevices, progress });
    if (o.which !== 'a') run.b = runDemoB({ quick: o.quick, seed: o.seed, progress });
  } finally {
    wt.setDevice(previous);
  }
  run.meta.seconds = (Date.now() - started) / 1000;
  fs.mkdirSync(o.out, { recursive: true });
  fs.writeFileSync(path.join(o.out, 'summary.json'), JSON.stringify(summaryJson(run), null, 2) + '\n');
  fs.writeFileSync(path.join(o.out, 'report.html'), reportHtml(run));
  return run;
}

/** The CLI entry: progress on stderr (a bar on a TTY), the summary table on stdout. */
export async function demoCommand(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(DEMO_USAGE);
    return;
  }
  const o = parseDemoArgs(argv);
  console.log(`wavetape demo ${o.which}${o.quick ? ' (quick)' : ''} on ${o.device}, seed ${o.seed}`);
  const run = await runDemo(o, streamProgress(process.stderr, process.stderr.isTTY === true));
  console.log(`\n${summaryTable(run)}\n\nwrote ${path.join(o.out, 'summary.json')} and ${path.join(o.out, 'report.html')} (${run.meta.seconds.toFixed(1)} s)`);
}
