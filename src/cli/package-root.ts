/** Finds files that ship with the package (the default dataset) from wherever the CLI runs: `src/cli` or `lib/cli`. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGE_NAME = "qfin-excel";

/**
 * The directory of this package's package.json, found by walking up from this module.
 *
 * @example
 * packageRoot() // "/home/me/qfin-excel"
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`Cannot find the ${PACKAGE_NAME} package root above ${from}.`);
  }
}

/** `data/dataset.json` in the package: the dataset `npm run dataset` builds from the shipped release. */
export function defaultDatasetPath(): string {
  return join(packageRoot(), "data", "dataset.json");
}
