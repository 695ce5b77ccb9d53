// Runs the SIMT emulator's self-test binary (native/simt/selftest/) under two interleaving seeds and
// checks that every planted bug was caught and every known-answer kernel computed the right values.
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';

const binary =
  process.env.WAVETAPE_SIMT_SELFTEST ?? path.join(__dirname, '..', 'build-cmake', 'Release', 'simt_selftest');

// One line "ok <case>" each; a missing name means a case was dropped, not just that it failed.
const CASES = [
  'atomics_sum',
  'block_reduce_sum',
  'deadlock_reported',
  'divergent_syncthreads_reported',
  'dynamic_shared_memory',
  'dynamic_shared_overflow_caught',
  'global_store_past_end_caught',
  'invalid_configuration_rejected',
  'launch_1x256_block',
  'launch_64x256_blocks',
  'math_intrinsics',
  'memcpy_bounds_checked',
  'missing_syncthreads_caught',
  'runtime_api_device',
  'syncthreads_after_exit_reported',
  'syncthreads_count_and_or',
  'unwritten_shared_reads_nan',
  'warp_mask_names_exited_lane_caught',
  'warp_shuffle_reduce',
  'warp_votes',
];

function runSelftest(seed: string | undefined) {
  if (!existsSync(binary)) {
    throw new Error(
      `simt_selftest not found at ${binary}: build it with \`npm run build:simt\` ` +
        '(or point WAVETAPE_SIMT_SELFTEST at a built binary)',
    );
  }
  const env = { ...process.env };
  if (seed === undefined) delete env.WAVETAPE_SIMT_SEED;
  else env.WAVETAPE_SIMT_SEED = seed;
  const result = spawnSync(binary, [], { encoding: 'utf8', env, timeout: 120_000 });
  if (result.error) throw result.error;
  return result;
}

describe('SIMT emulator self-test', () => {
  it.each<[string, string | undefined]>([
    ['the default seed', undefined],
    ['seed 12345', '12345'],
  ])('catches every planted bug and passes every known-answer case with %s', (_label, seed) => {
    const { stdout, stderr, status, signal } = runSelftest(seed);
    const lines = stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('FAIL '))).toEqual([]);
    const passed = lines.map((line) => /^ok (\S+)/.exec(line)?.[1]).filter((name) => name !== undefined);
    expect(passed).toEqual(expect.arrayContaining(CASES));
    expect({ status, signal, stderr }).toEqual({ status: 0, signal: null, stderr: '' });
  });
});
