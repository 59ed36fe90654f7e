/**
 * Rolling a dataset forward: a second release adds its periods, keeps everything reported before, and reports
 * (never silently folds in) figures it reports differently; the functions answer with the latest figures and, on
 * request, as first reported or as of a release.
 */
import { CellError } from "../../src/core/cell";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { invoke } from "../../src/functions/invoke";
import { IngestError, mergeRelease } from "../../src/ingest";
import { editLine, ingestText, nextQuarterRelease, releaseText, shippedDataset } from "../support/release";

const q2 = shippedDataset();
const q3Text = nextQuarterRelease();

/** The Q3 copy with two balance-sheet lines of Dec 31, 2022 moved by RMB1,000 thousand (totals unchanged). */
function restatedQ3Text(): string {
  const bump = (line: string, by: number): string => {
    const cells = line.split("\t");
    const value = Number((cells[1] as string).replace(/,/g, "")) + by;
    cells[1] = value.toLocaleString("en-US");
    return cells.join("\t");
  };
  let text = editLine(q3Text, /^Short term investments\t/, (line) => bump(line, 1000));
  text = editLine(text, /^Prepaid expenses and other assets\t/, (line) => bump(line, -1000));
  return text;
}

describe("refusals first", () => {
  test("a release already in the dataset is refused, saying so", () => {
    expect(() => mergeRelease(q2, shippedDataset())).toThrow(IngestError);
    expect(() => mergeRelease(q2, shippedDataset())).toThrow(
      "Release 2023Q2 (data/releases/qfin-2023q2-earnings-release.txt) is already in the dataset; nothing to add.",
    );
  });

  test("a different text claiming the same release is refused", () => {
    const altered = ingestText(releaseText().replace("Conference Call Preregistration", "Conference Call"));
    expect(() => mergeRelease(q2, altered)).toThrow(/is already in the dataset from .* differs from it/);
  });
});

describe("adding a next-quarter release", () => {
  const q3 = ingestText(q3Text);
  const { dataset, report } = mergeRelease(q2, q3);

  test("the next-quarter copy is a Q3 release that ties out", () => {
    expect(q3.releases[0]).toMatchObject({ id: "2023Q3", date: "2023-11-20" });
    expect(q3.checks.every((check) => check.status === "pass")).toBe(true);
  });

  test("adds its periods and keeps every fact reported before, unchanged", () => {
    expect(dataset.releases.map((release) => release.id)).toEqual(["2023Q2", "2023Q3"]);
    expect(report.periodsAdded).toEqual(["2022Q3", "2022M9", "2022-09-30", "2023Q3", "2023M9", "2023-09-30"]);
    expect(report.restated).toEqual([]);
    const merged = new Set(dataset.facts.map((fact) => JSON.stringify(fact)));
    const lost = q2.facts.filter((fact) => !merged.has(JSON.stringify(fact)));
    expect(lost).toEqual([]);
    expect(() => loadDataset(JSON.parse(JSON.stringify(dataset)))).not.toThrow();
  });

  test("latest moves to the new quarter; earlier quarters stay", () => {
    const index = buildIndex(dataset);
    expect(invoke(index, "SOURCE", ["Net income", "latest"])).toMatch(/^2023Q3 release, .*column "Three months ended September 30, 2023 \(RMB\)"/);
    expect(invoke(index, "SOURCE", ["Net income", "latest-1"])).toMatch(/^2023Q2 release, .*column "Three months ended June 30, 2023 \(RMB\)"/);
    expect(invoke(index, "METRIC", ["Net income", "Q2 2023"])).toBe(1093.377);
    expect(invoke(index, "SOURCE", ["90 day+ delinquency rate", "latest"])).toMatch(/^2023Q3 release, narrative/);
    expect(invoke(index, "VERSION", [])).toMatch(/2023Q2 .*2023Q3|2023Q3.*2023Q2/);
  });
});

