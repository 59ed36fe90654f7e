/**
 * The shipped release, ingested, read back through `invoke`: representative figures of every kind compared with
 * what the release prints, at the precision it prints them. (The lead extends this to every figure.)
 */
import * as fs from "fs";
import * as path from "path";
import { buildIndex, type DatasetIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { invoke } from "../../src/functions/invoke";
import { ingestRelease } from "../../src/ingest";
import type { ArgValue } from "../../src/core/cell";

const RELEASE = "data/releases/qfin-2023q2-earnings-release.txt";

let index: DatasetIndex;
beforeAll(() => {
  const text = fs.readFileSync(path.join(__dirname, "../..", RELEASE), "utf8");
  // Through JSON and the loader, exactly as the add-in reads the shipped dataset.
  index = buildIndex(loadDataset(JSON.parse(JSON.stringify(ingestRelease(text, { file: RELEASE })))));
});

const call = (id: string, ...args: ArgValue[]) => invoke(index, id, args);
/** Rounds like the release: half up at the printed number of decimals. */
const printed = (value: unknown, decimals: number): number => {
  expect(typeof value).toBe("number");
  return Math.round((value as number) * 10 ** decimals + 1e-9) / 10 ** decimals;
};

describe("table rows, RMB and USD, in thousands", () => {
  it.each([
    ["Total net revenue", "Q2 2023", "RMB", 3914324],
    ["Total net revenue", "Q2 2023", "USD", 539809],
    ["Total net revenue", "H1 2022", "RMB", 8503246],
    ["Credit driven services > Other services fees", "Q2 2023", "RMB", 45903],
    ["Platform services > Other services fees", "H1 2023", "USD", 23681],
    ["Foreign exchange (loss) gain", "Q2 2022", "RMB", -91610],
    ["Net income", "Q2 2023", "USD", 150782],
    ["Current assets > Amounts due from related parties", "2023-06-30", "USD", 25918],
    ["Non-current assets > Amounts due from related parties", "Dec 31, 2022", "RMB", 33236],
    ["TOTAL ASSETS", "Q2 2023", "RMB", 43402113],
    ["Net cash provided by operating activities", "H1 2023", "RMB", 3522666],
  ])("%s %s %s = %d", (item, period, currency, thousands) => {
    expect(call("METRIC", item, period, currency, "K")).toBe(thousands);
  });
});

describe("Q1 2023 derived (H1 − Q2) agrees with the narrative's prior-quarter figure at 0.1m", () => {
  it.each([
    ["Total net revenue", 3599.2],
    ["Credit driven services", 2630.6],
    ["Platform services > Other services fees", 94.8],
    ["Provision for accounts receivable and contract assets", -2.2],
    ["Income from operations", 1007.0],
    ["Net income", 929.8],
    ["Non-GAAP net income", 976.3],
  ])("%s Q1 2023 ≈ RMB%d million", (item, millions) => {
    expect(printed(call("METRIC", item, "Q1 2023"), 1)).toBe(millions);
    expect(String(call("SOURCE", item, "Q1 2023"))).toMatch(/^derived: /);
  });
});

describe("margins and growth at the printed 0.1%", () => {
  it("margins", () => {
    expect(printed(call("MARGIN", "Net income", "Q2 2023"), 3)).toBe(0.279);
    expect(printed(call("MARGIN", "Income from operations", "Q2 2023"), 3)).toBe(0.302);
    expect(printed(call("MARGIN", "Non-GAAP net income", "Q2 2023"), 3)).toBe(0.293);
    expect(printed(call("MARGIN", "Income from operations", "H1 2022"), 3)).toBe(0.279);
  });

  it("growth stated in the business highlights", () => {
    expect(printed(call("GROWTH", "Total outstanding loan balance", "Q2 2023"), 3)).toBe(0.226);
    expect(printed(call("GROWTH", "Total facilitation and origination loan volume", "Q2 2023"), 3)).toBe(0.264);
    expect(printed(call("GROWTH", "Cumulative registered users", "Q2 2023"), 3)).toBe(0.115);
    // The release's 14.9% for users with approved credit lines comes from unrounded counts; from the printed
    // 47.4m and 41.3m it would be 14.8%. The stated figure wins.
    expect(call("GROWTH", "Cumulative users with approved credit lines", "Q2 2023")).toBe(0.149);
  });
});

describe("per-share and per-ADS figures are never scaled", () => {
  it("as printed", () => {
    expect(call("METRIC", "Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. > Diluted", "Q2 2023")).toBe(6.64);
    expect(call("METRIC", "Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. > Diluted", "Q2 2023", "USD", "B")).toBe(0.92);
    expect(call("METRIC", "Net income per ordinary share attributable to ordinary shareholders of Qifu Technology, Inc. > Basic", "H1 2023")).toBe(6.29);
  });
});

describe("KPIs in their own units, defined by their footnotes", () => {
  it("values", () => {
    expect(call("METRIC", "90 day+ delinquency rate", "latest")).toBe(0.0184);
    expect(call("METRIC", "Repeat borrower contribution", "Q2 2023")).toBe(0.923);
    expect(call("METRIC", "Total facilitation and origination loan volume", "Q2 2023", "RMB", "M")).toBe(124225);
    expect(call("METRIC", "Total outstanding loan balance", "latest", "RMB", "M")).toBe(184459);
  });

  it("definitions", () => {
    expect(String(call("DEFINITION", "90 day+ delinquency rate"))).toMatch(/^"90 day\+ delinquency rate" refers to .*footnote \*8/);
  });
});

describe("USD where the release prints none", () => {
  it("converts at RMB7.2513 and says so", () => {
    // 974,956 thousand ÷ 7.2513 = 134,452.58… thousand, rounded to the thousand as the release rounds its own.
    expect(call("METRIC", "Net income", "Q2 2022", "USD", "U")).toBe(134453000);
    expect(String(call("SOURCE", "Net income", "Q2 2022", "USD"))).toContain("converted to US$ at RMB7.2513 = US$1.00");
  });
});
