/**
 * Several `qfin ingest --into` on one dataset at once, as real processes: none loses another's release, a release is
 * added once however many add it, a lock left by a killed process is taken over (and said so), and a lock held too
 * long is reported as busy with who holds it. The lock rules themselves are tested in-process at the end.
 */
import { execFileSync, type ChildProcess } from "child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { FileWriteError, writeFileAtomic } from "../../src/cli/atomic-file";
import { FileLock, LockBusyError } from "../../src/cli/file-lock";
import { loadDataset } from "../../src/core/load-dataset";
import { lockHolder as holdLock, qfinProcess, type QfinRun } from "../support/qfin-process";
import { fourthQuarterRelease, nextQuarterRelease } from "../support/release";

const ROOT = join(__dirname, "..", "..");
let work: string;
let base: string;
let q3: string;
let q4: string;

const qfin = (args: string[]): Promise<QfinRun> => qfinProcess(ROOT, args, work);
const lockHolder = (target: string): Promise<ChildProcess> => holdLock(ROOT, target, "a test's lock holder");

const kill = async (child: ChildProcess, signal: NodeJS.Signals): Promise<void> => {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill(signal);
  await exited;
};

const releasesIn = (path: string): string[] => loadDataset(JSON.parse(readFileSync(path, "utf8"))).releases.map((release) => release.id);
const leftovers = (): string[] => readdirSync(work).filter((name) => /\.(lock|tmp|break)$/.test(name));

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT });
  work = mkdtempSync(join(tmpdir(), "qfin-concurrent-"));
  base = join(work, "base.json");
  q3 = join(work, "q3.txt");
  q4 = join(work, "q4.txt");
  writeFileSync(q3, nextQuarterRelease());
  writeFileSync(q4, fourthQuarterRelease({ consistent: true }));
  const first = await qfin(["ingest", join(ROOT, "data", "releases", "qfin-2023q2-earnings-release.txt"), "--out", base]);
  expect(first.status).toBe(0);
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("concurrent ingests into one dataset (real processes)", () => {
  test("two ingests of different releases at once both land, in each of 5 trials", async () => {
    for (let trial = 1; trial <= 5; trial++) {
      const dataset = join(work, `two-${trial}.json`);
      copyFileSync(base, dataset);
      const [third, fourth] = await Promise.all([qfin(["ingest", q3, "--into", dataset]), qfin(["ingest", q4, "--into", dataset])]);
      expect([third.status, third.stderr, fourth.status, fourth.stderr]).toEqual([0, "", 0, ""]);
      expect(third.stdout).toMatch(/^Added release 2023Q3/);
      expect(fourth.stdout).toMatch(/^Added release 2023Q4/);
      expect(releasesIn(dataset)).toEqual(["2023Q2", "2023Q3", "2023Q4"]);
    }
    expect(leftovers()).toEqual([]);
  });

  test("20 ingests of the same release at once: exactly one adds it, the other 19 are told it is already there", async () => {
    const dataset = join(work, "twenty.json");
    copyFileSync(base, dataset);
    const runs = await Promise.all(Array.from({ length: 20 }, () => qfin(["ingest", q3, "--into", dataset])));
    const added = runs.filter((run) => run.status === 0);
    expect(added).toHaveLength(1);
    expect(added[0]?.stdout).toMatch(/^Added release 2023Q3/);
    const refused = runs.filter((run) => run.status !== 0);
    expect(refused.map((run) => run.status)).toEqual(Array(19).fill(1));
    for (const run of refused) expect(run.stderr).toMatch(/\[merge\] Release 2023Q3 \(.*q3\.txt\) is already in the dataset; nothing to add\.\ntwenty\.json was left as it was\.\n$/);
    expect(releasesIn(dataset)).toEqual(["2023Q2", "2023Q3"]);
    expect(leftovers()).toEqual([]);
  });

  test("a lock left by a holder that was killed (SIGKILL) is taken over, and the ingest says so", async () => {
    const dataset = join(work, "killed.json");
    copyFileSync(base, dataset);
    const holder = await lockHolder(dataset);
    await kill(holder, "SIGKILL");
    expect(leftovers()).toEqual(["killed.json.lock"]);

    const run = await qfin(["ingest", q3, "--into", dataset]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`qfin ingest: note: took over the lock killed.json.lock left by a test's lock holder (pid ${holder.pid}), which is no longer running.\n`);
    expect(releasesIn(dataset)).toEqual(["2023Q2", "2023Q3"]);
    expect(leftovers()).toEqual([]);
  });

  test("a lock held by a live process past --wait: exit 1, busy, naming the holder; the dataset untouched", async () => {
    const dataset = join(work, "busy.json");
    copyFileSync(base, dataset);
    const before = readFileSync(dataset);
    const holder = await lockHolder(dataset);
    try {
      const run = await qfin(["ingest", q3, "--into", dataset, "--wait", "1"]);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(
        new RegExp(
          `^qfin ingest: busy\\.json is busy: a test's lock holder \\(pid ${holder.pid}, for \\d+ s\\) is changing it; waited 1 s\\. ` +
            `Try again when it has finished \\(or wait longer with --wait SECONDS\\)\\. If no qfin is running, delete busy\\.json\\.lock\\.\\n$`,
        ),
      );
      expect(readFileSync(dataset).equals(before)).toBe(true);
    } finally {
      await kill(holder, "SIGTERM");
    }
  });
});

describe("the lock's rules (in-process)", () => {
  let dir: string;
  let target: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qfin-lock-"));
    target = join(dir, "dataset.json");
    writeFileSync(target, "the dataset");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("a second taker waits, then is busy; after release it gets the lock", () => {
    const first = FileLock.acquire(target, { waitMs: 0 });
    expect(() => FileLock.acquire(target, { waitMs: 100 })).toThrow(LockBusyError);
    first.release();
    const second = FileLock.acquire(target, { waitMs: 0 });
    expect(readdirSync(dir).sort()).toEqual(["dataset.json", "dataset.json.lock"]);
    second.release();
    expect(readdirSync(dir)).toEqual(["dataset.json"]);
  });

  test("a holder paused until its lock looked stale loses it, and its write is refused before the rename", () => {
    const paused = FileLock.acquire(target, { waitMs: 0 });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    const other = FileLock.acquire(target, { waitMs: 0, staleMs: 1 });
    expect(other.tookOver).toEqual([{ holder: expect.objectContaining({ pid: process.pid }), reason: "too old" }]);

    expect(() => writeFileAtomic(target, Buffer.from("a lost update"), { beforeReplace: () => paused.verify() })).toThrow(FileWriteError);
    expect(readFileSync(target, "utf8")).toBe("the dataset");
    paused.release(); // must not remove the lock it no longer holds
    expect(readdirSync(dir).sort()).toEqual(["dataset.json", "dataset.json.lock"]);
    other.release();
  });

  test("a lock file nobody finished writing is stale only after 10 s (its creator may be writing it now)", () => {
    writeFileSync(`${target}.lock`, "");
    expect(() => FileLock.acquire(target, { waitMs: 100 })).toThrow(/another process \(its lock file is being written\)/);
  });
});
