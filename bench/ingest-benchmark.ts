/**
 * Ingest: the release text → validated dataset, once, and N = 1, 2, 4, 8 releases in sequence. Only one release
 * exists so far and the ingest takes one release at a time, so "N releases" is the same release ingested N times
 * (a multi-release dataset would add merging, not measured yet). Growth is time(N) / (N × time(1)): 1.0 is linear.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { ingestRelease } from "../src/ingest";
import { PROJECT_ROOT, RELEASE_FILE } from "./dataset";
import { sink, time, type Timing } from "./measure";

export interface IngestResult {
  releaseBytes: number;
  facts: number;
  once: Timing;
  sequences: { releases: number; timing: Timing; perRelease: number; growth: number }[];
}

export function runIngestBenchmark(options: { samples: number; counts: readonly number[] }): IngestResult {
  const text = readFileSync(join(PROJECT_ROOT, RELEASE_FILE), "utf8");
  const ingest = (): ReturnType<typeof ingestRelease> => ingestRelease(text, { file: RELEASE_FILE });
  const facts = ingest().facts.length;
  const once = time(() => sink(ingest()), { warmups: 2, samples: options.samples });
  const sequences = options.counts.map((releases) => {
    const timing = time(
      () => {
        for (let i = 0; i < releases; i++) sink(ingest());
      },
      { warmups: 0, samples: Math.max(3, Math.ceil(options.samples / 2)) },
    );
    return { releases, timing, perRelease: timing.medianMs / releases, growth: timing.medianMs / (releases * once.medianMs) };
  });
  return { releaseBytes: Buffer.byteLength(text), facts, once, sequences };
}
