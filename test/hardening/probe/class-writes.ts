/**
 * Class (e): data loss — every way the project writes a user's file, on a faulty machine.
 *
 * - *injected*: `writeFileAtomic` (the one writer every command uses) with a fault injected into the file system calls
 *   it makes for its temporary file: short writes (a fraction of each request), a disk that fills at byte k, an errno
 *   thrown by the n-th write (ENOSPC, EDQUOT, EFBIG, EIO, EROFS, EACCES, EPERM, EINTR), a write that reports more than
 *   it wrote, fsync failing, the rename failing, the last check (`beforeReplace`, the lock) refusing;
 * - *commands*: the same faults under the real commands, in process — `qfin ingest --out` (new and existing file),
 *   `qfin ingest --into`, `qfin recalc` (in place and `--out`) and `qfin template --out`;
 * - *killed*: a writer process SIGKILLed at a random moment of a slowed write (so the kill lands inside the write
 *   window), and real `qfin ingest` processes SIGKILLed after a random delay;
 * - *full disk*: the real commands onto a 300 KB tmpfs (where this machine lets the probe mount one).
 *
 * Data loss = the target afterwards is neither exactly its old bytes (or absent, if it was new) nor exactly the new
 * bytes; or a write reported as failed that replaced the target, or one reported as done that did not. Also counted
 * as failures: a temporary file left behind by a failed write in process, or after the next write following a kill;
 * an error that is not a FileWriteError sentence; a file mode not kept.
 */
import { spawn, spawnSync } from "child_process";
import fs from "fs";
import { tmpdir } from "os";
import { join } from "path";
import fc from "fast-check";
import { FileWriteError, writeFileAtomic } from "../../../src/cli/atomic-file";
import { runQfin } from "../../../src/cli/main";
import { loadDataset } from "../../../src/core/load-dataset";
import { readZipPackage } from "../../../src/workbook/zip-package";
import { minimalXlsx, worksheet } from "../../support/xlsx-package";
import { Tally, yielder, type ClassResult } from "./tally";

export const WRITE_BUDGET_MS = 5_000;
/** A kill trial: the writer starts, is killed, the next write runs. */
export const KILL_BUDGET_MS = 30_000;

const TEMPORARY = /\.qfin\.\d+\.\d+\.tmp$/;

type Fault =
  | { kind: "none" }
  | { kind: "short writes"; fraction: number }
  | { kind: "disk fills"; at: number }
  | { kind: "errno on a write"; code: string; call: number }
  | { kind: "write over-reports"; fraction: number }
  | { kind: "fsync fails" }
  | { kind: "rename fails"; code: string }
  | { kind: "last check refuses" };

const faults: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: "none" }),
  fc.double({ min: 0.001, max: 0.999, noNaN: true }).map((fraction): Fault => ({ kind: "short writes", fraction })),
  fc.nat({ max: 400_000 }).map((at): Fault => ({ kind: "disk fills", at })),
  fc.tuple(fc.constantFrom("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS", "EACCES", "EPERM", "EINTR"), fc.nat({ max: 6 })).map(([code, call]): Fault => ({ kind: "errno on a write", code, call })),
  fc.double({ min: 0, max: 0.99, noNaN: true }).map((fraction): Fault => ({ kind: "write over-reports", fraction })),
  fc.constant<Fault>({ kind: "fsync fails" }),
  fc.constantFrom("EXDEV", "EACCES", "EIO", "ENOSPC").map((code): Fault => ({ kind: "rename fails", code })),
  fc.constant<Fault>({ kind: "last check refuses" }),
);

/** What a write of `size` bytes under this fault must do: complete, fail, or either (an errno on a call it may never make). */
function expected(fault: Fault, size: number): "done" | "failed" | "either" {
  switch (fault.kind) {
    case "none":
    case "short writes":
      return "done";
    case "disk fills":
      return fault.at >= size ? "done" : "failed";
    case "write over-reports":
      return size === 0 ? "done" : "failed";
    case "errno on a write":
      return size === 0 ? "done" : fault.call === 0 ? "failed" : "either";
    default:
      return "failed";
  }
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code });

