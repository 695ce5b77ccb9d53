// The event loop stays responsive while a long op runs on the stream: the op's CPU time is spent
// off the JS thread, and the loop keeps ticking through it. Runs alone after the parallel suites.
import * as fs from 'fs';
import * as wt from '../../lib';

/** Queues reps rounds of sin(exp(-y)) on x; returns every tensor made, the result last. */
function queueChain(x: wt.Tensor, reps: number): wt.Tensor[] {
  let y = x;
  const made: wt.Tensor[] = [];
  for (let i = 0; i < reps; i++) {
    const a = wt.neg(y);
    const b = wt.exp(a);
    y = wt.sin(b);
    made.push(a, b, y);
  }
  return made;
}

/**
 * CPU time the calling thread has run, in ms, from the kernel's per-thread account (a synchronous
 * read runs on the calling thread, so /proc/thread-self is the JS thread). schedstat is in ns;
 * stat's utime + stime (clock ticks) where the kernel keeps no schedstat.
 */
function jsThreadCpuMs(): number {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  }
}

/** CPU time of the whole process (every thread), in ms. */
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

test('a long queued op runs off the JS thread while the event loop keeps ticking', async () => {
  // One compute thread: wherever the op runs, that thread does all of its work. Were the op run
  // on the JS thread (as the inline fast path runs ops of <= 32768 elements: with x of 1 << 15
  // elements both checks below fail), the JS thread's CPU time would be the op's, and the chain
  // would finish inside queueChain, one gap as long as the op.
  const threads = wt.numThreads();
  wt.setNumThreads(1);
  try {
    const x = wt.ones([1 << 22], { dtype: 'float64' });
    // Size the chain by the CPU time it takes (not wall time, which a loaded machine stretches).
    const cpuOf = (reps: number) => {
      const c0 = processCpuMs();
      const made = queueChain(x, reps);
      made[made.length - 1].dataSync();
      made.forEach((t) => t.dispose());
      return processCpuMs() - c0;
    };
    // Each size runs twice: its first run also page-faults fresh output blocks, which the measured
    // run below reuses from the allocator's cache, so only the warm run counts.
    const warmCpuOf = (reps: number) => {
      cpuOf(reps);
      return cpuOf(reps);
    };
    let reps = 1;
    while (warmCpuOf(reps) < 200) reps *= 2;

    // Where the op's CPU time goes, with the JS thread doing nothing but awaiting the result (a
    // ticking timer would add JS CPU time in proportion to the wall time, which load stretches).
    const jsCpu0 = jsThreadCpuMs();
    const cpu0 = processCpuMs();
    const measured = queueChain(x, reps);
    await measured[measured.length - 1].data();
    const jsCpu = jsThreadCpuMs() - jsCpu0;
    const cpu = processCpuMs() - cpu0;
    measured.forEach((t) => t.dispose());
    // The op did its work in this window ...
    expect(cpu).toBeGreaterThanOrEqual(100);
    // ... on another thread: the JS thread only queued the ops and took the result.
    expect(jsCpu).toBeLessThanOrEqual(0.25 * cpu);

    // The same op again with a 1 ms timer: the loop ticks through it, with no stall of half the
    // op's wall time (an op run on the JS thread is one stall as long as itself).
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 1);
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    const chain = queueChain(x, reps);
    await chain[chain.length - 1].data();
    const finished = performance.now();
    clearInterval(timer);
    chain.forEach((t) => t.dispose());
    x.dispose();
    const during = [started, ...ticks.filter((t) => t > started && t < finished), finished];
    const gaps = during.slice(1).map((t, i) => t - during[i]);
    expect(gaps.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...gaps)).toBeLessThanOrEqual((finished - started) / 2);
  } finally {
    wt.setNumThreads(threads);
  }
});
