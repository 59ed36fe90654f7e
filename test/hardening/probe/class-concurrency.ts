/**
 * Class (g): concurrency, with real `qfin` processes (bin/qfin.js, the compiled lib/) on one dataset:
 * - two `ingest --into` of different releases (Q3 and Q4) started together;
 * - N `ingest --into` of the same release started together;
 * - a lock holder SIGKILLed, then an ingest (it must take the lock over, and say so).
 *
 * Per trial: *data loss* = a release missing from the dataset although its ingest said "Added release", or a dataset
 * the loader refuses afterwards; *wrong data accepted* = a release reported added more than once, or present twice;
 * *hang* = a trial over its budget. Every process must exit 0 or 1 with a sentence (no stack trace), and no .lock,
 * .break or .tmp file may be left.
 */
import type { ChildProcess } from "child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadDataset } from "../../../src/core/load-dataset";
import { lockHolder as holdLock, qfinProcess, type QfinRun } from "../../support/qfin-process";
import { Tally, type ClassResult } from "./tally";

export const TRIAL_BUDGET_MS = 60_000;

const qfin = (root: string, args: string[], cwd: string): Promise<QfinRun> => qfinProcess(root, args, cwd);
const lockHolder = (root: string, target: string): Promise<ChildProcess> => holdLock(root, target, "the probe's lock holder");

export interface ConcurrencyProbeOptions {
  root: string;
  /** The first release's text and the two later ones (made from it). */
  release: string;
  q3Text: string;
  q4Text: string;
  pairs: number;
  /** How many runs of `crowd` same-release ingests. */
  crowds: number;
  crowd: number;
  kills: number;
  seed: number;
}

export async function probeConcurrency(options: ConcurrencyProbeOptions): Promise<ClassResult> {
  const { root } = options;
  const tally = new Tally("concurrency", "real qfin ingest --into processes on one dataset at once: pairs of different releases, crowds of the same release, a killed lock holder", TRIAL_BUDGET_MS, options.seed);
  const work = mkdtempSync(join(tmpdir(), "qfin-probe-concurrency-"));
  let processes = 0;
  try {
    const q3 = join(work, "q3.txt");
    const q4 = join(work, "q4.txt");
    writeFileSync(q3, options.q3Text);
    writeFileSync(q4, options.q4Text);
    const base = join(work, "base.json");
    const first = await qfin(root, ["ingest", options.release, "--out", base], work);
    if (first.status !== 0) throw new Error(`the base dataset could not be made: ${first.stderr}`);
    const releasesIn = (path: string): string[] | null => {
      try {
        return loadDataset(JSON.parse(readFileSync(path, "utf8"))).releases.map((release) => release.id);
      } catch {
        return null;
      }
    };
    const leftovers = (): string[] => readdirSync(work).filter((name) => /\.(lock|tmp|break)$/.test(name));
    const sentences = (description: string, runs: QfinRun[]): void => {
      for (const run of runs) {
        if (run.status !== 0 && run.status !== 1) tally.fail("other", `${description}: a process exited ${run.status}`);
        if (/\n\s+at /.test(run.stderr)) tally.fail("other", `${description}: a stack trace: ${run.stderr.slice(0, 200)}`);
      }
      const left = leftovers();
      if (left.length > 0) tally.fail("other", `${description}: left ${left.join(", ")}`);
    };

    for (let trial = 1; trial <= options.pairs; trial++) {
      const dataset = join(work, `pair-${trial}.json`);
      copyFileSync(base, dataset);
      const description = `pair ${trial}: Q3 and Q4 into one dataset at once`;
      const started = performance.now();
      const runs = await Promise.all([qfin(root, ["ingest", q3, "--into", dataset], work), qfin(root, ["ingest", q4, "--into", dataset], work)]);
      processes += 2;
      const releases = releasesIn(dataset);
      tally.record("two releases at once", description, "answered", performance.now() - started);
      sentences(description, runs);
      if (releases === null) tally.fail("dataLoss", `${description}: the dataset no longer loads`);
      else {
        for (const [run, id] of [[runs[0], "2023Q3"], [runs[1], "2023Q4"]] as const) {
          if (run?.stdout.startsWith(`Added release ${id}`) && !releases.includes(id)) tally.fail("dataLoss", `${description}: ${id} was reported added, and is not in the dataset (${releases.join(", ")})`);
          if (run?.status !== 0) tally.fail("other", `${description}: the ${id} ingest failed: ${run?.stderr.slice(0, 200)}`);
        }
        if (new Set(releases).size !== releases.length) tally.fail("wrongDataAccepted", `${description}: a release twice: ${releases.join(", ")}`);
      }
      rmSync(dataset, { force: true });
    }

    for (let trial = 1; trial <= options.crowds; trial++) {
      const dataset = join(work, `crowd-${trial}.json`);
      copyFileSync(base, dataset);
      const description = `crowd ${trial}: ${options.crowd} ingests of Q3 at once`;
      const started = performance.now();
      const runs = await Promise.all(Array.from({ length: options.crowd }, () => qfin(root, ["ingest", q3, "--into", dataset], work)));
      processes += options.crowd;
      const added = runs.filter((run) => run.status === 0 && run.stdout.startsWith("Added release 2023Q3"));
      const releases = releasesIn(dataset);
      tally.record("same release at once", description, "answered", performance.now() - started);
      sentences(description, runs);
      if (added.length > 1) tally.fail("wrongDataAccepted", `${description}: ${added.length} processes reported adding it`);
      if (added.length === 0) tally.fail("other", `${description}: none added it`);
      const told = runs.filter((run) => run.status === 1 && /is already in the dataset; nothing to add/.test(run.stderr)).length;
      if (told !== options.crowd - added.length) tally.fail("other", `${description}: ${options.crowd - added.length - told} refused for another reason`);
      if (releases === null) tally.fail("dataLoss", `${description}: the dataset no longer loads`);
      else if (releases.filter((id) => id === "2023Q3").length !== 1) tally.fail(releases.includes("2023Q3") ? "wrongDataAccepted" : "dataLoss", `${description}: the dataset holds ${releases.join(", ")}`);
      rmSync(dataset, { force: true });
    }

    for (let trial = 1; trial <= options.kills; trial++) {
      const dataset = join(work, `killed-${trial}.json`);
      copyFileSync(base, dataset);
      const description = `kill ${trial}: a lock holder SIGKILLed, then an ingest`;
      const started = performance.now();
      const holder = await lockHolder(root, dataset);
      const exited = new Promise((resolve) => holder.on("exit", resolve));
      holder.kill("SIGKILL");
      await exited;
      const run = await qfin(root, ["ingest", q3, "--into", dataset], work);
      processes += 2;
      tally.record("killed lock holder", description, "answered", performance.now() - started);
      sentences(description, [run]);
      if (run.status !== 0 || !run.stderr.includes(`took over the lock`) || !run.stderr.includes(`(pid ${holder.pid})`)) tally.fail("other", `${description}: ${run.status} ${run.stderr.slice(0, 200)}`);
      if (!(releasesIn(dataset) ?? []).includes("2023Q3")) tally.fail("dataLoss", `${description}: Q3 is not in the dataset`);
      rmSync(dataset, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  tally.note(`${processes} qfin processes in all (inputs are trials); every one must exit 0 or 1 with a sentence.`);
  return tally.finish();
}