/**
 * Runs `action` with `fault` injected into the system calls on the project's temporary files (fs.writeSync, fsyncSync,
 * renameSync are looked up on the module at each call, so replacing them reaches the writer). Other files — the
 * release read, the lock file — are left alone.
 */
async function withFault<T>(fault: Fault, action: () => T | Promise<T>): Promise<T> {
  const real = { openSync: fs.openSync, writeSync: fs.writeSync, fsyncSync: fs.fsyncSync, renameSync: fs.renameSync, closeSync: fs.closeSync };
  const temporaryFds = new Set<number>();
  let calls = 0;
  let written = 0;
  const patched = fs as unknown as Record<string, unknown>;
  patched.openSync = (path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (real.openSync as (...args: unknown[]) => number)(path, ...rest);
    if (TEMPORARY.test(String(path))) temporaryFds.add(fd);
    return fd;
  };
  patched.closeSync = (fd: number) => {
    temporaryFds.delete(fd);
    return real.closeSync(fd);
  };
  patched.writeSync = (fd: number, buffer: Uint8Array, offset?: number, length?: number, position?: number | null) => {
    if (!temporaryFds.has(fd) || typeof buffer === "string") return (real.writeSync as (...args: unknown[]) => number)(fd, buffer, offset, length, position);
    const at = offset ?? 0;
    const asked = length ?? buffer.length - at;
    const call = calls++;
    switch (fault.kind) {
      case "short writes": {
        const count = real.writeSync(fd, buffer, at, Math.max(1, Math.floor(asked * fault.fraction)));
        written += count;
        return count;
      }
      case "disk fills": {
        const count = real.writeSync(fd, buffer, at, Math.max(0, Math.min(asked, fault.at - written)));
        written += count;
        return count;
      }
      case "errno on a write":
        if (call === fault.call) throw errno(fault.code);
        break;
      case "write over-reports":
        real.writeSync(fd, buffer, at, Math.floor(asked * fault.fraction));
        return asked;
      default:
        break;
    }
    const count = real.writeSync(fd, buffer, at, asked);
    written += count;
    return count;
  };
  patched.fsyncSync = (fd: number) => {
    if (fault.kind === "fsync fails" && temporaryFds.has(fd)) throw errno("EIO");
    return real.fsyncSync(fd);
  };
  patched.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    if (fault.kind === "rename fails" && TEMPORARY.test(String(from))) throw errno(fault.code);
    return real.renameSync(from, to);
  };
  try {
    return await action();
  } finally {
    Object.assign(patched, real);
  }
}

const describeFault = (fault: Fault): string =>
  fault.kind === "short writes" || fault.kind === "write over-reports"
    ? `${fault.kind} (${(fault.fraction * 100).toFixed(1)}%)`
    : fault.kind === "disk fills"
      ? `disk fills at byte ${fault.at}`
      : fault.kind === "errno on a write"
        ? `${fault.code} on write call ${fault.call}`
        : fault.kind === "rename fails"
          ? `rename fails (${fault.code})`
          : fault.kind;

const temporariesIn = (dir: string): string[] => fs.readdirSync(dir).filter((name) => name.endsWith(".tmp"));

/** The state of a target afterwards, against what was there and what was written. */
function judgeTarget(path: string, before: Buffer | null, after: Buffer | null): "old" | "new" | "damaged" {
  const now = fs.existsSync(path) ? fs.readFileSync(path) : null;
  if (before === null ? now === null : now !== null && now.equals(before)) return "old";
  if (now !== null && after !== null && now.equals(after)) return "new";
  return "damaged";
}

// ---- Injected, in process ---------------------------------------------------------------------------------------

