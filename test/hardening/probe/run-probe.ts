/**
 * `npm run probe`: issue 15's hostile-input probe, measured. Fires every class (classes.ts, FULL sizes; `--slice` for
 * the jest sizes) each in a child process of its own watched for progress — a class that stops reporting for two
 * minutes is killed and counted as a hang, so even a real hang cannot stall the probe — then prints the table and
 * writes test/hardening/probe/results.json.
 *
 *   npm run probe                        # the full probe (about 7 minutes on a 2-core machine)
 *   npm run probe -- --only release,writes --slice --out /tmp/probe.json
 *
 * Before it starts it compiles lib/ (the `qfin` command's processes run it) and makes (or reuses) the production
 * build of the add-in whose functions.js the functions class calls.
 */
import { execFileSync, spawn } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { cpus, tmpdir, totalmem, type as osType, release as osRelease } from "os";
import { join } from "path";
import { sharedProductionBuild } from "../../browser/support/shared-build";
import { PROJECT_ROOT } from "../../support/release";
import { FULL, PROBE_SEED, SLICE, runClass, type ProbeSizes } from "./classes";
import { PROBE_CLASSES, type ClassResult, type ProbeClass } from "./tally";

const RESULTS = join(__dirname, "results.json");
/** A class that reports no progress for this long is killed and counted as hung. */
const WATCHDOG_MS = 120_000;

interface Arguments {
  only: ProbeClass[];
  sizes: ProbeSizes;
  slice: boolean;
  seed: number;
  out: string;
  /** Child mode: run this one class and write its result to `out`. */
  child: ProbeClass | null;
  buildDir: string | null;
}

function parseArguments(argv: readonly string[]): Arguments {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const only = (value("--only")?.split(",") ?? [...PROBE_CLASSES]) as ProbeClass[];
  for (const name of only) if (!PROBE_CLASSES.includes(name)) throw new Error(`unknown class ${name}; the classes are ${PROBE_CLASSES.join(", ")}`);
  const slice = argv.includes("--slice");
  return {
    only,
    slice,
    sizes: slice ? SLICE : FULL,
    seed: Number(value("--seed") ?? PROBE_SEED),
    out: value("--out") ?? RESULTS,
    child: (value("--class") as ProbeClass | undefined) ?? null,
    buildDir: value("--build") ?? null,
  };
}

/** Child mode: one class, with a heartbeat on stdout while it runs. */
async function runChild(args: Arguments): Promise<void> {
  const which = args.child as ProbeClass;
  const heartbeat = setInterval(() => process.stdout.write("alive\n"), 2_000);
  try {
    const result = await runClass(which, args.sizes, args.seed, { buildDir: args.buildDir ?? undefined });
    writeFileSync(args.out, JSON.stringify(result));
  } finally {
    clearInterval(heartbeat);
  }
}