describe("a restatement", () => {
  const { dataset, report } = mergeRelease(q2, ingestText(restatedQ3Text()));
  const index = buildIndex(loadDataset(JSON.parse(JSON.stringify(dataset))));

  test("is reported with both values and both lines", () => {
    expect(report.restated.map((r) => [r.basis, r.item, r.period, r.before.value, r.after.value, r.before.release, r.after.release])).toEqual([
      ["reported", "bs.short_term_investments", "2022-12-31", "57000000", "58000000", "2023Q2", "2023Q3"],
      ["reported", "bs.prepaid_expenses_and_other_assets", "2022-12-31", "379388000", "378388000", "2023Q2", "2023Q3"],
    ]);
  });

  test("the latest figure answers by default; the point-in-time option gives the first report", () => {
    expect(invoke(index, "METRIC", ["Short term investments", "Dec 31, 2022", "RMB", "K"])).toBe(58000);
    expect(invoke(index, "METRIC", ["Short term investments", "Dec 31, 2022", "RMB", "K", "first"])).toBe(57000);
    expect(invoke(index, "METRIC", ["Short term investments", "Dec 31, 2022", "RMB", "K", "2023Q2"])).toBe(57000);
    expect(invoke(index, "METRIC", ["Short term investments", "Dec 31, 2022", "RMB", "K", "Q3 2023"])).toBe(58000);
    expect(invoke(index, "SOURCE", ["Short term investments", "Dec 31, 2022"])).toContain("other releases report it differently: 57,000 thousand in the 2023Q2 release (line 214)");
    const unknown = invoke(index, "METRIC", ["Short term investments", "Dec 31, 2022", "RMB", "K", "2024Q1"]);
    expect(unknown).toBeInstanceOf(CellError);
    expect((unknown as CellError).message).toBe('"2024Q1" is not a release in the loaded data. Use "latest" (the default), "first" (as first reported) or a release: "2023Q2", "2023Q3".');
  });

  test("a figure no release restated reads the same in every view", () => {
    expect(invoke(index, "METRIC", ["Total current assets", "Dec 31, 2022", "RMB", "K", "first"])).toBe(34097466);
    expect(invoke(index, "METRIC", ["Total current assets", "Dec 31, 2022", "RMB", "K"])).toBe(34097466);
  });

  test("a narrative figure a later release states differently is reported too, and answers as the latest", () => {
    const sentence = "Net income was RMB1,093.4 million (US\\$150.8 million), compared to RMB975.0 million in the same period of 2022.";
    expect(q3Text).toContain(sentence);
    const text = q3Text.replace(sentence, sentence.replace("2022.", "2022 and RMB1,093.5 million in the prior quarter."));
    const merged = mergeRelease(q2, ingestText(text));
    expect(merged.report.restated.map((r) => [r.basis, r.item, r.period, r.currency, r.before.value, r.after.value])).toEqual([
      ["narrative", "ops.net_income", "2023Q2", "RMB", "1093377000", "1093500000"],
    ]);
    const index = buildIndex(merged.dataset);
    expect(invoke(index, "METRIC", ["Net income", "Q2 2023"])).toBe(1093.5);
    expect(invoke(index, "METRIC", ["Net income", "Q2 2023", "RMB", "M", "first"])).toBe(1093.377);
  });

  test("a renamed item is reported and its old name still resolves", () => {
    const q3 = ingestText(q3Text);
    const renamed = { ...q3, items: q3.items.map((item) => (item.id === "ops.funding_costs" ? { ...item, label: "Funding cost" } : item)) };
    const merged = mergeRelease(q2, renamed);
    expect(merged.report.renamed).toEqual([{ item: "ops.funding_costs", from: "Funding costs", to: "Funding cost" }]);
    const index = buildIndex(merged.dataset);
    expect(invoke(index, "METRIC", ["Funding costs", "Q2 2023", "RMB", "K"])).toBe(165225);
    expect(invoke(index, "METRIC", ["Funding cost", "Q2 2023", "RMB", "K"])).toBe(165225);
  });
});