async function injectedWrites(tally: Tally, count: number, seed: number, work: string): Promise<void> {
  const scenario = fc.record({
    fault: faults,
    existing: fc.option(fc.nat({ max: 200_000 }), { nil: null }),
    size: fc.oneof(fc.constantFrom(0, 1, 4096, 65_536, 165_847), fc.nat({ max: 300_000 })),
    mode: fc.constantFrom(0o600, 0o640, 0o644),
  });
  const pause = yielder();
  let n = 0;
  for (const { fault, existing, size, mode } of fc.sample(scenario, { seed, numRuns: count })) {
    const target = join(work, `injected-${n++}.bin`);
    const before = existing === null ? null : Buffer.alloc(existing, 0x6f);
    if (before) {
      fs.writeFileSync(target, before);
      fs.chmodSync(target, mode);
    }
    const bytes = Buffer.alloc(size, n % 251);
    const description = `${describeFault(fault)}, ${size} bytes over ${existing === null ? "no file" : `${existing} bytes (mode ${mode.toString(8)})`}`;
    const started = performance.now();
    let error: unknown = null;
    await withFault(fault, () => {
      try {
        writeFileAtomic(target, bytes, fault.kind === "last check refuses" ? { beforeReplace: () => { throw new FileWriteError("the lock was lost; nothing was replaced."); } } : {});
      } catch (thrown) {
        error = thrown;
      }
    });
    const ms = performance.now() - started;
    const state = judgeTarget(target, before, bytes);
    tally.record(fault.kind, description, error === null ? "answered" : "refused", ms);
    if (state === "damaged") tally.fail("dataLoss", `${description}: the target is neither the old nor the new bytes`);
    else if (error === null && state !== "new" && !(before !== null && before.equals(bytes))) tally.fail("dataLoss", `${description}: reported written, but the target is the old file`);
    else if (error !== null && state === "new" && !(before !== null && before.equals(bytes))) tally.fail("dataLoss", `${description}: reported failed (${String(error)}), but the target was replaced`);
    if (error !== null && !(error instanceof FileWriteError)) tally.fail("other", `${description}: threw ${String(error)}, not a FileWriteError sentence`);
    const due = expected(fault, size);
    if (due === "done" && error !== null) tally.fail("other", `${description}: a write that could complete failed: ${String(error)}`);
    if (due === "failed" && error === null) tally.fail("dataLoss", `${description}: a write that could not complete was reported done`);
    if (state === "new" && before !== null && (fs.statSync(target).mode & 0o777) !== mode) tally.fail("other", `${description}: mode ${mode.toString(8)} became ${(fs.statSync(target).mode & 0o777).toString(8)}`);
    const left = temporariesIn(work);
    if (left.length > 0) {
      tally.fail("other", `${description}: left ${left.join(", ")}`);
      for (const name of left) fs.rmSync(join(work, name), { force: true });
    }
    fs.rmSync(target, { force: true });
    await pause();
  }
}

// ---- The commands, in process -------------------------------------------------------------------------------------

interface CommandContext {
  work: string;
  release: string;
  dataset: string;
  nextRelease: string;
  /** The analyst model, as qfin template writes it. */
  workbook: Buffer;
  /** A workbook of 2,000 QFIN cells with stale values (work/stale.xlsx): recalc rewrites it. */
  staleWorkbook: Buffer;
}

type CommandKind = "ingest --out (new)" | "ingest --out (existing)" | "ingest --into" | "recalc (in place)" | "recalc --out (existing)" | "template --out (existing)";
const COMMANDS: CommandKind[] = ["ingest --out (new)", "ingest --out (existing)", "ingest --into", "recalc (in place)", "recalc --out (existing)", "template --out (existing)"];

/** Whether the bytes are what the command writes: a dataset the loader reads, or a workbook that is a whole zip. */
function readable(kind: CommandKind, bytes: Buffer): boolean {
  try {
    if (kind.startsWith("ingest")) loadDataset(JSON.parse(bytes.toString("utf8")));
    else readZipPackage(bytes);
    return true;
  } catch {
    return false;
  }
}

