/**
 * Runs the real webpack build (webpack.config.js, as `npm run build` does) into a temporary folder, so tests
 * check what ships without touching the developer's dist/.
 */
import { execFile } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "fs";
import { tmpdir } from "os";
import { join, relative, resolve } from "path";

export const PROJECT_ROOT = resolve(__dirname, "../..");

export interface AddinBuild {
  outDir: string;
  /** Every emitted file, relative to outDir with forward slashes. */
  files: string[];
  read(file: string): string;
}

/** Every file under `dir`, relative to it, with forward slashes. */
export function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, root) : [relative(root, full).split("\\").join("/")];
  });
}

/**
 * Builds the add-in in production mode. `addinHost` is passed as ADDIN_HOST (the production URL rewrite).
 * Rejects with webpack's output when the build fails (type errors included: the build type-checks).
 */
export function buildAddin(addinHost?: string): Promise<AddinBuild> {
  const outDir = mkdtempSync(join(tmpdir(), "qfin-addin-build-"));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ADDIN_HOST;
  if (addinHost) env.ADDIN_HOST = addinHost;
  const webpackCli = require.resolve("webpack-cli/bin/cli.js", { paths: [PROJECT_ROOT] });
  return new Promise((resolveBuild, reject) => {
    execFile(
      process.execPath,
      [webpackCli, "--mode", "production", "--output-path", outDir, "--no-color"],
      { cwd: PROJECT_ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`webpack build failed:\n${stdout}\n${stderr}`));
          return;
        }
        resolveBuild({
          outDir,
          files: listFiles(outDir),
          read: (file) => readFileSync(join(outDir, file), "utf8"),
        });
      },
    );
  });
}
