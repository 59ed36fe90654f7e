/**
 * Writing files so a reader never sees half a file and a failure never damages what was there: the bytes go to a
 * temporary file beside the target, are checked to be all on disk, and only then is the temporary file renamed over
 * the target. A target that cannot be replaced that way without changing it in a way the user did not ask for (a
 * read-only file, a device, a file with other hard links) is refused before anything is written.
 */
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/** The file could not be written; the message says why and that the target was left as it was. */
export class FileWriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "FileWriteError";
  }
}

/** The one system call tests replace, to make the disk write fewer bytes than asked (as a full disk does). */
export type WriteCall = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

export interface AtomicWriteOptions {
  /** Runs when the bytes are on disk, just before the rename; throwing leaves the target as it was. */
  beforeReplace?: () => void;
  /** For tests: the write system call (default `fs.writeSync`). */
  write?: WriteCall;
}

/** A leftover of a write that was killed is removed by the next write once this old, even if its pid is alive again. */
const LEFTOVER_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Writes bytes to a temporary file beside `path`, flushes it, checks its size, then renames it over `path`: the file
 * is replaced whole or not at all. An existing file keeps its permissions (and owner, where the process may set it);
 * a symbolic link is written through to the file it points to.
 *
 * @throws FileWriteError with a message such as `the disk is full (ENOSPC); model.xlsx was left as it was.`
 * @example
 * writeFileAtomic("model.xlsx", bytes)
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): void {
  const target = writableTarget(path);
  const unchanged = target.existing ? `${path} was left as it was` : `nothing was written to ${path}`;
  removeLeftovers(target.path);
  const temporary = temporaryPath(target.path);
  let handle: number;
  try {
    // An existing file's content stays private during the write (0600), then gets the file's own mode back.
    handle = openSync(temporary, "wx", target.existing ? 0o600 : 0o666);
  } catch (error) {
    throw systemError(error, `cannot create a temporary file in ${dirname(target.path)}`, unchanged);
  }
  try {
    try {
      writeAll(handle, bytes, options.write ?? writeSync);
      fsyncSync(handle);
      const written = fstatSync(handle).size;
      if (written !== bytes.length) {
        throw new FileWriteError(`only ${written} of ${bytes.length} bytes reached the disk (is it full?); ${unchanged}.`, "ESHORTWRITE");
      }
      if (target.existing) keepOwnership(handle, target.existing);
    } finally {
      closeSync(handle);
    }
    options.beforeReplace?.();
    renameSync(temporary, target.path);
  } catch (error) {
    rmSync(temporary, { force: true });
    // Errors of the file system get a sentence; anything else (a refusal from beforeReplace, a bug) passes as it is.
    throw error instanceof FileWriteError || !(error as NodeJS.ErrnoException).code ? error : systemError(error, null, unchanged);
  }
  syncDirectory(dirname(target.path));
}

/** A write can accept fewer bytes than asked; keep writing the rest. Zero bytes accepted means no progress is possible. */
function writeAll(handle: number, bytes: Uint8Array, write: WriteCall): void {
  let offset = 0;
  while (offset < bytes.length) {
    const count = write(handle, bytes, offset, bytes.length - offset);
    if (!Number.isInteger(count) || count <= 0) {
      throw Object.assign(new Error(`the disk accepted no more bytes after ${offset} of ${bytes.length}`), { code: "ENOSPC" });
    }
    offset += count;
  }
}

function keepOwnership(handle: number, original: Stats): void {
  fchmodSync(handle, original.mode & 0o7777);
  try {
    fchownSync(handle, original.uid, original.gid);
  } catch (error) {
    // Only root may give a file away; a user rewriting their own file already owns the new one.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") throw error;
  }
}

interface Target {
  /** The file to replace: `path`, or the file a symbolic link points to. */
  path: string;
  existing: Stats | null;
}

/**
 * The same file under two names (a symbolic or hard link included); false when either does not exist. Commands
 * refuse to write their output over their input with it.
 */
export function sameFile(a: string, b: string): boolean {
  try {
    const first = statSync(a);
    const second = statSync(b);
    return first.dev === second.dev && first.ino === second.ino;
  } catch {
    return false;
  }
}