async function commandWrites(tally: Tally, count: number, seed: number, context: CommandContext): Promise<void> {
  const pause = yielder();
    for (const [kind, fault] of fc.sample(fc.tuple(fc.constantFrom(...COMMANDS), faults), { seed, numRuns: count })) {
    const dir = fs.mkdtempSync(join(context.work, "command-"));
    const target = join(dir, kind.startsWith("ingest") ? "dataset.json" : "model.xlsx");
    let before: Buffer | null = null;
    let args: string[];
    if (kind === "ingest --out (new)") args = ["ingest", context.release, "--out", target];
    else if (kind === "ingest --out (existing)" || kind === "ingest --into") {
      before = fs.readFileSync(context.dataset);
      fs.writeFileSync(target, before);
      args = kind === "ingest --into" ? ["ingest", context.nextRelease, "--into", target] : ["ingest", context.release, "--out", target];
    } else {
      before = kind === "recalc (in place)" ? context.staleWorkbook : context.workbook;
      fs.writeFileSync(target, before);
      args = kind === "recalc (in place)" ? ["recalc", target, "--data", context.dataset] : kind === "recalc --out (existing)" ? ["recalc", join(context.work, "stale.xlsx"), "--data", context.dataset, "--out", target] : ["template", "--out", target, "--data", context.dataset];
    }
    const description = `qfin ${kind}: ${describeFault(fault)}`;
    const err: string[] = [];
    const started = performance.now();
    const code = await withFault(fault, () => runQfin(args, { out: () => undefined, err: (text) => err.push(text) }));
    const ms = performance.now() - started;
    tally.record(`command: ${kind}`, description, code === 0 ? "answered" : "refused", ms);
    const now = fs.existsSync(target) ? fs.readFileSync(target) : null;
    const unchanged = before === null ? now === null : now !== null && now.equals(before);
    const stderr = err.join("");
    if (code === 0) {
      if (now === null || !readable(kind, now)) tally.fail("dataLoss", `${description}: exit 0, but ${now === null ? "no file" : "the file is not readable"}`);
    } else {
      if (!unchanged) tally.fail("dataLoss", `${description}: exit ${code}, and the target changed (${before?.length ?? 0} → ${now?.length ?? 0} bytes)`);
      if (/\n\s+at /.test(stderr) || !/^qfin \w+: /.test(stderr)) tally.fail("other", `${description}: not one sentence: ${stderr.slice(0, 300)}`);
    }
    if ((fault.kind === "none" || fault.kind === "short writes") && code !== 0) tally.fail("other", `${description}: a write that could complete made the command fail: ${stderr.slice(0, 200)}`);
    const left = fs.readdirSync(dir).filter((name) => name.endsWith(".tmp") || name.endsWith(".lock"));
    if (left.length > 0) tally.fail("other", `${description}: left ${left.join(", ")}`);
    fs.rmSync(dir, { recursive: true, force: true });
    await pause();
  }
}

// ---- Killed writers ------------------------------------------------------------------------------------------------

interface Child {
  exit: Promise<void>;
  kill(): void;
  started: Promise<void>;
}

function child(args: string[], cwd: string, signalStart: boolean): Child {
  const process_ = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const started = new Promise<void>((resolve, reject) => {
    if (!signalStart) resolve();
    process_.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("writing")) resolve();
    });
    process_.on("exit", () => (signalStart && !output.includes("writing") ? reject(new Error("the writer exited before it began")) : resolve()));
  });
  process_.stderr.resume();
  return { exit: new Promise((resolve) => process_.on("exit", () => resolve())), kill: () => process_.kill("SIGKILL"), started };
}

/** A writer (the project's writer, from src/) that writes 1 MB in 8 KB pieces, 2 ms apart: a 250 ms window to kill in. */
const SLOW_WRITER = (root: string, target: string): string => `
  const fs = require("fs");
  const { writeFileAtomic } = require(${JSON.stringify(join(root, "src", "cli", "atomic-file.ts"))});
  process.stdout.write("writing\\n");
  writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(1 << 20, 110), {
    write: (fd, buffer, offset, length) => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
      return fs.writeSync(fd, buffer, offset, Math.min(length, 8192));
    },
  });
  process.stdout.write("done\\n");`;

