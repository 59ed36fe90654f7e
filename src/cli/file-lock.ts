/**
 * An exclusive lock on a file that several `qfin` processes read, change and write back (`ingest --into`): a lock
 * file `NAME.lock` beside it, created with O_EXCL, holding who took it. Without it two ingests that run at once both
 * read the old dataset and the second write loses the first one's release.
 *
 * A lock whose process is gone (killed, crashed) or that is older than any ingest takes is stale and is taken over;
 * taking over goes through a second, short-lived file (`NAME.lock.break`) so two processes that both find the lock
 * stale cannot remove a lock a third one has just taken.
 */
import { closeSync, lstatSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { FileWriteError, processAlive } from "./atomic-file";

/** Who holds a lock, as its lock file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Milliseconds since the epoch. */
  started: number;
  token: string;
  command: string;
}

/** A stale lock that was removed: its holder, and whether its process was gone or it was older than any holder takes. */
export interface TakenOver {
  holder: LockHolder;
  reason: "gone" | "too old";
}

/** The lock is held by a live process and was not released within the wait. */
export class LockBusyError extends Error {
  constructor(
    message: string,
    readonly holder: LockHolder | null,
  ) {
    super(message);
    this.name = "LockBusyError";
  }
}

export interface LockOptions {
  /** How long to wait for another holder to finish, in milliseconds. */
  waitMs: number;
  /** A lock older than this is stale even if its pid is alive (the pid may belong to a new process by now). */
  staleMs?: number;
  /** What the lock file says the holder is doing, for the busy message. */
  command?: string;
  /** How messages show a path (the CLI shows paths as the user would type them). */
  display?: (path: string) => string;
}

/** An ingest holds the lock for about a second; two minutes means its process is stuck or gone. */
const DEFAULT_STALE_MS = 2 * 60 * 1000;
/** A lock file with no readable content yet is being written by its creator; for longer than this, the creator died. */
const UNWRITTEN_STALE_MS = 10 * 1000;
const BREAKER_STALE_MS = 10 * 1000;
const POLL_MS = 50;

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** The lock file for `target`: beside the file itself, so two names of one dataset (a symbolic link) share a lock. */
export function lockPathFor(target: string): string {
  let resolved: string;
  try {
    resolved = realpathSync(target);
  } catch {
    try {
      resolved = join(realpathSync(dirname(target)), basename(target));
    } catch {
      resolved = target;
    }
  }
  return `${resolved}.lock`;
}

export class FileLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly token: string,
    /** Stale locks that were removed to take this one, and why: the caller says so. */
    readonly tookOver: TakenOver[],
  ) {}

  /**
   * Takes the lock on `target`, waiting up to `options.waitMs` for a live holder and taking over a stale one.
   *
   * @throws LockBusyError when a live holder keeps it past the wait; FileWriteError when no lock file can be created
   * @example
   * const lock = FileLock.acquire("data/dataset.json", { waitMs: 10_000 });
   * try { … read, merge, write … } finally { lock.release(); }
   */
  static acquire(target: string, options: LockOptions): FileLock {
    const path = lockPathFor(target);
    const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
    const token = randomBytes(12).toString("hex");
    const deadline = Date.now() + options.waitMs;
    const tookOver: TakenOver[] = [];
    for (;;) {
      if (tryCreate(path, { pid: process.pid, host: hostname(), started: Date.now(), token, command: options.command ?? "qfin" })) {
        return new FileLock(path, token, tookOver);
      }
      const seen = readLock(path);
      if (seen === null) continue; // released between our attempt and the read: try again at once
      const stale = staleness(seen, staleMs);
      if (stale && breakLock(path, seen.raw)) {
        if (seen.holder) tookOver.push({ holder: seen.holder, reason: stale });
        continue;
      }
      if (!stale && Date.now() >= deadline) {
        const display = options.display ?? ((shown: string) => shown);
        throw busy(display(target), display(path), seen.holder, options.waitMs);
      }
      sleep(POLL_MS + Math.floor(Math.random() * POLL_MS));
    }
  }

  /** Throws unless this process still holds the lock (it can lose it only by being paused until it looked stale). */
  verify(): void {
    const seen = readLock(this.path);
    if (seen?.holder?.token !== this.token) {
      throw new FileWriteError(
        `the lock ${this.path} was taken over by another process while this one was paused for too long; nothing was written. Run the command again.`,
        "ELOCKLOST",
      );
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (readLock(this.path)?.holder?.token === this.token) rmSync(this.path, { force: true });
  }
}

