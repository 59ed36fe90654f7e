/**
 * Dates and period headings must be real and must agree with the quarter the release reports: a damaged date is
 * refused with its line, never filed under another period (where its checks would quietly disappear) and never
 * written into a dataset the loader then refuses.
 */
import { loadDataset } from "../../src/core/load-dataset";
import { IngestError } from "../../src/ingest";
import { checkedDatasetJson } from "../../src/ingest/files";
import { ingestText, releaseText, shippedDataset } from "../support/release";

const original = releaseText();
/** Replaces `from` in the table with this caption only (several tables share their header rows). */
const inTable = (caption: string, from: string, to: string): string => {
  const start = original.indexOf(`\n${caption}\n`);
  return original.slice(0, start) + original.slice(start).replace(from, to);
};

function failures(text: string): string[] {
  expect(text).not.toBe(original);
  try {
    ingestText(text);
  } catch (error) {
    if (error instanceof IngestError) return error.failures.map((failure) => `[${failure.check}] ${failure.message}`);
    throw error;
  }
  throw new Error("the release was accepted");
}

const BALANCE_SHEET = "Unaudited Condensed Consolidated Balance Sheets";
const CASH_FLOWS = "Unaudited Condensed Consolidated Statements of Cash Flows";

describe("table headings", () => {
  test.each([
    [
      'a balance-sheet date that does not exist ("December 41, 2022")',
      inTable(BALANCE_SHEET, "\tDecember 31, 2022\t", "\tDecember 41, 2022\t"),
      `[table_layout] ${BALANCE_SHEET}: column 1: "December 41, 2022" is not a date of the calendar (header at line 208).`,
    ],
    [
      "a balance-sheet date of the wrong year (December 31, 2021)",
      inTable(BALANCE_SHEET, "\tDecember 31, 2022\t", "\tDecember 31, 2021\t"),
      `[table_periods] ${BALANCE_SHEET}: header at line 208, column 1 (December 31, 2021 (RMB)) is not a period this release reports; a 2023Q2 release's table gives December 31, 2022 and June 30, 2023 (RMB, and USD for June 30, 2023).`,
    ],
    [
      "a cash-flow year 2022 → 2021 (the whole Q2 2022 column would become Q2 2021)",
      inTable(CASH_FLOWS, "\t2022\t2023\t2023\t2022", "\t2021\t2023\t2023\t2022"),
      `[table_periods] ${CASH_FLOWS}: header at line 309, column 1 (Three months ended June 30, 2021 (RMB)) is not a period this release reports; a 2023Q2 release's table gives three and six months ended June 30 of 2022 and 2023 (RMB for both years, and USD for 2023).`,
    ],
    [
      "a USD column of the prior year",
      original.replace("\t2022\t2023\t2023\t2022\t2023\t2023", "\t2022\t2023\t2022\t2022\t2023\t2023"),
      "[table_periods] Unaudited Condensed Consolidated Statements of Operations: header at line 262, column 3 (Three months ended June 30, 2022 (USD)) is not a period this release reports;",
    ],
    [
      'a period ending on a day that is no month end ("June 31")',
      original.replace("\tThree months ended June 30,", "\tThree months ended June 31,"),
      '[table_layout] Unaudited Condensed Consolidated Statements of Operations: column 1: "Three months ended June 31," with year 2022 does not end on the last day of the month (2022-06-30) (header at line 262).',
    ],
  ])("%s is refused", (_what, text, message) => {
    expect(failures(text)).toEqual([expect.stringContaining(message)]);
  });

  test("a table missing one of its periods is refused, naming it", () => {
    const lines = original.split("\n");
    const header = lines.findIndex((line, index) => index > 330 && line === "\tSix months ended June 30,\t\t");
    expect(header).toBeGreaterThan(0);
    // The comprehensive income statement's six-month block, header and rows, removed.
    const end = lines.findIndex((line, index) => index > header && line.startsWith("Comprehensive income attributable to ordinary shareholders"));
    lines.splice(header, end - header + 1);
    expect(failures(lines.join("\n"))).toEqual([expect.stringContaining("Statements of Comprehensive Income: there is no column for H1 2022 (RMB);")]);
  });
});

describe("dates the prose states", () => {
  test.each([
    ["a dateline date that does not exist", original.replace("Aug. 21, 2023 (GLOBE", "Aug. 41, 2023 (GLOBE"), `[release] The dateline's date (line 9: "SHANGHAI, China, Aug. 41, 2023") is not a date of the calendar.`],
    ["February 29 of a common year", original.replace("Aug. 21, 2023 (GLOBE", "Feb. 29, 2023 (GLOBE"), "is not a date of the calendar."],
    ["a dateline before the quarter ended", original.replace("Aug. 21, 2023 (GLOBE", "Jun. 1, 2023 (GLOBE"), "[release] The dateline's date 2023-06-01 (line 9) is not after the end of the quarter the title names (2023Q2, ending 2023-06-30)."],
    ["an exchange-rate date that does not exist", original.replace("System as of June 30, 2023", "System as of June 31, 2023"), `[release] The exchange rate's date "June 31, 2023" (line 192) is not a date of the calendar.`],
    ["an exchange rate of another date than the quarter end", original.replace("System as of June 30, 2023", "System as of June 30, 2022"), "[release] The exchange rate is stated as of 2022-06-30 (line 192); a 2023Q2 release translates at the rate of its quarter end, 2023-06-30."],
    ["a dividend for a half-year a year too early", original.replace("for the first half of 2023", "for the first half of 2022"), `[narrative] Narrative: line 154: "first half of 2022" is not a half-year that ended in the year up to the quarter's end (after 2022-06-30, by 2023-06-30)`],
    ["a dividend for a half-year not yet ended", original.replace("for the first half of 2023", "for the second half of 2023"), `line 154: "second half of 2023" is not a half-year that ended`],
    ["a repurchase date that does not exist", original.replace("On June 20, 2023, the Company", "On June 31, 2023, the Company"), `[narrative] Narrative: line 158: "June 31, 2023" is not a date of the calendar, in "On June 31, 2023, the Company announced`],
    ["a repurchase date after the release's own date", original.replace("to August 18, 2023, the Company", "to August 28, 2023, the Company"), `line 158: "August 28, 2023" is after the release's own date (2023-08-21)`],
  ])("%s is refused", (_what, text, message) => {
    expect(failures(text)).toEqual([expect.stringContaining(message)]);
  });
});

describe("what ingest writes is what the loader loads", () => {
  test("the shipped release's dataset passes the loader as written", () => {
    const json = checkedDatasetJson(shippedDataset());
    expect(loadDataset(JSON.parse(json)).releases[0]?.id).toBe("2023Q2");
  });

  test("a dataset the loader would refuse is refused by ingest with the loader's message", () => {
    const dataset = shippedDataset();
    const broken = { ...dataset, periods: dataset.periods.map((period) => (period.id === "2022-12-31" ? { ...period, end: "2022-12-41" } : period)) };
    expect(() => checkedDatasetJson(broken)).toThrow(IngestError);
    expect(() => checkedDatasetJson(broken)).toThrow(/\[dataset\] the dataset it gives would not load \(Invalid QFIN dataset: periods\[\d+\]: "end" must be an ISO date, got "2022-12-41"\.\)/);
  });
});
