/**
 * Wavelet names: pywt's names plus the aliases cdf53 and cdf97, resolved to the generated table,
 * with an error that lists the nearest known names.
 */
import { fail } from '../errors';
import { WAVELET_TABLE } from './filters';
import type { WaveletFilterBank } from './types';

/** Names that mean another wavelet: CDF 5/3 and CDF 9/7 are pywt's bior2.2 and bior4.4. */
export const WAVELET_ALIASES: Readonly<Record<string, string>> = { cdf53: 'bior2.2', cdf97: 'bior4.4' };

/** Every wavelet name wavetape accepts, table names first, then the aliases. */
export function waveletNames(): string[] {
  return [...Object.keys(WAVELET_TABLE), ...Object.keys(WAVELET_ALIASES)];
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length];
}

/**
 * The table name of `name` (aliases resolved, case-insensitive); an unknown name is E_RANGE whose
 * message names the public function `fn`, the argument and the three nearest known names.
 */
export function resolveWaveletName(name: unknown, fn: string): string {
  if (typeof name !== 'string') {
    fail('E_RANGE', `${fn}: wavelet must be a wavelet name (a string such as 'db4'), got ${typeof name}`);
  }
  const key = name.trim().toLowerCase();
  // Own keys only: 'constructor' or '__proto__' must not resolve through the prototype.
  if (Object.prototype.hasOwnProperty.call(WAVELET_TABLE, key)) return key;
  if (Object.prototype.hasOwnProperty.call(WAVELET_ALIASES, key)) return WAVELET_ALIASES[key];
  const nearest = waveletNames()
    .map((n) => ({ n, dist: editDistance(key, n) }))
    .sort((p, q) => p.dist - q.dist)
    .slice(0, 3)
    .map((p) => `'${p.n}'`);
  fail('E_RANGE', `${fn}: wavelet: unknown wavelet '${name}'; nearest known names: ${nearest.join(', ')}`);
}

/** The four filters of a wavelet exactly as pywt gives them, and whether it is orthogonal. */
export function waveletFilters(name: string, fn = 'waveletFilters'): WaveletFilterBank {
  const entry = WAVELET_TABLE[resolveWaveletName(name, fn)];
  return {
    family: entry.family,
    orthogonal: entry.orthogonal,
    decLo: [...entry.decLo],
    decHi: [...entry.decHi],
    recLo: [...entry.recLo],
    recHi: [...entry.recHi],
  };
}
