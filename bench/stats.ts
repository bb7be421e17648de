/** Order statistics for the benchmark's samples. */

const sorted = (xs: readonly number[]) => {
  if (xs.length === 0) throw new Error('no samples');
  return [...xs].sort((a, b) => a - b);
};

/** The median (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = sorted(xs);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-th percentile by nearest rank (p90 of 20 samples is the 18th smallest). */
export function percentile(xs: readonly number[], p: number): number {
  const s = sorted(xs);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

export const min = (xs: readonly number[]) => sorted(xs)[0];
export const max = (xs: readonly number[]) => sorted(xs)[xs.length - 1];

/** Median, minimum and maximum of a sample. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), min: min(xs), max: max(xs), count: xs.length };
}
