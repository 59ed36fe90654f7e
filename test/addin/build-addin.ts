/**
 * Runs the real webpack build (webpack.config.js, as `npm run build` does) into a temporary folder, so tests
 * check what ships without touching the developer's dist/.
 */
import { execFile } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "fs";
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

/** What a production build must be told (`npm run build` refuses without them): ADDIN_HOST, ADDIN_SUPPORT_EMAIL. */
export interface ProductionSettings {
  host?: string;
  supportEmail?: string;
}

/** The settings the tests (and the benchmark and `npm run licences`) build with: a host that is not localhost. */
export const TEST_PRODUCTION_SETTINGS = { host: "https://qfin-addin.example.com/excel", supportEmail: "qfin-support@example.com" } as const;

/**
 * Builds the add-in in production mode, as `npm run build` does, with exactly these settings in the environment (the
 * caller's ADDIN_HOST, ADDIN_SUPPORT_EMAIL and ADDIN_DATA_REVISION are never inherited). Rejects with webpack's output when the build fails
 * (type errors included: the build type-checks) or refuses.
 */
export function buildAddin(settings: ProductionSettings = TEST_PRODUCTION_SETTINGS): Promise<AddinBuild> {
  const outDir = mkdtempSync(join(tmpdir(), "qfin-addin-build-"));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ADDIN_HOST;
  delete env.ADDIN_SUPPORT_EMAIL;
  delete env.ADDIN_DATA_REVISION;
  if (settings.host !== undefined) env.ADDIN_HOST = settings.host;
  if (settings.supportEmail !== undefined) env.ADDIN_SUPPORT_EMAIL = settings.supportEmail;
  const webpackCli = require.resolve("webpack-cli/bin/cli.js", { paths: [PROJECT_ROOT] });
  return new Promise((resolveBuild, reject) => {
    execFile(
      process.execPath,
      [webpackCli, "--mode", "production", "--output-path", outDir, "--no-color"],
      { cwd: PROJECT_ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          rmSync(outDir, { recursive: true, force: true });
          reject(Object.assign(new Error(`webpack build failed:\n${stdout}\n${stderr}`), { exitCode: error.code, stdout, stderr }));
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
