/**
 * Runs in its own Node process with --expose-gc (bench/memory-benchmark.ts spawns it): the heap held by the
 * shipped dataset once loaded and indexed, as the functions bundle holds it. Code is loaded first and one
 * throwaway dataset is loaded and dropped, so what remains is the data, not the modules or JIT state.
 */
import { readFileSync } from "fs";
import { buildIndex, type DatasetIndex } from "../src/core/dataset-index";
import { loadDataset } from "../src/core/load-dataset";
import { invoke } from "../src/functions/invoke";
import { DATASET_PATH } from "./dataset";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

// Warm-up: load, answer, drop — so module code, compiled functions and caches are in the baseline.
let held: DatasetIndex | null = buildIndex(loadDataset(JSON.parse(readFileSync(DATASET_PATH, "utf8"))));
invoke(held, "METRIC", ["Net income", "Q2 2023"]);
held = null;

const before = settledHeap();
held = buildIndex(loadDataset(JSON.parse(readFileSync(DATASET_PATH, "utf8"))));
const answer = invoke(held, "METRIC", ["Net income", "Q2 2023"]);
const after = settledHeap();
if (held === null || typeof answer !== "number") throw new Error("the dataset did not load");
process.stdout.write(JSON.stringify({ heldBytes: after - before, heapUsedBytes: after }) + "\n");
