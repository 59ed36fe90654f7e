/**
 * Timing helpers shared by every benchmark: warm-up runs first (so the JIT has compiled the hot path), then several
 * timed samples; a figure is the median, and the spread is reported next to it so a noisy run shows as one.
 */
import { performance } from "perf_hooks";

export interface Timing {
  /** Median of the samples, in milliseconds. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** (max − min) / median: how far the samples scatter around the median. */
  spread: number;
  samples: number;
}

export interface TimingOptions {
  warmups: number;
  samples: number;
  /** Runs before each sample (and warm-up) and is not timed, e.g. to reset state. */
  before?: () => void;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Summarises raw samples (milliseconds) as median, extremes and spread. */
export function summarise(samplesMs: readonly number[]): Timing {
  const medianMs = median(samplesMs);
  const minMs = Math.min(...samplesMs);
  const maxMs = Math.max(...samplesMs);
  return { medianMs, minMs, maxMs, spread: medianMs > 0 ? (maxMs - minMs) / medianMs : 0, samples: samplesMs.length };
}

/**
 * Times `run` after warm-ups.
 *
 * @example
 * const timing = time(() => ingestRelease(text, options), { warmups: 2, samples: 7 });
 * timing.medianMs // 41.3
 */
export function time(run: () => unknown, options: TimingOptions): Timing {
  for (let i = 0; i < options.warmups; i++) {
    options.before?.();
    run();
  }
  const samples: number[] = [];
  for (let i = 0; i < options.samples; i++) {
    options.before?.();
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return summarise(samples);
}

/**
 * Times an asynchronous `run` after warm-ups, awaiting each run before the next starts; `before` may be async too
 * (e.g. a dataset swap that must not count).
 *
 * @example
 * const timing = await timeAsync(() => recalculateXlsx(bytes), { warmups: 1, samples: 5 });
 */
export async function timeAsync(run: () => Promise<unknown>, options: { warmups: number; samples: number; before?: () => unknown }): Promise<Timing> {
  for (let i = 0; i < options.warmups; i++) {
    await options.before?.();
    sink(await run());
  }
  const samples: number[] = [];
  for (let i = 0; i < options.samples; i++) {
    await options.before?.();
    const start = performance.now();
    sink(await run());
    samples.push(performance.now() - start);
  }
  return summarise(samples);
}

export interface PerOperation {
  /** Median nanoseconds per operation over the samples. */
  medianNs: number;
  minNs: number;
  maxNs: number;
  spread: number;
  samples: number;
  iterations: number;
}

/**
 * Times a cheap operation by running it in batches of `iterations`, reporting nanoseconds per operation: a single
 * call is below the clock's resolution. Each result goes to `sink`, so the JIT cannot remove the work measured.
 *
 * @example
 * timePerOperation((i) => map.get(keys[i % keys.length]), 1_000_000, { warmups: 3, samples: 9 }).medianNs // 12.4
 */
export function timePerOperation(operation: (i: number) => unknown, iterations: number, options: { warmups: number; samples: number }): PerOperation {
  const timing = time(() => {
    for (let i = 0; i < iterations; i++) sink(operation(i));
  }, options);
  const ns = (ms: number): number => (ms * 1e6) / iterations;
  return { medianNs: ns(timing.medianMs), minNs: ns(timing.minMs), maxNs: ns(timing.maxMs), spread: timing.spread, samples: timing.samples, iterations };
}

let sunk = 0;
/** Consumes a result so the optimiser cannot drop the call that produced it. */
export function sink(value: unknown): void {
  if (value === sunk) sunk++;
}
/** Read at the end of a run so `sink` has an observable effect. */
export const sunkCount = (): number => sunk;
