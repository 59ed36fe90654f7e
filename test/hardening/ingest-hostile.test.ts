/**
 * `qfin ingest` against input that is not a release, or not where it should be: binary bytes, huge files and lines,
 * devices and pipes, missing folders, writing over its own input. Each is refused with a sentence saying what is
 * wrong (exit 1), quickly, and nothing is written. Runs the command in-process on real files in a temporary folder.
 */
import { execFileSync, spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { CliIo } from "../../src/cli/command";
import { runQfin } from "../../src/cli/main";
import { RELEASE_PATH, releaseText } from "../support/release";

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "qfin-hostile-"));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function qfin(args: string[]): Run {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { out: (text) => (stdout += text), err: (text) => (stderr += text) };
  const status = runQfin(args, io);
  if (typeof status !== "number") throw new Error("ingest is synchronous");
  return { status, stdout, stderr };
}

const original = releaseText();
/** The release with `line` inserted before line `at` (1-based). */
const withLine = (at: number, line: string): string => {
  const lines = original.split("\n");
  lines.splice(at - 1, 0, line);
  return lines.join("\n");
};

/** Ingests `text` (or bytes) as a release file; asserts the refusal: exit 1, nothing written, no temporary file. */
function refused(content: string | Buffer, name = "release.txt"): Run {
  const release = join(work, name);
  writeFileSync(release, content);
  const out = join(work, "dataset.json");
  const run = qfin(["ingest", release, "--out", out]);
  expect(run.stdout).toBe("");
  expect(run.status).toBe(1);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(work)).toEqual([name]);
  return run;
}

describe("text that is not a release text is refused before it is parsed", () => {
  test("a NUL byte, naming its line and column", () => {
    const run = refused(original.replace("Net income was RMB1,093.4", "Net income was\0RMB1,093.4"));
    expect(run.stderr).toContain("[release_text] Line 53 has a NUL byte at column 17: this is not a text release (a binary file, or UTF-16 text?).");
  });

  test("UTF-16 text (NUL bytes everywhere) and text in another encoding (not UTF-8)", () => {
    expect(refused(Buffer.from(original, "utf16le")).stderr).toContain("has a NUL byte");
    const latin1 = Buffer.from(original.replace("Qifu Technology is a Credit-Tech", "Qifu Technology est un Crédit-Tech"), "latin1");
    expect(refused(latin1).stderr).toMatch(/cannot read .*release\.txt: it is not UTF-8 text \(byte \d+, on line 178, is not UTF-8\); convert the release to UTF-8 first\./);
  });

  test("another control character, or U+FFFD left by a lossy conversion", () => {
    expect(refused(original.replace("Total net revenue was", "Total net\u001brevenue was")).stderr).toContain("has the control character U+001B at column");
    expect(refused(original.replace("Total net revenue was", "Total net \ufffd revenue was")).stderr).toContain("has U+FFFD at column");
  });

  test("a 1 MB line of spaces (and one of spaces ending in text) is refused as too long", () => {
    const started = performance.now();
    expect(refused(withLine(11, " ".repeat(1 << 20))).stderr).toContain("Line 11 is 1,048,576 characters long; a release line is at most 20,000");
    expect(refused(withLine(11, `${" ".repeat(1 << 20)}x`)).stderr).toContain("Line 11 is 1,048,577 characters long");
    console.log(`two 1 MB lines of spaces refused in ${Math.round(performance.now() - started)} ms`);
  });

  test("a file over 5 MB is refused before it is read; so are too many lines", () => {
    expect(refused(Buffer.alloc(6_000_000, 0x20)).stderr).toMatch(/it is 6,000,000 bytes; a release text is about 40 KB and at most 5,000,000 bytes are read\./);
    expect(refused(`${original}${"\n".repeat(60_000)}`).stderr).toContain("The text has more than 50,000 lines; a release has about 400.");
  });

  test("a device or a pipe as the release is refused without reading it (/dev/zero would never end)", () => {
    const out = join(work, "dataset.json");
    const zero = qfin(["ingest", "/dev/zero", "--out", out]);
    expect(zero).toMatchObject({ status: 1, stdout: "" });
    expect(zero.stderr).toBe("qfin ingest: cannot read /dev/zero: it is not a regular file (a device, pipe or socket); give the release's .txt file.\n");
    const pipe = join(work, "pipe.txt");
    execFileSync("mkfifo", [pipe]);
    expect(qfin(["ingest", pipe, "--out", out]).stderr).toContain("it is not a regular file");
    expect(existsSync(out)).toBe(false);
  });
});

/**
 * Input shaped to make a backtracking pattern slow, just under the size limits (so every pattern really runs on it).
 * The outcome is asserted; the time of each is printed (every pattern in src/ingest is linear in its input).
 */
