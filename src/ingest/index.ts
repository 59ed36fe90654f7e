/**
 * Release text → validated dataset. The one entry point of ingest:
 *
 *   lines → tables (statements.ts) + prose (narrative.ts) → derived figures (derive.ts) → tie-out checks (checks.ts)
 *
 * A release that does not parse or does not tie out is refused with an `IngestError` naming every failed check;
 * nothing is returned half-built.
 */
import { createHash } from "crypto";
import { DATASET_SCHEMA_VERSION, type Dataset, type ReleaseInfo, type StatedRatio, type StatementInfo } from "../core/model";
import { TABLES } from "./catalogue";
import { statedRatios } from "./stated";
import { runChecks } from "./checks";
import { deriveFacts } from "./derive";
import { FactBook } from "./fact-book";
import { IngestError } from "./ingest-error";
import { NARRATIVE_ITEMS, TABLE_ITEM_FOOTNOTES } from "./narrative-catalogue";
import { readNarrative, type ReleaseQuarter } from "./narrative";
import { lastDayOfMonth, monthNumber } from "../core/period-id";
import { instantFromWords, instantPeriod, isCalendarDate } from "./periods";
import { checkReleaseText, paragraphs, splitLines, type ReleaseLine } from "./release-text";
import { sortDataset } from "./dataset-order";
import { declareTableItems, readTableFacts, STATEMENT_TITLES } from "./statements";
import { checkTablePeriods } from "./table-periods";
import { parseTables } from "./tables";

export { IngestError } from "./ingest-error";
export { mergeRelease, type MergeReport, type Restatement } from "./merge";

export interface IngestOptions {
  /** Path of the release text relative to the project root, recorded in the dataset. */
  file: string;
}

const ORDINALS = ["first", "second", "third", "fourth"];
/** The non-GAAP measures' ids: a release defines each one it reports. */
const NON_GAAP_MEASURE = /^ng\.non_gaap_/;

/**
 * Ingests one quarterly results release.
 *
 * @example
 * const dataset = ingestRelease(readFileSync("data/releases/qfin-2023q2-earnings-release.txt", "utf8"), {
 *   file: "data/releases/qfin-2023q2-earnings-release.txt",
 * });
 * dataset.releases[0].id // "2023Q2"
 */
export function ingestRelease(text: string, options: IngestOptions): Dataset {
  checkReleaseText(text);
  const lines = splitLines(text);
  const { release, quarter } = readReleaseInfo(lines, text, options.file);
  const book = new FactBook(release.id);

  const captions = TABLES.map((table) => table.caption);
  const firstTable = lines.find((line) => captions.includes(line.text.trim()));
  if (!firstTable) fail("table_layout", "None of the financial statement tables was found (looked for captions such as \"Unaudited Condensed Consolidated Balance Sheets\").");

  TABLES.forEach((spec, index) => declareTableItems(book, spec, (index + 1) * 1000));
  NARRATIVE_ITEMS.forEach((spec, index) =>
    book.addItem({
      id: spec.id,
      label: spec.label,
      statement: spec.statement,
      section: null,
      parent: null,
      path: [spec.label],
      unit: spec.unit,
      nature: spec.nature,
      components: [],
      additive: spec.unit === "amount" && spec.nature === "duration",
      aliases: spec.aliases ?? [],
      definition: null,
      footnote: spec.footnote ?? null,
      order: 10000 + index,
    }),
  );
  for (const [id, marker] of Object.entries(TABLE_ITEM_FOOTNOTES)) book.item(id).footnote = marker;

  const tables = parseTables(lines, captions);
  for (const spec of TABLES) {
    const found = tables.filter((table) => table.caption === spec.caption);
    if (found.length !== 1) {
      fail("table_layout", `${spec.caption}: the release has ${found.length === 0 ? "no such table" : `${found.length} tables with this caption`}.`);
    }
    checkTablePeriods(spec, found[0] as (typeof tables)[number], quarter);
    readTableFacts(book, spec, found[0] as (typeof tables)[number]);
  }

  const narrative = readNarrative(book, paragraphs(lines, (firstTable as ReleaseLine).number), quarter);
  for (const item of book.items.values()) {
    const footnote = item.footnote ? narrative.footnotes.get(item.footnote) : undefined;
    if (footnote && !item.definition) item.definition = footnote;
    // A line the catalogue knows the release defines (a footnote it cites, a non-GAAP measure, which the release must
    // define) without a definition lost it to damage: QFIN.DEFINITION would say there is none.
    if (item.definition === null && (item.footnote !== null || NON_GAAP_MEASURE.test(item.id))) {
      book.record({
        check: "narrative",
        status: "fail",
        message: `Narrative: ${item.label} has no definition in this release (${item.footnote ? `footnote ${item.footnote.slice(1)} is missing` : "no sentence says what the non-GAAP measure represents"}; a damaged footnote number or word?).`,
      });
    }
  }

  deriveFacts(book);
  runChecks(book, release.usdRate, narrative);
  const stated = statedRatios(book, narrative);
  if (book.failures.length > 0) throw new IngestError(book.failures);

  return assemble(book, release, stated);
}

