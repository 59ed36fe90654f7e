/**
 * One production build of the add-in shared by every browser test file of a run (and reused by the next run while
 * the sources are unchanged): jest runs test files in separate workers, so the build is keyed by a hash of what
 * goes into it and guarded by a lock directory (mkdir is atomic) that other workers wait on.
 */
import { createHash } from "crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, relative } from "path";
import { PROJECT_ROOT, buildAddin, listFiles, type AddinBuild } from "../../addin/build-addin";

const INPUTS = ["src", "data/dataset.json", "webpack.config.js", "manifest.xml", "assets", "docs/third-party-notices.txt", "package-lock.json", "tsconfig.json"];
/**
 * Builds are keyed by the checkout too: another clone or worktree on the same machine has builds of its own sources,
 * which it must not delete as "older" while this one's tests use them (and the other way round). (Not named
 * qfin-browser-build-…, which earlier versions of this file delete wholesale.)
 */
const PREFIX = `qfin-shared-build-${createHash("sha256").update(PROJECT_ROOT).digest("hex").slice(0, 8)}-`;
const WAIT_LIMIT_MS = 10 * 60_000;

function filesUnder(path: string): string[] {
  const full = join(PROJECT_ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(relative(PROJECT_ROOT, join(full, name))));
}

/** A hash of every file the build reads from the project (node_modules is covered by package-lock.json). */
function inputsHash(): string {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash.update(relative(PROJECT_ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The folder of a production build of the current sources (the tests' production settings: ADDIN_HOST
 * https://qfin-addin.example.com/excel, which the pages never need as they load everything relative; office.js from
 * Microsoft's CDN). Never delete it: other test files may be using it.
 */
export async function sharedProductionBuild(): Promise<string> {
  const dir = join(tmpdir(), `${PREFIX}${inputsHash()}`);
  const done = join(dir, ".complete");
  const lock = `${dir}.lock`;
  const started = Date.now();
  while (!existsSync(done)) {
    try {
      mkdirSync(lock);
    } catch {
      // Another worker is building; a lock older than the wait limit is left over from a killed run.
      const lockStat = statSync(lock, { throwIfNoEntry: false });
      if (lockStat && Date.now() - lockStat.mtimeMs > WAIT_LIMIT_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`gave up waiting for the shared build at ${dir}`);
      await sleep(500);
      continue;
    }
    try {
      if (existsSync(done)) break;
      // Builds of older sources are of no further use.
      for (const name of readdirSync(tmpdir())) {
        if (name.startsWith(PREFIX) && !name.endsWith(".lock") && join(tmpdir(), name) !== dir) rmSync(join(tmpdir(), name), { recursive: true, force: true });
      }
      const build = await buildAddin();
      rmSync(dir, { recursive: true, force: true });
      renameSync(build.outDir, dir);
      writeFileSync(done, new Date().toISOString());
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}

/** The shared build as an `AddinBuild` (its files and a reader), for tests that inspect what ships. Never delete it. */
export async function sharedAddinBuild(): Promise<AddinBuild> {
  const outDir = await sharedProductionBuild();
  return { outDir, files: listFiles(outDir).filter((file) => file !== ".complete"), read: (file) => readFileSync(join(outDir, file), "utf8") };
}
