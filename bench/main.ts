/**
 * `npm run bench`: every benchmark of issue 6 §1 in one run, printed as a table and written to bench/results.json
 * with the machine it ran on. Each figure is a ratio against a baseline measured in the same run where one
 * exists. Medians of several samples after warm-up runs; "spread" is (max − min) / median.
 *
 *   npm run bench                 everything (about 2–3 minutes on 2 cores)
 *   npm run bench -- --quick      fewer samples, for trying the program out (results.json is not written)
 */
import { execFileSync } from "child_process";
import { cpus, platform, release, totalmem } from "os";
import { join } from "path";
import { readFileSync, rmSync, writeFileSync } from "fs";
import { readShippedDataset, shippedIndex, PROJECT_ROOT } from "./dataset";
import { runFloorBenchmark, type FloorResult } from "./floor-benchmark";
import { runIngestBenchmark, type IngestResult } from "./ingest-benchmark";
import { runMemoryBenchmark, type MemoryResult } from "./memory-benchmark";
import { runModelBenchmark, type ModelResult } from "./model-benchmark";
import { runRecalcScaleBenchmark, type ScaleCase } from "./recalc-scale-benchmark";
import { runRefreshBenchmark, type RecalcCase, type RefreshResult } from "./refresh-benchmark";
import { RETROFIT_GOAL_MS, runRetrofitBenchmark, type RetrofitResult } from "./retrofit-benchmark";
import { makeProductionBuild, runStartupBenchmark, type StartupResult } from "./startup-benchmark";
import { FRAME_MS, runTaskpaneBenchmark, SEARCH_QUERIES, type TaskpaneResult } from "./taskpane-benchmark";
import { sunkCount } from "./measure";

const RESULTS_FILE = join(__dirname, "results.json");

interface Row {
  benchmark: string;
  result: string;
  baseline: string;
  ratio: number | null;
  goal: string;
  /** true/false against the goal; null where there is no goal or nothing was measured. */
  met: boolean | null;
}

function machine(): Record<string, string | number> {
  const list = cpus();
  const version = (name: string): string =>
    (JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: PROJECT_ROOT, encoding: "utf8" }).trim();
  } catch {
    // Not a git checkout: leave "unknown".
  }
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    hyperformula: version("hyperformula"),
    webpack: version("webpack"),
    commit,
  };
}

const ms = (value: number): string => (value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`);
const ns = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(2)} µs` : `${value.toFixed(1)} ns`);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const spread = (value: number): string => `±${(value * 50).toFixed(0)}%`;

interface Results {
  model: ModelResult;
  floor: FloorResult;
  startup: StartupResult;
  ingest: IngestResult;
  memory: MemoryResult;
  taskpane: TaskpaneResult;
  refresh: RefreshResult;
  scale: ScaleCase[];
  retrofit: RetrofitResult;
}

/** 100,000 formulas recalculated within this (issue 15 §10). */
const SCALE_GOAL_MS = 10_000;

