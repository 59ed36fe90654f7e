/**
 * What one class of the hostile-input probe reports, and the tally every class keeps while it runs: inputs tried,
 * how many were refused (an error value, an IngestError, a refusal with a sentence) and how many answered, and the
 * three failures the issue counts — data loss, wrong data accepted, hangs (an input over the class's stated time
 * budget) — plus anything else that broke a rule (a throw, a value Excel cannot hold), with the first examples.
 */

/** The classes, as issue 15's probe fired them. */
export const PROBE_CLASSES = ["functions", "engine", "release", "workbooks", "writes", "refresh", "concurrency"] as const;
export type ProbeClass = (typeof PROBE_CLASSES)[number];

export interface ClassResult {
  class: ProbeClass;
  /** One line on what was fired and through what. */
  what: string;
  inputs: number;
  refused: number;
  answered: number;
  dataLoss: number;
  wrongDataAccepted: number;
  hangs: number;
  /** Other rule breaks: a throw where a value was due, a value Excel cannot hold, a stack trace printed… */
  otherFailures: number;
  /** The per-input time budget a hang is counted against. */
  budgetMs: number;
  /** The slowest input, and what it was. */
  slowestMs: number;
  slowest: string;
  /** Wall time of the class. */
  elapsedMs: number;
  seed: number;
  /** Inputs by kind ("huge text", "digit +1", "short write" …): how many of each were tried. */
  kinds: Record<string, number>;
  /** The first failures of each sort, described (at most 20 in all). */
  examples: string[];
  /** What the class could not run here and why (a mount not permitted…), or notes on its definitions. */
  notes: string[];
}

export type Failure = "dataLoss" | "wrongDataAccepted" | "hang" | "other";

const MAX_EXAMPLES = Number(process.env.PROBE_MAX_EXAMPLES ?? 20);

/**
 * Counts one class's inputs and failures.
 *
 * @example
 * const tally = new Tally("functions", "…", 250, 1);
 * tally.input("huge text", "METRIC(…)", () => { … return "refused"; });
 */
export class Tally {
  private readonly result: ClassResult;
  private readonly started = performance.now();

  constructor(probeClass: ProbeClass, what: string, budgetMs: number, seed: number) {
    this.result = {
      class: probeClass,
      what,
      inputs: 0,
      refused: 0,
      answered: 0,
      dataLoss: 0,
      wrongDataAccepted: 0,
      hangs: 0,
      otherFailures: 0,
      budgetMs,
      slowestMs: 0,
      slowest: "",
      elapsedMs: 0,
      seed,
      kinds: {},
      examples: [],
      notes: [],
    };
  }

  /**
   * Records one input's outcome and time. `budgetMs` overrides the class's budget for an input that asks for more work
   * (a call mapped over 16,384 cells is allowed more than one cell's call; the class states how).
   */
  record(kind: string, description: string, outcome: "refused" | "answered", ms: number, budgetMs = this.result.budgetMs): void {
    const result = this.result;
    result.inputs++;
    result.kinds[kind] = (result.kinds[kind] ?? 0) + 1;
    result[outcome]++;
    if (ms > result.slowestMs) {
      result.slowestMs = ms;
      result.slowest = `${kind}: ${description}`;
    }
    if (ms > budgetMs) this.fail("hang", `${kind}: ${description} took ${ms.toFixed(0)} ms (budget ${budgetMs.toFixed(0)} ms)`);
  }

  /** Records a failure of the input just recorded (or about to be). */
  fail(failure: Failure, description: string): void {
    const result = this.result;
    if (failure === "dataLoss") result.dataLoss++;
    else if (failure === "wrongDataAccepted") result.wrongDataAccepted++;
    else if (failure === "hang") result.hangs++;
    else result.otherFailures++;
    if (result.examples.length < MAX_EXAMPLES) result.examples.push(`[${failure}] ${description.length > 600 ? `${description.slice(0, 600)}…` : description}`);
  }

  note(text: string): void {
    this.result.notes.push(text);
  }

  finish(): ClassResult {
    this.result.elapsedMs = performance.now() - this.started;
    return { ...this.result, kinds: { ...this.result.kinds }, examples: [...this.result.examples], notes: [...this.result.notes] };
  }

  get inputs(): number {
    return this.result.inputs;
  }

  get budgetMs(): number {
    return this.result.budgetMs;
  }
}

/** Lets timers and I/O run (the probe's watchdog heartbeat) during a long synchronous loop, every `everyMs`. */
export function yielder(everyMs = 200): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < everyMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

/** A short, printable description of any value (strings shortened, control characters escaped). */
export function describe(value: unknown, depth = 0): string {
  if (typeof value === "string") {
    const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}` : value);
    return value.length > 40 ? `${shown.slice(0, -1)}…"(${value.length} chars)` : shown;
  }
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol" || typeof value === "function") return typeof value;
  if (value === null || value === undefined || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (depth > 2) return "[…]";
    const shown = value.slice(0, 4).map((cell) => describe(cell, depth + 1));
    return `[${shown.join(",")}${value.length > 4 ? `,…(${value.length})` : ""}]`;
  }
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? "NaN" : value.toISOString()})`;
  try {
    const json = JSON.stringify(value);
    return json === undefined ? "object" : json.length > 80 ? `${json.slice(0, 80)}…` : json;
  } catch {
    return "object (not printable)";
  }
}