async function killedWriters(tally: Tally, count: number, seed: number, root: string, context: CommandContext, budgetMs: number): Promise<void> {
  const delays = fc.sample(fc.nat({ max: 400 }), { seed, numRuns: count });
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  for (let trial = 0; trial < count; trial++) {
    const dir = fs.mkdtempSync(join(context.work, "killed-"));
    const realIngest = trial % 4 === 3;
    const target = join(dir, "dataset.json");
    const before = fs.readFileSync(context.dataset);
    fs.writeFileSync(target, before);
    const delay = delays[trial] ?? 0;
    const kind = realIngest ? "SIGKILL: qfin ingest --out" : "SIGKILL: a slowed write";
    const description = `${kind}, killed ${delay} ms after ${realIngest ? "the start" : "it began writing"}`;
    const started = performance.now();
    const writer = realIngest
      ? child([join(root, "bin", "qfin.js"), "ingest", context.release, "--out", target], dir, false)
      : child(["-r", "ts-node/register/transpile-only", "-e", SLOW_WRITER(root, target)], root, true);
    try {
      await writer.started;
    } catch (error) {
      tally.record(kind, description, "answered", performance.now() - started);
      tally.fail("other", `${description}: ${String(error)}`);
      continue;
    }
    await sleep(delay);
    writer.kill();
    await writer.exit;
    const now = fs.readFileSync(target);
    const kept = now.equals(before);
    const whole = kept || (realIngest ? readable("ingest --out (new)", now) : now.equals(Buffer.alloc(1 << 20, 110)));
    // The next write, as the user's next command: afterwards only the target (and nothing of the killed one) is left.
    writeFileAtomic(target, before);
    const left = fs.readdirSync(dir).filter((name) => name !== "dataset.json" && !name.endsWith(".lock"));
    tally.record(kind, description, kept ? "refused" : "answered", performance.now() - started, budgetMs);
    if (!whole) tally.fail("dataLoss", `${description}: the target is ${now.length} bytes, neither the old file nor a whole new one`);
    if (left.length > 0) tally.fail("other", `${description}: after the next write, ${left.join(", ")} is left`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- A real full disk ---------------------------------------------------------------------------------------------

async function fullDisk(tally: Tally, root: string, context: CommandContext): Promise<void> {
  const mount = fs.mkdtempSync(join(tmpdir(), "qfin-probe-tmpfs-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=300k", "tmpfs", mount], { encoding: "utf8" });
  if (mounted.status !== 0) {
    fs.rmSync(mount, { recursive: true, force: true });
    tally.note(`full disk: not run, cannot mount a 300 KB tmpfs here (${(mounted.stderr || mounted.error?.message || "").trim()}).`);
    return;
  }
  try {
    const qfin = (args: string[]) => spawnSync(process.execPath, [join(root, "bin", "qfin.js"), ...args], { encoding: "utf8" });
    const free = (): number => {
      const space = fs.statfsSync(mount);
      return space.bavail * space.bsize;
    };
    const trials: { kind: string; leave: number; existing: boolean; command: "ingest" | "recalc" }[] = [];
    for (const leave of [0, 4_096, 16_384, 65_536, 200_000]) for (const existing of [false, true]) for (const command of ["ingest", "recalc"] as const) trials.push({ kind: `full disk: qfin ${command}`, leave, existing, command });
    for (const trial of trials) {
      for (const name of fs.readdirSync(mount)) fs.rmSync(join(mount, name), { force: true });
      const target = join(mount, trial.command === "ingest" ? "dataset.json" : "model.xlsx");
      const before = trial.existing ? (trial.command === "ingest" ? Buffer.from('{"an":"earlier dataset"}') : context.workbook) : null;
      if (before) fs.writeFileSync(target, before);
      const room = free() - trial.leave;
      if (room > 0) fs.writeFileSync(join(mount, "filler"), Buffer.alloc(room));
      const description = `${trial.existing ? "over an existing file" : "a new file"}, ${trial.leave} bytes left`;
      const started = performance.now();
      const run = trial.command === "ingest" ? qfin(["ingest", context.release, "--out", target]) : qfin(["recalc", join(context.work, "model.xlsx"), "--data", context.dataset, "--out", target]);
      tally.record(trial.kind, description, run.status === 0 ? "answered" : "refused", performance.now() - started);
      const now = fs.existsSync(target) ? fs.readFileSync(target) : null;
      if (run.status === 0) {
        if (now === null || !readable(trial.command === "ingest" ? "ingest --out (new)" : "recalc (in place)", now)) tally.fail("dataLoss", `${trial.kind}, ${description}: exit 0 and an unreadable file`);
      } else {
        const unchanged = before === null ? now === null : now !== null && now.equals(before);
        if (!unchanged) tally.fail("dataLoss", `${trial.kind}, ${description}: exit ${run.status} and the target changed`);
        if (!/the disk is full|ENOSPC/.test(run.stderr) || /\n\s+at /.test(run.stderr)) tally.fail("other", `${trial.kind}, ${description}: ${run.stderr.slice(0, 200)}`);
      }
      const left = fs.readdirSync(mount).filter((name) => name.endsWith(".tmp"));
      if (left.length > 0) tally.fail("other", `${trial.kind}, ${description}: left ${left.join(", ")}`);
    }
  } finally {
    spawnSync("umount", [mount]);
    fs.rmSync(mount, { recursive: true, force: true });
  }
}

// ---- The class ----------------------------------------------------------------------------------------------------

export interface WritesProbeOptions {
  root: string;
  release: string;
  nextReleaseText: string;
  dataset: string;
  injected: number;
  commands: number;
  kills: number;
  /** Run the tmpfs trials (needs permission to mount; they are skipped, with a note, where there is none). */
  fullDisk: boolean;
  seed: number;
  /** Multiplies the budgets (the jest slice's hang bound). */
  budgetScale?: number;
}

export async function probeWrites(options: WritesProbeOptions): Promise<ClassResult> {
  const scale = options.budgetScale ?? 1;
  const tally = new Tally("writes", "writes under injected short writes, ENOSPC and other errno, failing fsync and rename; the commands under the same; SIGKILL mid-write; a real full tmpfs", WRITE_BUDGET_MS * scale, options.seed);
  const work = fs.mkdtempSync(join(tmpdir(), "qfin-probe-writes-"));
  try {
    const nextRelease = join(work, "next-release.txt");
    fs.writeFileSync(nextRelease, options.nextReleaseText);
    const model = join(work, "model.xlsx");
    const made = await runQfin(["template", "--out", model, "--data", options.dataset], { out: () => undefined, err: () => undefined });
    if (made !== 0) throw new Error("qfin template failed: the probe needs a workbook to write over");
    const stale = minimalXlsx([{ name: "S", xml: worksheet(Array.from({ length: 2_000 }, (_, at) => `<row r="${at + 1}"><c r="A${at + 1}"><f>QFIN.METRIC("Net income","Q2 2023")</f><v>0</v></c></row>`).join("")) }]);
    fs.writeFileSync(join(work, "stale.xlsx"), stale);
    const context: CommandContext = { work, release: options.release, dataset: options.dataset, nextRelease, workbook: fs.readFileSync(model), staleWorkbook: stale };
    await injectedWrites(tally, options.injected, options.seed, work);
    await commandWrites(tally, options.commands, options.seed + 1, context);
    if (options.kills > 0) await killedWriters(tally, options.kills, options.seed + 2, options.root, context, KILL_BUDGET_MS * scale);
    if (options.fullDisk) await fullDisk(tally, options.root, context);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  tally.note('"refused" = the write failed with a sentence, or was killed, and the target is as it was; "answered" = written whole (a kill that came after the rename counts here).');
  return tally.finish();
}
