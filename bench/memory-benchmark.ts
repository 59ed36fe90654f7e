/** Heap held by the loaded dataset + index, median of a few fresh processes (bench/memory-probe.ts). */
import { execFileSync } from "child_process";
import { statSync } from "fs";
import { join } from "path";
import { DATASET_PATH } from "./dataset";
import { median } from "./measure";

export interface MemoryResult {
  heldBytes: number;
  minBytes: number;
  maxBytes: number;
  samples: number;
  datasetFileBytes: number;
  /** Heap held ÷ size of data/dataset.json. */
  ratio: number;
}

export function runMemoryBenchmark(options: { samples: number }): MemoryResult {
  const held: number[] = [];
  for (let i = 0; i < options.samples; i++) {
    const output = execFileSync(
      process.execPath,
      ["--expose-gc", "-r", "ts-node/register/transpile-only", join(__dirname, "memory-probe.ts")],
      { encoding: "utf8", env: { ...process.env, TS_NODE_PROJECT: join(__dirname, "tsconfig.json") } },
    );
    held.push((JSON.parse(output.trim()) as { heldBytes: number }).heldBytes);
  }
  const heldBytes = median(held);
  const datasetFileBytes = statSync(DATASET_PATH).size;
  return { heldBytes, minBytes: Math.min(...held), maxBytes: Math.max(...held), samples: held.length, datasetFileBytes, ratio: heldBytes / datasetFileBytes };
}