/** Refuses, before any work, a target that a rename would damage or that is not a file at all. */
export function writableTarget(path: string): Target {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw systemError(error, `cannot look at ${path}`, "nothing was written");
    requireFolder(dirname(path));
    return { path, existing: null };
  }
  let resolved = path;
  if (stats.isSymbolicLink()) {
    try {
      resolved = realpathSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const pointsTo = safeReadlink(path);
      throw new FileWriteError(
        code === "ENOENT"
          ? `${path} is a symbolic link to ${pointsTo}, which does not exist; nothing was written. Give the path of the file itself.`
          : `${path} is a symbolic link that cannot be followed (${code ?? "error"}); nothing was written.`,
        code,
      );
    }
    stats = statSync(resolved);
  }
  const unchanged = `${path} was left as it was`;
  if (stats.isDirectory()) throw new FileWriteError(`${path} is a folder; ${unchanged}. Give the path of a file.`, "EISDIR");
  if (!stats.isFile()) {
    throw new FileWriteError(`${path} is not a regular file (it is ${kindOf(stats)}); ${unchanged}. Give the path of a file, new or existing.`, "ENOTREG");
  }
  if (stats.nlink > 1) {
    // Replacing by rename gives the name a new file and leaves the other names on the old one; rewriting in place
    // keeps the links but is not atomic. Neither is what the user asked for, so say so and let them choose.
    throw new FileWriteError(
      `${path} has ${stats.nlink} hard links; replacing it would leave the other names with the old content, so ${unchanged}. ` +
        `Write to another file, or remove the other links first.`,
      "EMLINK",
    );
  }
  if ((stats.mode & 0o222) === 0 || !canWrite(resolved)) {
    throw new FileWriteError(
      `${path} is read-only (mode ${(stats.mode & 0o777).toString(8).padStart(4, "0")}); ${unchanged}. ` +
        `Make it writable (chmod u+w ${path}) or write to another file.`,
      "EACCES",
    );
  }
  return { path: resolved, existing: stats };
}

function requireFolder(folder: string): void {
  let stats: Stats;
  try {
    stats = statSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileWriteError(
      code === "ENOENT" ? `the folder ${folder} does not exist; nothing was written. Create it first, or give a path in an existing folder.` : `cannot use the folder ${folder} (${code ?? "error"}); nothing was written.`,
      code,
    );
  }
  if (!stats.isDirectory()) throw new FileWriteError(`${folder} is not a folder; nothing was written.`, "ENOTDIR");
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "a missing file";
  }
}

function kindOf(stats: Stats): string {
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: "the disk is full (ENOSPC)",
  EDQUOT: "the disk quota is used up (EDQUOT)",
  EFBIG: "the file is larger than this file system allows (EFBIG)",
  EROFS: "the file system is read-only (EROFS)",
  EACCES: "permission denied (EACCES)",
  EPERM: "the operation is not permitted (EPERM)",
  EIO: "an input/output error (EIO)",
  ENOENT: "the folder does not exist (ENOENT)",
  EXDEV: "the temporary file is on another file system (EXDEV)",
};

function systemError(error: unknown, doing: string | null, unchanged: string): FileWriteError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = (code && REASONS[code]) ?? (error as Error).message;
  return new FileWriteError(`${doing ? `${doing}: ` : ""}${reason}; ${unchanged}.`, code);
}

/** Temporary files are named `.NAME.qfin.PID.MS.tmp`, so a later write can tell its own leftovers from anything else. */
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.qfin.${process.pid}.${Date.now()}.tmp`);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Removes what killed writes to `path` left behind: temporary files of this scheme whose process is gone (or that are
 * older than any write takes). A process killed mid-write (SIGKILL, power loss) cannot clean up after itself.
 */
export function removeLeftovers(path: string): string[] {
  const folder = dirname(path);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.qfin\\.(\\d{1,10})\\.(\\d{1,16})\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return []; // the write itself will report an unreadable folder
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    const age = Date.now() - Number(match[2]);
    if (processAlive(pid) && age < LEFTOVER_MAX_AGE_MS) continue;
    const leftover = join(folder, name);
    try {
      if (!lstatSync(leftover).isFile()) continue;
      rmSync(leftover, { force: true });
      removed.push(leftover);
    } catch {
      // Another writer removed it first, or it cannot be removed: neither stops this write.
    }
  }
  return removed;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Makes the rename itself durable. Best effort: some file systems refuse to fsync a folder, and the data is already safe. */
function syncDirectory(folder: string): void {
  try {
    const handle = openSync(folder, "r");
    try {
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
  } catch {
    // The new file is complete either way; only its name's durability across a power cut is at stake.
  }
}