describe("hostile text under the limits is read in linear time: refused or read as it is", () => {
  const lineOf = (find: string): number => original.split("\n").findIndex((line) => line.startsWith(find)) + 1;
  const replaceLine = (at: number, line: string): string => {
    const lines = original.split("\n");
    lines[at - 1] = line;
    return lines.join("\n");
  };
  const timed = <T>(what: string, run: () => T): T => {
    const started = performance.now();
    const result = run();
    console.log(`${what}: ${Math.round(performance.now() - started)} ms`);
    return result;
  };

  test.each([
    ["a title of 1,400 x 'First Quarter ' and no year", () => replaceLine(lineOf("Qifu Technology Announces"), "First Quarter ".repeat(1400)), "does not name the quarter reported"],
    ["a dateline after 19,000 capital letters", () => original.replace("SHANGHAI, China, Aug. 21", `${"A".repeat(19_000)}, China, Aug. 21`), "The dateline (e.g."],
    ["4.9 MB of lines that each continue the paragraph before", () => withLine(12, `${"a".repeat(99)}\n`.repeat(49_000)), "runs on past line"],
    ["a 19,000-character sentence repeating a KPI's opening words", () => withLine(12, `The ${"weighted average contractual tenor of loans ".repeat(430)}.`), "reads like the weighted average contractual tenor sentence"],
    ["a restated figure of 9,000 digit groups", () => withLine(12, `Net income was RMB${"1,".repeat(9000)}0.0 million (US$1.0 million), compared to RMB1.0 million in the same period of 2022.`), "reads like a restatement of table figures"],
    ["a table cell of 19,000 digits (a number, and no total adds up to it)", () => original.replace("Cash and cash equivalents\t7,165,584", `Cash and cash equivalents\t${"1".repeat(19_000)}`), "[subtotal] Unaudited Condensed Consolidated Balance Sheets / Total current assets / 2022-12-31 (RMB)"],
    ["a table cell of 9,000 '1,' groups in a bracket", () => original.replace("Cash and cash equivalents\t7,165,584", `Cash and cash equivalents\t(${"1,".repeat(9000)}`), "is not a number"],
  ])("%s is refused", (what, make, message) => {
    const run = timed(what, () => refused(make()));
    expect(run.stderr).toContain(message);
  });

  test.each([
    ["19,999 spaces then text (the old /\\s+$/ took minutes on 1 MB of this)", () => `${original}\n${" ".repeat(19_999)}x`],
    ["a line of 6,600 '-- ' after the title (the old company pattern was quadratic in them)", () => withLine(6, "-- ".repeat(6600))],
    ["a line of 6,000 '**a' (markup residue)", () => `${original}\n${"**a".repeat(6000)}`],
  ])("%s is read as a release with every check", (what, make) => {
    const release = join(work, "release.txt");
    writeFileSync(release, make());
    const run = timed(what, () => qfin(["ingest", release, "--out", join(work, "dataset.json")]));
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("469 of 469 tie-out checks passed");
  });
});

describe("a damaged heading never replaces a good dataset (as npm run dataset would have)", () => {
  test('"December 41, 2022" in the balance sheet: exit 1, the existing dataset left byte for byte', () => {
    const good = join(work, "dataset.json");
    expect(qfin(["ingest", RELEASE_PATH, "--out", good]).status).toBe(0);
    const before = readFileSync(good);
    const release = join(work, "release.txt");
    writeFileSync(release, original.replace("\tDecember 31, 2022\tJune 30, 2023", "\tDecember 41, 2022\tJune 30, 2023"));
    const run = qfin(["ingest", release, "--out", good]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('"December 41, 2022" is not a date of the calendar');
    expect(run.stderr).toContain("dataset.json was left as it was.");
    expect(readFileSync(good).equals(before)).toBe(true);
  });
});

describe("where the dataset would go", () => {
  test("a missing folder is named (no stack trace), before any work", () => {
    const out = join(work, "missing", "dataset.json");
    const run = qfin(["ingest", RELEASE_PATH, "--out", out]);
    expect(run).toEqual({
      status: 1,
      stdout: "",
      stderr: `qfin ingest: cannot write ${out}: the folder ${join(work, "missing")} does not exist; nothing was written. Create it first, or give a path in an existing folder.\n`,
    });
  });

  test("the release itself, under its name or through a link, is refused and left as it was", () => {
    const release = join(work, "R.txt");
    writeFileSync(release, original);
    const link = join(work, "dataset.json");
    symlinkSync(release, link);
    for (const out of [release, link]) {
      const run = qfin(["ingest", release, "--out", out]);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`qfin ingest: ${out} is the release being ingested; it was left as it was. Write the dataset to another file (--out FILE).\n`);
    }
    expect(qfin(["ingest", release, "--into", link]).stderr).toContain("is the release being ingested");
    expect(readFileSync(release, "utf8")).toBe(original);
  });

  test("a device is refused as a target (a device node made here, so nothing real is at risk)", () => {
    const device = join(work, "null");
    const made = spawnSync("mknod", [device, "c", "1", "3"]);
    if (made.status !== 0) {
      console.warn("Skipping the device-node target: mknod is not permitted here; test/hardening/file-writes.test.ts checks /dev/null without writing.");
      return;
    }
    const run = qfin(["ingest", RELEASE_PATH, "--out", device]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`qfin ingest: cannot write ${device}: ${device} is not a regular file (it is a character device); ${device} was left as it was. Give the path of a file, new or existing.\n`);
  });

  test("--into a dataset that does not exist, or is not one, says what would work", () => {
    const missing = join(work, "none.json");
    expect(qfin(["ingest", RELEASE_PATH, "--into", missing]).stderr).toBe(
      `qfin ingest: cannot add to ${missing}: there is no such file. Build the first dataset with: qfin ingest RELEASE.txt --out ${missing}\n`,
    );
    const notJson = join(work, "notes.json");
    writeFileSync(notJson, "my notes");
    const run = qfin(["ingest", RELEASE_PATH, "--into", notJson]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^qfin ingest: cannot add to .*notes\.json: it is not JSON \(.*\)\.\n$/);
    expect(readFileSync(notJson, "utf8")).toBe("my notes");
  });
});
