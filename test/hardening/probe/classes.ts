/**
 * The probe's seven classes with their sizes: `FULL` is what `npm run probe` fires (about 20 minutes on a 2-core
 * machine), `SLICE` the bounded piece test/hardening/probe/probe.test.ts runs inside jest. Both are seeded, so a run
 * repeats exactly.
 */
import { loadDatasetFile } from "../../../src/cli/dataset-file";
import type { DatasetIndex } from "../../../src/core/dataset-index";
import { DATASET_PATH, PROJECT_ROOT, RELEASE_PATH, fourthQuarterRelease, ingestText, nextQuarterRelease, releaseText, shippedDataset } from "../../support/release";
import { loadFunctionsBundle } from "./bundle-host";
import { probeConcurrency } from "./class-concurrency";
import { FORMULA_BUDGET_MS, probeEngine } from "./class-engine";
import { FUNCTION_CALL_BUDGET_MS, probeFunctions } from "./class-functions";
import { probeRefresh } from "./class-refresh";
import { INGEST_BUDGET_MS, characterMutations, digitMutations, fileVariants, probeRelease, type Mutation } from "./class-release";
import { WORKBOOK_BUDGET_MS, craftedWorkbooks, mutatedWorkbooks, probeWorkbooks } from "./class-workbooks";
import { probeWrites } from "./class-writes";
import type { ClassResult, ProbeClass } from "./tally";

export const PROBE_SEED = 15;

export interface ProbeSizes {
  functionCalls: number;
  formulas: number;
  /** Every digit of the release twice (8,594), or this many of them, spread evenly. */
  digitMutations: number | "all";
  characterMutations: number;
  fileVariants: boolean;
  workbookMutations: number;
  craftedWorkbooks: boolean;
  injectedWrites: number;
  commandWrites: number;
  killedWrites: number;
  fullDisk: boolean;
  randomRefreshAttacks: number;
  concurrentPairs: number;
  crowds: number;
  crowd: number;
  killedLockHolders: number;
}

export const FULL: ProbeSizes = {
  functionCalls: 200_000,
  formulas: 20_000,
  digitMutations: "all",
  characterMutations: 3_000,
  fileVariants: true,
  workbookMutations: 2_000,
  craftedWorkbooks: true,
  injectedWrites: 3_000,
  commandWrites: 300,
  killedWrites: 100,
  fullDisk: true,
  randomRefreshAttacks: 600,
  concurrentPairs: 50,
  crowds: 5,
  crowd: 20,
  killedLockHolders: 5,
};

export const SLICE: ProbeSizes = {
  functionCalls: 600,
  formulas: 300,
  digitMutations: 30,
  characterMutations: 20,
  fileVariants: true,
  workbookMutations: 40,
  craftedWorkbooks: true,
  injectedWrites: 150,
  commandWrites: 12,
  killedWrites: 0,
  fullDisk: false,
  randomRefreshAttacks: 30,
  concurrentPairs: 0,
  crowds: 0,
  crowd: 0,
  killedLockHolders: 0,
};

export interface ProbeContext {
  /** A production build folder (functions.js, functions.json): needed by the functions class only. */
  buildDir?: string;
  /** Overrides every class's per-input budget (the jest slice uses generous bounds: a hang bound, not a timing). */
  budgetScale?: number;
}

let index: DatasetIndex | undefined;
/** The shipped dataset as `qfin` reads it (with its data version, which QFIN.VERSION() prints). */
const shippedIndex = (): DatasetIndex => (index ??= loadDatasetFile(DATASET_PATH));

function releaseMutations(sizes: ProbeSizes, seed: number): Mutation[] {
  const text = releaseText();
  const digits = digitMutations(text, seed);
  const wanted = sizes.digitMutations;
  const picked = wanted === "all" ? digits : digits.filter((_, at) => at % Math.max(1, Math.floor(digits.length / wanted)) === 0).slice(0, wanted);
  return [...(sizes.fileVariants ? fileVariants(text) : []), ...picked, ...characterMutations(text, sizes.characterMutations, seed + 1)];
}

const scaled = (budget: number, context: ProbeContext): number => budget * (context.budgetScale ?? 1);

/** Runs one class. */
export async function runClass(which: ProbeClass, sizes: ProbeSizes, seed: number, context: ProbeContext): Promise<ClassResult> {
  switch (which) {
    case "functions": {
      if (!context.buildDir) throw new Error("the functions class needs a production build (buildDir)");
      return probeFunctions({ bundle: loadFunctionsBundle(context.buildDir), index: shippedIndex(), calls: sizes.functionCalls, seed, budgetMs: scaled(FUNCTION_CALL_BUDGET_MS, context) });
    }
    case "engine": {
      return probeEngine({ index: shippedIndex(), formulas: sizes.formulas, seed, budgetMs: scaled(FORMULA_BUDGET_MS, context) });
    }
    case "release": {
      return probeRelease({ text: releaseText(), dataset: shippedDataset(), mutations: releaseMutations(sizes, seed), seed, budgetMs: scaled(INGEST_BUDGET_MS, context) });
    }
    case "workbooks": {
      const workbooks = [...(sizes.craftedWorkbooks ? craftedWorkbooks() : []), ...mutatedWorkbooks(sizes.workbookMutations, seed)];
      return probeWorkbooks({ index: shippedIndex(), datasetPath: DATASET_PATH, workbooks, seed, budgetMs: scaled(WORKBOOK_BUDGET_MS, context) });
    }
    case "writes":
      return probeWrites({
        root: PROJECT_ROOT,
        release: RELEASE_PATH,
        nextReleaseText: nextQuarterRelease(),
        dataset: DATASET_PATH,
        injected: sizes.injectedWrites,
        commands: sizes.commandWrites,
        kills: sizes.killedWrites,
        fullDisk: sizes.fullDisk,
        seed,
        budgetScale: context.budgetScale,
      });
    case "refresh":
      return probeRefresh({ datasetPath: DATASET_PATH, nextRelease: ingestText(nextQuarterRelease()), random: sizes.randomRefreshAttacks, seed, budgetScale: context.budgetScale });
    case "concurrency":
      return probeConcurrency({
        root: PROJECT_ROOT,
        release: RELEASE_PATH,
        q3Text: nextQuarterRelease(),
        q4Text: fourthQuarterRelease({ consistent: true }),
        pairs: sizes.concurrentPairs,
        crowds: sizes.crowds,
        crowd: sizes.crowd,
        kills: sizes.killedLockHolders,
        seed,
      });
  }
}