function rows(results: Results): Row[] {
  const { model, floor, startup, ingest, memory, taskpane, refresh, scale, retrofit } = results;
  const { template, largeModel } = refresh;
  const recalcRatio = model.recalc.QFIN.medianMs / model.recalc["INDEX/MATCH"].medianMs;
  const xlookupRatio = model.recalc.QFIN.medianMs / model.recalc.XLOOKUP.medianMs;
  const buildRatio = model.build.QFIN.medianMs / model.build["INDEX/MATCH"].medianMs;
  const functionsGzip = startup.sizes["functions.js"].gzipBytes;
  const taskpaneGzip = startup.sizes["taskpane.js"].gzipBytes;
  const table: Row[] = [
    {
      benchmark: `Model: recalc ${model.formulas.toLocaleString("en-US")} formulas (HyperFormula), QFIN vs INDEX/MATCH`,
      result: `${ms(model.recalc.QFIN.medianMs)} ${spread(model.recalc.QFIN.spread)}`,
      baseline: `${ms(model.recalc["INDEX/MATCH"].medianMs)} ${spread(model.recalc["INDEX/MATCH"].spread)}`,
      ratio: recalcRatio,
      goal: "≤ 1.0",
      met: recalcRatio <= 1,
    },
    {
      benchmark: "Model: recalc, QFIN vs XLOOKUP",
      result: ms(model.recalc.QFIN.medianMs),
      baseline: `${ms(model.recalc.XLOOKUP.medianMs)} ${spread(model.recalc.XLOOKUP.spread)}`,
      ratio: xlookupRatio,
      goal: "≤ 1.0",
      met: xlookupRatio <= 1,
    },
    {
      benchmark: "Model: open (parse + first calc), QFIN vs INDEX/MATCH",
      result: `${ms(model.build.QFIN.medianMs)} ${spread(model.build.QFIN.spread)}`,
      baseline: `${ms(model.build["INDEX/MATCH"].medianMs)} ${spread(model.build["INDEX/MATCH"].spread)}`,
      ratio: buildRatio,
      goal: "≤ 1.0",
      met: buildRatio <= 1,
    },
    {
      benchmark: "Floor: one QFIN.METRIC via invoke() vs Map.get",
      result: `${ns(floor.invoke.medianNs)} ${spread(floor.invoke.spread)}`,
      baseline: `${ns(floor.mapGet.medianNs)} ${spread(floor.mapGet.spread)}`,
      ratio: floor.ratio,
      goal: "≤ 3×",
      met: floor.ratio <= 3,
    },
    {
      benchmark: `First call of each distinct METRIC question, fresh index, code compiled (${floor.queries} questions)`,
      result: `${ns(floor.uncached.medianNs)} ${spread(floor.uncached.spread)}`,
      baseline: `first pass, code compiling: ${ns(floor.uncachedColdNs)}`,
      ratio: null,
      goal: "≤ 2 µs",
      met: floor.uncached.medianNs <= 2000,
    },
    {
      benchmark: "Start-up: load functions.js + first METRIC (Node, host stubbed)",
      result: `${ms(startup.loadToFirstResult.medianMs)} ${spread(startup.loadToFirstResult.spread)}`,
      baseline: `JSON.parse(dataset.json) ${ms(startup.parseDatasetOnly.medianMs)}`,
      ratio: startup.ratio,
      goal: "—",
      met: null,
    },
    {
      benchmark: "Bundle: functions.js (with embedded dataset), gzip",
      result: `${kb(functionsGzip)} (raw ${kb(startup.sizes["functions.js"].rawBytes)})`,
      baseline: `dataset.json gzip ${kb(startup.sizes["dataset.json"].gzipBytes)}`,
      ratio: functionsGzip / startup.sizes["dataset.json"].gzipBytes,
      goal: "≤ 150 KB gzip",
      met: functionsGzip <= 150 * 1024,
    },
    {
      benchmark: "Bundle: taskpane.js, gzip",
      result: `${kb(taskpaneGzip)} (raw ${kb(startup.sizes["taskpane.js"].rawBytes)})`,
      baseline: "—",
      ratio: null,
      goal: "≤ 135 KB gzip (aim 100 KB)",
      met: taskpaneGzip <= 135 * 1024,
    },
    {
      benchmark: "Bundle: formula-engine.js (the workbench's, loaded on first use), gzip",
      result: `${kb(startup.sizes["formula-engine.js"].gzipBytes)} (raw ${kb(startup.sizes["formula-engine.js"].rawBytes)})`,
      baseline: `release text (fetched on first trace) gzip ${kb(startup.sizes["release text"].gzipBytes)}`,
      ratio: null,
      goal: "—",
      met: null,
    },
    {
      benchmark: "Bundle: link-workbook.js (Link this workbook's, loaded on first use), gzip",
      result: `${kb(startup.sizes["link-workbook.js"].gzipBytes)} (raw ${kb(startup.sizes["link-workbook.js"].rawBytes)})`,
      baseline: "—",
      ratio: null,
      goal: "—",
      met: null,
    },
    {
      benchmark: "Ingest: the release → validated dataset",
      result: `${ms(ingest.once.medianMs)} ${spread(ingest.once.spread)}`,
      baseline: "—",
      ratio: null,
      goal: "—",
      met: null,
    },
    ...ingest.sequences.map((sequence) => ({
      benchmark: `Ingest: ${sequence.releases} release${sequence.releases === 1 ? "" : "s"} in sequence (same release repeated)`,
      result: `${ms(sequence.timing.medianMs)} (${ms(sequence.perRelease)} each)`,
      baseline: `${sequence.releases} × one ingest`,
      ratio: sequence.growth,
      goal: "≈ 1.0 (linear)",
      met: null,
    })),
    {
      benchmark: "Memory: heap held by the loaded dataset + index",
      result: kb(memory.heldBytes),
      baseline: `dataset.json ${kb(memory.datasetFileBytes)}`,
      ratio: memory.ratio,
      goal: "—",
      met: null,
    },
    {
      benchmark: "Taskpane: time to ready, first open (headless Chromium)",
      result: `${ms(taskpane.ready.medianMs)} ${spread(taskpane.ready.spread)}`,
      baseline: `blank page load ${ms(taskpane.blankPage.medianMs)} ${spread(taskpane.blankPage.spread)}`,
      ratio: taskpane.readyRatio,
      goal: "—",
      met: null,
    },
    {
      benchmark: `Taskpane: per-keystroke search over the dataset (${taskpane.keystrokes} keys)`,
      result: `${ms(taskpane.work.medianMs)} (p95 ${ms(taskpane.work.p95Ms)}, max ${ms(taskpane.work.maxMs)})`,
      baseline: `one frame (${FRAME_MS} ms)`,
      ratio: taskpane.work.p95Ms / FRAME_MS,
      goal: `p95 ≤ ${FRAME_MS} ms`,
      met: taskpane.work.p95Ms <= FRAME_MS,
    },
    {
      benchmark: `Refresh: recalc the model template (${template.qfinFormulas} QFIN formulas) after a dataset swap`,
      result: `${ms(template.afterSwap.medianMs)} ${spread(template.afterSwap.spread)}`,
      baseline: `no-change recalc ${ms(template.unchanged.medianMs)} ${spread(template.unchanged.spread)}`,
      ratio: template.ratio,
      goal: "—",
      met: null,
    },
    {
      benchmark: `Refresh: recalc a ${largeModel.qfinFormulas.toLocaleString("en-US")}-formula model after a dataset swap`,
      result: `${ms(largeModel.afterSwap.medianMs)} ${spread(largeModel.afterSwap.spread)}`,
      baseline: `no-change recalc ${ms(largeModel.unchanged.medianMs)} ${spread(largeModel.unchanged.spread)}`,
      ratio: largeModel.ratio,
      goal: "—",
      met: null,
    },
    ...scale.map((entry): Row => {
      const smallest = scale[0] as ScaleCase;
      const linear = smallest.msPerThousand * (entry.formulas / 1000);
      const goal = entry.formulas === 100_000;
      return {
        benchmark: `Recalc at scale: ${entry.formulas.toLocaleString("en-US")} QFIN formulas (+ sums), every value rewritten`,
        result: `${ms(entry.timing.medianMs)} ${spread(entry.timing.spread)} (${ms(entry.msPerThousand)} per 1,000)`,
        baseline: `linear from ${smallest.formulas.toLocaleString("en-US")}: ${ms(linear)}`,
        ratio: entry.timing.medianMs / linear,
        goal: goal ? `≤ ${SCALE_GOAL_MS / 1000} s; ≈ 1.0 (linear)` : "≈ 1.0 (linear)",
        met: goal ? entry.timing.medianMs <= SCALE_GOAL_MS : null,
      };
    }),
    {
      benchmark: `Retrofit: link a ${retrofit.numbers.toLocaleString("en-US")}-number model (${retrofit.cells.toLocaleString("en-US")} cells), vs reading it`,
      result: `${ms(retrofit.retrofit.medianMs)} ${spread(retrofit.retrofit.spread)}`,
      baseline: `read every cell ${ms(retrofit.read.medianMs)} ${spread(retrofit.read.spread)}`,
      ratio: retrofit.ratio,
      goal: `≤ ${RETROFIT_GOAL_MS / 1000} s`,
      met: retrofit.retrofit.medianMs <= RETROFIT_GOAL_MS,
    },
  ];
  return table;
}

