/** The shipped release and its ingest, shared by tests (ingested once per test file). */
import { readFileSync } from "fs";
import { join } from "path";
import { buildIndex, type DatasetIndex } from "../../src/core/dataset-index";
import type { Dataset } from "../../src/core/model";
import { ingestRelease } from "../../src/ingest";

export const PROJECT_ROOT = join(__dirname, "..", "..");
export const RELEASE_FILE = "data/releases/qfin-2023q2-earnings-release.txt";
export const RELEASE_PATH = join(PROJECT_ROOT, RELEASE_FILE);
export const DATASET_PATH = join(PROJECT_ROOT, "data", "dataset.json");

export const releaseText = (): string => readFileSync(RELEASE_PATH, "utf8");

let cached: Dataset | undefined;
/** The dataset ingested from the shipped release (not the committed JSON: tests check that the two agree). */
export function shippedDataset(): Dataset {
  cached ??= ingestRelease(releaseText(), { file: RELEASE_FILE });
  return cached;
}

/** Ingests a modified copy of the release. */
export const ingestText = (text: string): Dataset => ingestRelease(text, { file: "test/modified-release.txt" });

/** Replaces the one line of the release that `find` matches (it must match exactly one line). */
export function editLine(text: string, find: RegExp, edit: (line: string) => string): string {
  const lines = text.split("\n");
  const hits = lines.map((line, index) => (find.test(line) ? index : -1)).filter((index) => index >= 0);
  if (hits.length !== 1) throw new Error(`expected one line matching ${find}, found ${hits.length}`);
  const index = hits[0] as number;
  lines[index] = edit(lines[index] as string);
  return lines.join("\n");
}

let cachedIndex: DatasetIndex | undefined;
/** The shipped release's dataset, indexed the way the CLI and the add-in index theirs. */
export function shippedIndex(): DatasetIndex {
  cachedIndex ??= buildIndex(shippedDataset());
  return cachedIndex;
}

/** How to relabel the Q2 text as another quarter's release. */
export interface Relabelling {
  /** The new title's quarter words: "Third Quarter 2023". */
  title: string;
  /** The dateline's date: "Nov. 20, 2023". */
  dateline: string;
  /** The quarter's end, month and day: "September 30". */
  quarterEnd: string;
  /** The longer period's heading and phrase: "Nine months" / "nine months", or "Year" / "year". */
  longer: { heading: string; phrase: string };
  /** The quarter as the prose names it: "third". */
  ordinal: string;
}

/**
 * The Q2 text relabelled as another quarter's release: the same figures under the new quarter's dates and headings.
 * Its figures tie out (they are the Q2 release's), so tests can roll a dataset forward without typing a release by
 * hand. The prior-quarter clauses are dropped (in a copy they would state Q1 figures for the quarter before).
 */
export function relabelledRelease(to: Relabelling, text: string = releaseText()): string {
  const end = `${to.quarterEnd}, 2023`;
  return text
    .replace("Second Quarter and Interim 2023 Unaudited Financial Results and Declares Semi-Annual Dividend", `${to.title} Unaudited Financial Results`)
    .replace("Aug. 21, 2023 (GLOBE NEWSWIRE)", `${to.dateline} (GLOBE NEWSWIRE)`)
    .replace(/second quarter and six months ended June 30, 2023/g, `${to.ordinal} quarter and ${to.longer.phrase} ended ${end}`)
    .replace(/Three months ended June 30,/g, `Three months ended ${to.quarterEnd},`)
    .replace(/Six months ended June 30,/g, `${to.longer.heading} ended ${to.quarterEnd},`)
    .replace(/June 30, 2023/g, end)
    .replace(/June 30, 2022/g, `${to.quarterEnd}, 2022`)
    .replace(/second quarter/g, `${to.ordinal} quarter`)
    .replace(/Second Quarter 2023/g, to.title)
    .replace(/,? and RMB-?[\d,.]+ million in the prior quarter/g, "");
}

/** The third quarter of 2023, made from the Q2 text (see `relabelledRelease`). */
export function nextQuarterRelease(text: string = releaseText()): string {
  return relabelledRelease(
    { title: "Third Quarter 2023", dateline: "Nov. 20, 2023", quarterEnd: "September 30", longer: { heading: "Nine months", phrase: "nine months" }, ordinal: "third" },
    text,
  );
}

/**
 * The fourth quarter and year 2023, made from the Q2 text. Relabelled naively (`consistent: false`), its prior-year
 * cash flow ends on Dec 31, 2022 with the Jun 30, 2022 figures while the balance sheet's Dec 31, 2022 column says
 * otherwise, which ingest refuses. The consistent copy moves the prior-year cash-flow balances so that they end at
 * the balance sheet's Dec 31, 2022 cash (10,512,363), its totals still adding up.
 */
export function fourthQuarterRelease({ consistent }: { consistent: boolean }, text: string = releaseText()): string {
  const source = consistent
    ? text
        .replace(
          "Cash, cash equivalents, and restricted cash, beginning of period\t8,811,113\t8,745,344\t1,206,038\t8,759,947\t",
          "Cash, cash equivalents, and restricted cash, beginning of period\t8,593,250\t8,745,344\t1,206,038\t8,542,084\t",
        )
        .replace(
          "Cash, cash equivalents, and restricted cash, end of period\t10,730,226\t8,314,541\t1,146,627\t10,730,226\t",
          "Cash, cash equivalents, and restricted cash, end of period\t10,512,363\t8,314,541\t1,146,627\t10,512,363\t",
        )
    : text;
  return relabelledRelease(
    { title: "Fourth Quarter and Fiscal Year 2023", dateline: "Mar. 12, 2024", quarterEnd: "December 31", longer: { heading: "Year", phrase: "year" }, ordinal: "fourth" },
    source,
  );
}
