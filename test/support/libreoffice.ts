/**
 * LibreOffice Calc, a spreadsheet program nobody here wrote, driven headless: it opens a workbook as a reader would and
 * writes what every sheet shows (as formatted) to CSV. Each caller gives its own profile directory, so tests running at
 * once in several jest workers never share LibreOffice's user installation (a shared one makes the second instance
 * hand its work to the first, or fail).
 */
import { execFile } from "child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { basename, join } from "path";
import { pathToFileURL } from "url";

/** Where `soffice` is: PATH's, as Debian's libreoffice-calc installs it (.ci/run installs it when missing). */
export const SOFFICE = "soffice";

/**
 * CSV export options (LibreOffice's filter tokens): comma, double quotes, UTF-8 (76), from line 1, default column
 * format, default language, quoted fields as text off, special numbers on, cell contents *as shown* on (9th), formulas
 * off, spaces kept, and -1: every sheet, each to `<file>-<sheet>.csv`.
 */
const CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1";

function run(args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // One locale whatever the machine's, so numbers are shown as 1,093.4 (LibreOffice reads C as English, USA).
    const env = { ...process.env, LC_ALL: "C.UTF-8", LANG: "C.UTF-8" };
    execFile(SOFFICE, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${SOFFICE} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/** Whether LibreOffice can be run here (it is not an npm dependency: Debian's package, see .ci/run). */
export async function libreOfficeVersion(): Promise<string> {
  return (await run(["--version"], 60_000)).trim();
}

/** Parses CSV as LibreOffice writes it: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        field += '"';
        at++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (char !== "\r") field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Opens a workbook in LibreOffice and returns what each sheet shows, row by row, by sheet name.
 *
 * @example
 * const shown = await showInLibreOffice(bytes, ["Income statement"], workDir);
 * shown.get("Income statement")?.[5]?.[7] // "2,788.7 "
 */
export async function showInLibreOffice(bytes: Uint8Array, sheetNames: readonly string[], workDir: string, name = "model"): Promise<Map<string, string[][]>> {
  const profile = join(workDir, "libreoffice-profile");
  const out = join(workDir, `${name}-csv`);
  mkdirSync(out, { recursive: true });
  const file = join(workDir, `${name}.xlsx`);
  writeFileSync(file, bytes);
  await run([`-env:UserInstallation=${pathToFileURL(profile).href}`, "--headless", "--norestore", "--convert-to", CSV_FILTER, "--outdir", out, file], 180_000);
  const stem = basename(file, ".xlsx");
  const sheets = new Map<string, string[][]>();
  for (const sheet of sheetNames) {
    const csv = join(out, `${stem}-${sheet}.csv`);
    if (!existsSync(csv)) throw new Error(`LibreOffice wrote no CSV for sheet "${sheet}" (it wrote: ${readdirSync(out).join(", ")})`);
    sheets.set(sheet, parseCsv(readFileSync(csv, "utf8")));
  }
  return sheets;
}
