/**
 * The add-in's session: the dataset every QFIN function in this Excel runtime reads right now, and its swap. Swapping
 * is a single assignment of a fully built index, so a recalculation sees the old data or the new, never a mix. This is
 * the one piece of mutable state the add-in has; the core is handed the index it reads.
 */
import { buildIndex, type DatasetIndex } from "../core/dataset-index";
import type { Dataset } from "../core/model";

export class Session {
  private active: DatasetIndex | null = null;
  private readonly listeners = new Set<(index: DatasetIndex | null) => void>();
  /** QFIN function calls since the last swap, and who waits for the next one (see `waitForCall`). */
  private calls = 0;
  private readonly waiting = new Set<() => void>();

  /** The index of the dataset in use, or null before one is loaded. */
  get index(): DatasetIndex | null {
    return this.active;
  }

  /**
   * Makes a validated dataset the one all QFIN functions read (null unloads). Indexes it first, then swaps; tells
   * the listeners. `version` is the published data version (12 hex digits of the file's SHA-256) when known, and
   * `revision` which correction of its newest release it is (0 for none).
   *
   * @example
   * session.use(loadDataset(json), "3f2a9c0d1e4b");
   */
  use(dataset: Dataset | null, version: string | null = null, revision = 0): DatasetIndex | null {
    return this.adopt(dataset === null ? null : buildIndex(dataset, version, revision));
  }

  /**
   * Makes an index already built (a refresh builds it while checking, to say what it changes) the one in use.
   *
   * @example
   * session.adopt(update.index);
   */
  adopt(index: DatasetIndex | null): DatasetIndex | null {
    this.active = index;
    this.calls = 0;
    for (const listener of this.listeners) listener(index);
    return index;
  }

  /** Notes that Excel ran a QFIN function (custom-functions.ts, on every call: one increment). */
  noteCall(): void {
    this.calls++;
    if (this.waiting.size === 0) return;
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }

  /** How many times Excel ran a QFIN function since the last swap. */
  get callsSinceSwap(): number {
    return this.calls;
  }

  /**
   * Resolves true once Excel has run a QFIN function since the last swap, false if it has not within `ms`: how Apply
   * knows that Excel really re-ran the cells it was asked to recalculate.
   *
   * @example
   * await session.waitForCall(5000) //=> true when a QFIN cell was calculated after the swap
   */
  waitForCall(ms: number): Promise<boolean> {
    if (this.calls > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting.delete(wake);
        resolve(false);
      }, ms);
      this.waiting.add(wake);
    });
  }

  /** Calls `listener` after every swap (the pane redraws). Returns the function that unsubscribes. */
  onChange(listener: (index: DatasetIndex | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