function fail(check: string, message: string): never {
  throw new IngestError([{ check, status: "fail", message }]);
}

/** One line of the release that `pattern` matches, so no pattern ever runs over more than one (bounded) line. */
function findLine(lines: readonly ReleaseLine[], pattern: RegExp): { line: ReleaseLine; match: RegExpExecArray } | null {
  for (const line of lines) {
    const match = pattern.exec(line.text);
    if (match) return { line, match };
  }
  return null;
}

const QUARTER_WORDS = /\b(First|Second|Third|Fourth) Quarter\b/i;
const DATELINE = /^[A-Z]{1,40}, [A-Za-z]{1,40}, ([A-Z][a-z]{2})[a-z]{0,6}\.? (\d{1,2}), (\d{4}) \(/;
const COMPANY = /-- ([^(]{1,200}?) \(NASDAQ: QFIN/;
const RATE = /at a rate of RMB(\d{1,4}\.\d{1,8}) to US\$1\.00, .{0,300}?as of ([A-Z][a-z]{2,8} \d{1,2}, \d{4})/;

function readReleaseInfo(lines: readonly ReleaseLine[], text: string, file: string): { release: ReleaseInfo; quarter: ReleaseQuarter } {
  const title = lines.find((line) => line.text.trim() !== "")?.text.trim() ?? "";
  // The quarter, then the first year after it: two scans, where one pattern with ".*?" between them is quadratic.
  const reported = QUARTER_WORDS.exec(title);
  const year = reported ? /\b(\d{4})\b/.exec(title.slice(reported.index + reported[0].length)) : null;
  if (!reported || !year) fail("release", `The title "${title.slice(0, 120)}" does not name the quarter reported (e.g. "Second Quarter … 2023").`);
  const quarterNumber = ORDINALS.indexOf((reported as RegExpExecArray)[1]!.toLowerCase()) + 1;
  const quarterYear = Number((year as RegExpExecArray)[1]);
  const quarterEnd = instantPeriod(quarterYear, quarterNumber * 3, lastDayOfMonth(quarterYear, quarterNumber * 3)).end;
  const id = `${quarterYear}Q${quarterNumber}`;

  const dateline = findLine(lines, DATELINE);
  const month = dateline ? monthNumber(dateline.match[1] as string) : null;
  if (!dateline || !month) fail("release", "The dateline (e.g. \"SHANGHAI, China, Aug. 21, 2023 (GLOBE NEWSWIRE)\") was not found.");
  const [day, published] = [Number(dateline!.match[2]), Number(dateline!.match[3])];
  if (!isCalendarDate(published, month!, day)) {
    fail("release", `The dateline's date (line ${dateline!.line.number}: "${dateline!.match[0].slice(0, -2)}") is not a date of the calendar.`);
  }
  const date = `${published}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (date <= quarterEnd) fail("release", `The dateline's date ${date} (line ${dateline!.line.number}) is not after the end of the quarter the title names (${id}, ending ${quarterEnd}).`);

  const company = COMPANY.exec(dateline!.line.text)?.[1] ?? fail("release", `The company name before "(NASDAQ: QFIN" was not found on the dateline (line ${dateline!.line.number}).`);
  const rate = findLine(lines, RATE);
  if (!rate) fail("release", "The exchange rate sentence (\"… at a rate of RMB7.2513 to US$1.00 … as of June 30, 2023\") was not found.");
  const [usdRate, rateWords] = [rate!.match[1] as string, rate!.match[2] as string];
  const rateDate = instantFromWords(rateWords);
  if (!rateDate) fail("release", `The exchange rate's date "${rateWords}" (line ${rate!.line.number}) is not a date of the calendar.`);
  if (rateDate!.end !== quarterEnd) {
    fail("release", `The exchange rate is stated as of ${rateDate!.end} (line ${rate!.line.number}); a ${id} release translates at the rate of its quarter end, ${quarterEnd}.`);
  }
  if (!(Number(usdRate) > 0)) fail("release", `The exchange rate RMB${usdRate} to US$1.00 (line ${rate!.line.number}) is not a positive rate.`);

  return {
    quarter: { quarter: quarterNumber, year: quarterYear, published: date },
    release: {
      id,
      title,
      date,
      company,
      file,
      sha256: createHash("sha256").update(text, "utf8").digest("hex"),
      usdRate,
      usdRateDate: rateDate!.end,
    },
  };
}

function assemble(book: FactBook, release: ReleaseInfo, stated: StatedRatio[]): Dataset {
  const items = [...book.items.values()];
  const statementIds = [...new Set([...items].sort((a, b) => a.order - b.order).map((item) => item.statement))];
  const statements: StatementInfo[] = statementIds.map((id, order) => ({ id, title: STATEMENT_TITLES[id], order }));
  return sortDataset({
    schema: DATASET_SCHEMA_VERSION,
    releases: [release],
    statements,
    periods: [...book.periods.values()],
    items,
    facts: [...book.exact.values(), ...book.narrative],
    checks: book.checks,
    stated,
  });
}