/** Runs a class in a child process; kills it and reports a hang if it goes silent. */
function runWatched(which: ProbeClass, args: Arguments, buildDir: string): Promise<ClassResult> {
  const scratch = mkdtempSync(join(tmpdir(), "qfin-probe-class-"));
  const out = join(scratch, "result.json");
  const childArgs = [join(__dirname, "run.js"), "--class", which, "--seed", String(args.seed), "--out", out, "--build", buildDir, ...(args.slice ? ["--slice"] : [])];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--max-old-space-size=4096", ...childArgs], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let last = Date.now();
    let stderr = "";
    let hung = false;
    child.stdout.on("data", () => (last = Date.now()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      last = Date.now();
    });
    const watchdog = setInterval(() => {
      if (Date.now() - last < WATCHDOG_MS) return;
      hung = true;
      child.kill("SIGKILL");
    }, 5_000);
    child.on("close", (code) => {
      clearInterval(watchdog);
      try {
        if (hung) {
          resolve(hungResult(which, args.seed, Date.now() - started, stderr));
          return;
        }
        if (code !== 0) throw new Error(`the ${which} class exited ${code}:\n${stderr}`);
        resolve(JSON.parse(readFileSync(out, "utf8")) as ClassResult);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
}

function hungResult(which: ProbeClass, seed: number, elapsedMs: number, stderr: string): ClassResult {
  return {
    class: which,
    what: "killed by the watchdog",
    inputs: 0,
    refused: 0,
    answered: 0,
    dataLoss: 0,
    wrongDataAccepted: 0,
    hangs: 1,
    otherFailures: 0,
    budgetMs: WATCHDOG_MS,
    slowestMs: elapsedMs,
    slowest: "",
    elapsedMs,
    seed,
    kinds: {},
    examples: [`[hang] the class reported no progress for ${WATCHDOG_MS / 1000} s and was killed. ${stderr.slice(-500)}`],
    notes: [],
  };
}

const number = (n: number): string => n.toLocaleString("en-US");
const seconds = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** The table, as Markdown. */
function renderTable(results: readonly ClassResult[]): string {
  const rows = [
    "| class | inputs tried | refused | answered | data loss | wrong data accepted | hangs (budget per input) | other failures | slowest input | wall time |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.map(
      (result) =>
        `| ${result.class} | ${number(result.inputs)} | ${number(result.refused)} | ${number(result.answered)} | ${result.dataLoss} | ${result.wrongDataAccepted} | ${result.hangs} (${seconds(result.budgetMs)}) | ${result.otherFailures} | ${seconds(result.slowestMs)} | ${seconds(result.elapsedMs)} |`,
    ),
  ];
  const total = (key: "inputs" | "refused" | "answered" | "dataLoss" | "wrongDataAccepted" | "hangs" | "otherFailures"): number => results.reduce((sum, result) => sum + result[key], 0);
  rows.push(`| **all** | **${number(total("inputs"))}** | ${number(total("refused"))} | ${number(total("answered"))} | **${total("dataLoss")}** | **${total("wrongDataAccepted")}** | **${total("hangs")}** | **${total("otherFailures")}** | | |`);
  return rows.join("\n");
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  if (args.child) return runChild(args);
  const started = Date.now();
  console.log(`Hostile-input probe (issue 15): ${args.slice ? "slice" : "full"} sizes, seed ${args.seed}, classes ${args.only.join(", ")}.`);
  console.log("Compiling lib/ (the qfin processes run it)…");
  execFileSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(PROJECT_ROOT, "tsconfig.build.json")], { cwd: PROJECT_ROOT, stdio: "inherit" });
  console.log("Production build of the add-in (reused while the sources are unchanged)…");
  const buildDir = await sharedProductionBuild();
  const results: ClassResult[] = [];
  for (const which of args.only) {
    process.stdout.write(`  ${which}… `);
    const result = await runWatched(which, args, buildDir);
    results.push(result);
    console.log(`${number(result.inputs)} inputs, ${result.dataLoss} data loss, ${result.wrongDataAccepted} wrong data accepted, ${result.hangs} hangs, ${result.otherFailures} other (${seconds(result.elapsedMs)})`);
    for (const example of result.examples.slice(0, 5)) console.log(`      ${example.slice(0, 300)}`);
  }
  const commit = (() => {
    try {
      return execFileSync("git", ["rev-parse", "HEAD"], { cwd: PROJECT_ROOT, encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  const report = {
    probe: "issue 15 hostile-input probe (test/hardening/probe)",
    date: new Date().toISOString(),
    commit,
    sizes: args.slice ? "slice" : "full",
    seed: args.seed,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "?", memoryGB: Math.round(totalmem() / 2 ** 30), os: `${osType()} ${osRelease()}`, node: process.version },
    wallTimeMs: Date.now() - started,
    table: renderTable(results),
    classes: results,
  };
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${report.table}\n\nWrote ${args.out} (${seconds(report.wallTimeMs)}).`);
  const failures = results.reduce((sum, result) => sum + result.dataLoss + result.wrongDataAccepted + result.hangs + result.otherFailures, 0);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
