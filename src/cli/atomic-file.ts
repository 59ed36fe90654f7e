/** Writing files so a reader never sees half a file and a failure never damages what was there. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes bytes to a temporary file beside `path`, flushes it, then renames it over `path`: the file is replaced
 * whole or not at all.
 *
 * @example
 * writeFileAtomic("model.xlsx", bytes)
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const handle = openSync(temporary, "wx");
    try {
      writeSync(handle, bytes);
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
