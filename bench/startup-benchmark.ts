/**
 * Start-up: the production build (webpack, as `npm run build`, into a temporary folder), its bundle sizes raw and
 * gzipped, and the time from reading functions.js to the first METRIC result in a fresh Node process with the
 * CustomFunctions host stubbed — against parsing the dataset JSON alone in a fresh process. The build is made once
 * per run (`makeProductionBuild`) and shared with the taskpane benchmark; the caller removes it.
 */
import { execFileSync } from "child_process";
import { readdirSync, readFileSync, statSync } from "fs";
import { join } from "path";
import { gzipSync } from "zlib";
import { buildAddin, type AddinBuild } from "../test/addin/build-addin";
import { DATASET_PATH } from "./dataset";
import { summarise, type Timing } from "./measure";

export interface BundleSize {
  rawBytes: number;
  gzipBytes: number;
}

export interface StartupResult {
  buildMs: number;
  /**
   * What the pane loads at start (functions.js, taskpane.js), what it loads on demand (formula-engine.js when the
   * workbench first evaluates; link-workbook.js when Link this workbook first runs; a release's text when a figure is
   * first traced) and the dataset file.
   */
  sizes: Record<"functions.js" | "taskpane.js" | "formula-engine.js" | "link-workbook.js" | "release text" | "dataset.json", BundleSize>;
  /** Read + evaluate functions.js + first METRIC call. */
  loadToFirstResult: Timing;
  phases: { readMs: number; evaluateMs: number; firstCallMs: number };
  /** JSON.parse of data/dataset.json alone. */
  parseDatasetOnly: Timing;
  ratio: number;
  functionsRegistered: number;
}

const sizeOf = (file: string): BundleSize => {
  const bytes = readFileSync(file);
  // gzip at its default level 6, as web servers commonly serve.
  return { rawBytes: statSync(file).size, gzipBytes: gzipSync(bytes).length };
};

interface ProbeOutput {
  totalMs: number;
  readMs: number;
  evaluateMs: number;
  firstCallMs: number;
  functions: number;
}

function probe(outDir: string, mode: "bundle" | "baseline"): ProbeOutput {
  const output = execFileSync(process.execPath, [join(__dirname, "startup-probe.js"), outDir, mode, DATASET_PATH], { encoding: "utf8" });
  return JSON.parse(output.trim()) as ProbeOutput;
}

export interface ProductionBuild {
  build: AddinBuild;
  buildMs: number;
}

/** Builds the add-in for production into a temporary folder (the caller removes `build.outDir`). */
export async function makeProductionBuild(): Promise<ProductionBuild> {
  const buildStart = Date.now();
  const build = await buildAddin();
  return { build, buildMs: Date.now() - buildStart };
}

export function runStartupBenchmark({ build, buildMs }: ProductionBuild, options: { samples: number }): StartupResult {
  const releases = readdirSync(join(build.outDir, "data/releases"));
  if (releases.length === 0) throw new Error("startup: the build published no release text under data/releases/");
  const sizes = {
    "functions.js": sizeOf(join(build.outDir, "functions.js")),
    "taskpane.js": sizeOf(join(build.outDir, "taskpane.js")),
    "formula-engine.js": sizeOf(join(build.outDir, "formula-engine.js")),
    "link-workbook.js": sizeOf(join(build.outDir, "link-workbook.js")),
    "release text": sizeOf(join(build.outDir, "data/releases", releases[0] as string)),
    "dataset.json": sizeOf(DATASET_PATH),
  };
  // One discarded run of each warms the file cache.
  probe(build.outDir, "bundle");
  probe(build.outDir, "baseline");
  const bundleRuns: ProbeOutput[] = [];
  const baselineRuns: number[] = [];
  for (let i = 0; i < options.samples; i++) {
    bundleRuns.push(probe(build.outDir, "bundle"));
    baselineRuns.push(probe(build.outDir, "baseline").totalMs);
  }
  const loadToFirstResult = summarise(bundleRuns.map((run) => run.totalMs));
  const parseDatasetOnly = summarise(baselineRuns);
  const medianOf = (key: "readMs" | "evaluateMs" | "firstCallMs"): number => summarise(bundleRuns.map((run) => run[key])).medianMs;
  return {
    buildMs,
    sizes,
    loadToFirstResult,
    phases: { readMs: medianOf("readMs"), evaluateMs: medianOf("evaluateMs"), firstCallMs: medianOf("firstCallMs") },
    parseDatasetOnly,
    ratio: loadToFirstResult.medianMs / parseDatasetOnly.medianMs,
    functionsRegistered: bundleRuns[0]?.functions ?? 0,
  };
}
