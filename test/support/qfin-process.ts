/**
 * The `qfin` command as separate processes (bin/qfin.js running the compiled lib/), for tests that need more than
 * one process at a time: concurrent ingests, a process that holds a dataset's lock.
 */
import { spawn, type ChildProcess } from "child_process";
import { join } from "path";

export interface QfinRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `qfin ARGS` from `cwd` in a process of its own; resolves when it has exited, with what it printed. */
export function qfinProcess(root: string, args: readonly string[], cwd: string): Promise<QfinRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "qfin.js"), ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A separate process that takes the lock on `target` (as `command`) and holds it until it is killed. */
export async function lockHolder(root: string, target: string, command: string): Promise<ChildProcess> {
  const script = `
    const { FileLock } = require(${JSON.stringify(join(root, "lib", "cli", "file-lock.js"))});
    FileLock.acquire(${JSON.stringify(target)}, { waitMs: 0, command: ${JSON.stringify(command)} });
    process.stdout.write("locked\\n");
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("locked") && resolve());
    child.on("exit", (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return child;
}