function tryCreate(path: string, holder: LockHolder): boolean {
  let handle: number;
  try {
    handle = openSync(path, "wx", 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    throw new FileWriteError(`cannot create the lock file ${path} (${code ?? (error as Error).message}); nothing was written.`, code);
  }
  const content = Buffer.from(`${JSON.stringify(holder)}\n`);
  try {
    const written = writeSync(handle, content);
    if (written !== content.length) throw Object.assign(new Error("short write"), { code: "ENOSPC" });
  } catch (error) {
    // A full disk can refuse even the lock's few bytes: remove the lock just made (it is ours and says nothing) and
    // say so in a sentence, as the writer does, rather than end in a stack trace.
    closeSync(handle);
    rmSync(path, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOSPC" || code === "EDQUOT" ? `the disk is full (${code})` : `${code ?? (error as Error).message}`;
    throw new FileWriteError(`cannot write the lock file ${path} (${why}); nothing was written.`, code);
  }
  closeSync(handle);
  return true;
}

interface SeenLock {
  raw: string;
  holder: LockHolder | null;
  /** Milliseconds since the lock file was last modified. */
  age: number;
}

function readLock(path: string): SeenLock | null {
  try {
    const age = Date.now() - lstatSync(path).mtimeMs;
    const raw = readFileSync(path, "utf8");
    return { raw, holder: parseHolder(raw), age };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    throw new FileWriteError(`cannot read the lock file ${path} (${code ?? (error as Error).message}); nothing was written.`, code);
  }
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const json = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof json.pid === "number" && typeof json.host === "string" && typeof json.started === "number" && typeof json.token === "string") {
      return { pid: json.pid, host: json.host, started: json.started, token: json.token, command: typeof json.command === "string" ? json.command : "qfin" };
    }
  } catch {
    // Not (yet) a lock this version wrote.
  }
  return null;
}

/** Why a lock is stale, or null while it is live. */
function staleness(seen: SeenLock, staleMs: number): TakenOver["reason"] | null {
  if (!seen.holder) return seen.age > UNWRITTEN_STALE_MS ? "gone" : null;
  // A pid can be checked only on the machine that wrote it (a shared folder may be used from several).
  if (seen.holder.host === hostname() && !processAlive(seen.holder.pid)) return "gone";
  return Date.now() - seen.holder.started > staleMs ? "too old" : null;
}

/** Removes the lock only if it still says what was judged stale; true if it is gone. */
function breakLock(path: string, staleRaw: string): boolean {
  const breaker = `${path}.break`;
  let handle: number;
  try {
    handle = openSync(breaker, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Another process is taking over; its breaker lives for microseconds unless that process died holding it.
    try {
      if (Date.now() - lstatSync(breaker).mtimeMs > BREAKER_STALE_MS) rmSync(breaker, { force: true });
    } catch {
      // Gone already.
    }
    return false;
  }
  closeSync(handle);
  try {
    const now = readLock(path);
    if (now === null) return true;
    if (now.raw !== staleRaw) return false; // someone took it anew in the meantime
    rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(breaker, { force: true });
  }
}

function busy(target: string, path: string, holder: LockHolder | null, waitMs: number): LockBusyError {
  const who = holder
    ? `${holder.command} (pid ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`}, for ${Math.max(0, Math.round((Date.now() - holder.started) / 1000))} s)`
    : "another process (its lock file is being written)";
  return new LockBusyError(
    `${target} is busy: ${who} is changing it; waited ${Math.round(waitMs / 1000)} s. ` +
      `Try again when it has finished (or wait longer with --wait SECONDS). If no qfin is running, delete ${path}.`,
    holder,
  );
}
