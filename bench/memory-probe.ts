/**
 * Runs in its own Node process with --expose-gc (bench/memory-benchmark.ts spawns it): the heap held by the
 * shipped dataset once loaded and indexed, as the functions bundle holds it. Code is loaded first and one
 * throwaway dataset is loaded and dropped, so what remains is the data, not the modules or JIT state.
 */
import { readFileSync } from "fs";
import { getActiveIndex, loadDataset, setActiveDataset } from "../src/core/dataset-store";
import { invoke } from "../src/functions/invoke";
import { DATASET_PATH } from "./dataset";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

// Warm-up: load, answer, unload — so module code, compiled functions and caches are in the baseline.
setActiveDataset(loadDataset(JSON.parse(readFileSync(DATASET_PATH, "utf8"))));
invoke("METRIC", ["Net income", "Q2 2023"]);
setActiveDataset(null);

const before = settledHeap();
setActiveDataset(loadDataset(JSON.parse(readFileSync(DATASET_PATH, "utf8"))));
const answer = invoke("METRIC", ["Net income", "Q2 2023"]);
const after = settledHeap();
if (getActiveIndex() === null || typeof answer !== "number") throw new Error("the dataset did not load");
process.stdout.write(JSON.stringify({ heldBytes: after - before, heapUsedBytes: after }) + "\n");