function recalcSummary(recalc: RecalcCase): string {
  return `${recalc.changedBySwap.toLocaleString("en-US")} of ${recalc.recalculated.toLocaleString("en-US")} recalculated cells changed, error cells ${recalc.errorsBeforeSwap} before / ${recalc.errorsAfterSwap} after the swap, package read + write alone ${ms(recalc.packageOnly.medianMs)}`;
}

function printTable(table: Row[]): void {
  const cells = table.map((row) => [
    row.benchmark,
    row.result,
    row.baseline,
    row.ratio === null ? "—" : row.ratio.toFixed(row.ratio >= 10 ? 0 : 2),
    row.goal,
    row.met === null ? "" : row.met ? "met" : "NOT MET",
  ]);
  const header = ["benchmark", "result", "baseline", "ratio", "goal", ""];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => (row[column] as string).length)));
  const line = (values: string[]): string => `| ${values.map((value, column) => value.padEnd(widths[column] as number)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of cells) console.log(line(row));
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const started = Date.now();
  const step = (name: string): void => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${name}`);
  const about = machine();
  step(`machine: ${about.cpu}, ${about.cores} cores, Node ${about.node}`);

  const { index } = shippedIndex();
  step("floor: invoke vs Map.get");
  const floor = runFloorBenchmark(index, { iterations: quick ? 20_000 : 100_000, samples: quick ? 3 : 9, profile: true });
  step("model: 10,000 formulas in HyperFormula (verifying both models agree first)");
  const model = runModelBenchmark(index, { buildSamples: quick ? 1 : 3, recalcSamples: quick ? 2 : 5 });
  step("ingest");
  const ingest = runIngestBenchmark({ samples: quick ? 3 : 7, counts: [1, 2, 4, 8] });
  step("memory (fresh processes)");
  const memory = runMemoryBenchmark({ samples: quick ? 1 : 3 });
  step("refresh: recalc after a dataset swap (template, 5,000-formula model)");
  const refresh = await runRefreshBenchmark({ samples: quick ? 2 : 7 });
  step("recalc at scale: 10,000, 50,000 and 100,000 QFIN formulas");
  const scale = await runRecalcScaleBenchmark(index, { samples: quick ? 1 : 3 });
  step("retrofit: link a 10,000-number analyst model");
  const retrofit = await runRetrofitBenchmark(readShippedDataset(), { samples: quick ? 2 : 7 });
  step("start-up: production build, then fresh processes");
  const production = await makeProductionBuild();
  let startup: StartupResult;
  let taskpane: TaskpaneResult;
  try {
    startup = runStartupBenchmark(production, { samples: quick ? 2 : 7 });
    step("taskpane: the same build in headless Chromium");
    taskpane = await runTaskpaneBenchmark(production.build.outDir, { readySamples: quick ? 2 : 7, searchRounds: quick ? 1 : 3 });
  } finally {
    rmSync(production.build.outDir, { recursive: true, force: true });
  }

  about.chromium = taskpane.browserVersion;

  const table = rows({ model, floor, startup, ingest, memory, taskpane, refresh, scale, retrofit });
  console.log("");
  printTable(table);
  console.log(`\nMachine: ${about.cpu}, ${about.cores} cores, ${about.memoryGiB} GiB, ${about.os}, Node ${about.node}, HyperFormula ${about.hyperformula}, Chromium ${about.chromium} (headless).`);
  console.log(
    `Model: ${model.formulas} formulas (${Object.entries(model.mix).map(([kind, count]) => `${count} ${kind}`).join(", ")}), ${model.distinctFigures} distinct figures; ` +
      `all ${model.agreement["INDEX/MATCH"].cells} cells equal in the three workbooks (${model.agreement["INDEX/MATCH"].exactlyEqual} bit-identical).`,
  );
  console.log(
    `Taskpane: ${taskpane.keystrokes} real key presses typing ${SEARCH_QUERIES.map((query) => `"${query}"`).join(", ")}; keydown → results laid out ` +
      `(keydown → next frame: median ${ms(taskpane.toNextFrame.medianMs)}, p95 ${ms(taskpane.toNextFrame.p95Ms)}); ${taskpane.overFrame} over one frame. ` +
      `Ready phases (median): HTML received ${ms(taskpane.phases.responseEndMs)}, DOMContentLoaded ${ms(taskpane.phases.domContentLoadedMs)}.`,
  );
  console.log(
    `Refresh: swap to Q2 + next-quarter dataset (buildIndex) ${ms(refresh.swap.medianMs)}; template ${recalcSummary(refresh.template)}; ` +
      `${refresh.largeModel.qfinFormulas.toLocaleString("en-US")}-formula model (${refresh.largeModel.sheets} sheets + ${refresh.largeModel.dependentFormulas} dependent formulas) ${recalcSummary(refresh.largeModel)}.`,
  );
  console.log(
    `Retrofit: ${retrofit.numbers.toLocaleString("en-US")} typed numbers on 4 sheets (${(retrofit.fileBytes / 1024).toFixed(0)} KB): ` +
      `${retrofit.linked.toLocaleString("en-US")} linked, ${retrofit.notLinked.toLocaleString("en-US")} candidates left alone, ` +
      `${(retrofit.numbers - retrofit.candidates).toLocaleString("en-US")} no candidates; every link checked by the engine.`,
  );
  if (floor.profile && floor.ratio > 3) {
    console.log("\nWhere one invoke(\"METRIC\") spends its time (self time, V8 sampling profile):");
    for (const entry of floor.profile.slice(0, 10)) console.log(`  ${(entry.selfShare * 100).toFixed(1).padStart(5)}%  ${entry.function}`);
  }
  step(`done (sink ${sunkCount()})`);

  if (quick) return;
  const results = {
    generatedAt: new Date().toISOString(),
    machine: about,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    notes: [
      "Times are medians after warm-up; spread = (max - min) / median; ratios are result / baseline measured in the same run.",
      "Model: HyperFormula 3.5 (GPL-3.0, dev-only) with useColumnIndex, three workbooks from data/dataset.json, compared cell by cell before timing. Recalc = every item-name cell retyped (upper case <-> original), which recalculates all 10,000 formulas. Open = buildFromSheets; the test plugin sizes each QFIN call by calling it once at parse time, so QFIN's open includes two calls per formula.",
      "Ingest of N releases repeats the one release N times: multi-release datasets do not exist yet.",
      "Start-up runs functions.js in a fresh Node process with CustomFunctions stubbed; Excel's own start-up is not measured.",
      "Taskpane: the start-up step's production build served locally to headless Chromium (office.js from npm, standalone preview, no Office host). Ready = navigation start -> performance mark qfin:pane-ready, each sample a fresh browser context (cold HTTP cache); baseline = a blank page through the same server, navigation start -> load event end.",
      "Taskpane search: real key presses typed one character at a time from an empty field; measured in the page from a capturing keydown listener to the pane's input handler having replaced the result list plus a forced style/layout (getBoundingClientRect), i.e. the main-thread work before the frame can paint. Ratio = p95 / 16 ms.",
      "Recalc at scale: recalculateXlsx (read the package, parse, order, evaluate, splice, write) of generated workbooks of 5,000-row sheets x 10 QFIN columns (METRIC, MARGIN, GROWTH), a SUM under every column and a summary sheet of sums; no cached values, so every cell is rewritten. Baseline = the 10,000-formula time scaled linearly. Before issue 15 the same generator measured 47.6 s for 10,000 and 250 s for 20,000 formulas.",
      "Retrofit: retrofitXlsx of a 10,000-number workbook built with exceljs (4 sheets in RMB m, RMB bn, US$ m and RMB'000; 125 lines x 20 period columns: release lines in the analyst's words, unknown lines, assumptions, periods the data lacks, estimates), a fresh index per sample; baseline = opening the same package and reading every sheet's cells.",
      "Refresh: recalculateXlsx of a file saved under the shipped dataset after indexing the shipped dataset merged with test/support nextQuarterRelease()); the swap runs untimed before each sample (fresh index, cold memos). Baseline = the same recalculation with no dataset change (warm memos, nothing rewritten). The synthetic next quarter repeats Q2's figures as Q3, so only latest-1 (Q1 -> Q2) and QoQ cells change.",
    ],
    table,
    details: { model, floor, startup, ingest, memory, taskpane, refresh, scale, retrofit },
  };
  writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + "\n");
  console.log(`\nWrote ${RESULTS_FILE}.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
