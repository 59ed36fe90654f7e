/**
 * A bounded, seeded slice of the hostile-input probe (`npm run probe`, test/hardening/probe/run-probe.ts), so CI keeps
 * it honest: the same classes, the same rules, a few hundred inputs each instead of 250,000 in all. Each class must
 * report 0 data loss, 0 wrong data accepted, 0 hangs and 0 other failures — and must have fired inputs that were
 * refused and inputs that were answered, so a class that stopped reaching either path fails here.
 *
 * The per-input budgets are the full probe's times 10: inside jest, with other suites running, they are a hang bound,
 * not a timing. Concurrency (real processes, lib/ compiled) is left to test/hardening/concurrent-ingest.test.ts.
 */
import { sharedProductionBuild } from "../../browser/support/shared-build";
import { PROBE_SEED, SLICE, runClass } from "./classes";
import type { ClassResult, ProbeClass } from "./tally";

let buildDir: string;
beforeAll(async () => {
  buildDir = await sharedProductionBuild();
}, 300_000);

const CLASSES: [ProbeClass, { refused: boolean; answered: boolean }][] = [
  ["functions", { refused: true, answered: true }],
  ["engine", { refused: true, answered: true }],
  ["release", { refused: true, answered: true }],
  ["workbooks", { refused: true, answered: true }],
  ["writes", { refused: true, answered: true }],
  ["refresh", { refused: true, answered: true }],
];

describe("the hostile-input probe, a slice (seed 15)", () => {
  test.each(CLASSES)("%s: 0 data loss, 0 wrong data accepted, 0 hangs, nothing else broken", async (which, reaches) => {
    const result: ClassResult = await runClass(which, SLICE, PROBE_SEED, { buildDir, budgetScale: 10 });
    console.log(`${which}: ${result.inputs} inputs (${result.refused} refused, ${result.answered} answered), slowest ${result.slowestMs.toFixed(0)} ms, ${(result.elapsedMs / 1000).toFixed(1)} s`);
    expect(result.examples).toEqual([]);
    expect({ dataLoss: result.dataLoss, wrongDataAccepted: result.wrongDataAccepted, hangs: result.hangs, otherFailures: result.otherFailures }).toEqual({ dataLoss: 0, wrongDataAccepted: 0, hangs: 0, otherFailures: 0 });
    expect(result.inputs).toBeGreaterThanOrEqual(40);
    if (reaches.refused) expect(result.refused).toBeGreaterThan(0);
    if (reaches.answered) expect(result.answered).toBeGreaterThan(0);
  });
});
