import { DatasetError, loadDataset } from "../../src/core/load-dataset";
import { buildIndex } from "../../src/core/dataset-index";
import { miniDatasetJson } from "../fixtures/mini-dataset";

function refusal(mutate: (json: ReturnType<typeof miniDatasetJson> & Record<string, unknown>) => void): string {
  const json = miniDatasetJson() as ReturnType<typeof miniDatasetJson> & Record<string, unknown>;
  mutate(json);
  try {
    loadDataset(json);
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return (error as Error).message;
  }
  throw new Error("loadDataset accepted a broken dataset");
}

describe("loadDataset refuses", () => {
  it("something that is not a dataset", () => {
    expect(() => loadDataset(null)).toThrow(DatasetError);
    expect(() => loadDataset([])).toThrow("not a JSON object");
  });

  it("another schema version, saying which it reads", () => {
    expect(refusal((json) => (json.schema = 2 as 1))).toBe(
      "Invalid QFIN dataset: the file: schema version is 2; this version of QFIN for Excel reads schema 1.",
    );
  });

  it("a missing table", () => {
    expect(refusal((json) => delete (json as Record<string, unknown>).facts)).toContain('"facts": missing or not an array');
  });

  it("a value that is not a plain decimal string", () => {
    expect(refusal((json) => (json.facts[3].value = "3,914,324"))).toMatch(/facts\[3\]: "value" must be a plain decimal string, got "3,914,324"/);
    expect(refusal((json) => ((json.facts[0] as unknown as Record<string, unknown>).value = 3914324))).toContain('"value" must be a non-empty string');
  });

  it("a fact of an unknown item or period", () => {
    expect(refusal((json) => (json.facts[0].item = "ops.revenu"))).toContain('item "ops.revenu" is not in "items"');
    expect(refusal((json) => (json.facts[0].period = "2023Q3"))).toContain('period "2023Q3" is not in "periods"');
  });

  it("a duration item with a figure at an instant", () => {
    expect(refusal((json) => (json.facts[0].period = "2023-06-30"))).toContain("a duration item cannot have a fact for the instant period");
  });

  it("duplicate ids", () => {
    expect(refusal((json) => json.items.push({ ...json.items[0] }))).toContain('item "ops.credit_driven_services": the id is used twice');
    expect(refusal((json) => json.periods.push({ ...json.periods[0] }))).toContain('period "2022Q2": the id is used twice');
  });

  it("a dangling parent and a path that does not end in the label", () => {
    expect(refusal((json) => (json.items[1].parent = "ops.nothing"))).toContain('parent "ops.nothing" is not an item');
    expect(refusal((json) => (json.items[0].path = ["Credit services"]))).toContain('"path" must end with the item\'s label');
  });

  it("an unknown unit, currency or basis", () => {
    expect(refusal((json) => ((json.items[0] as unknown as Record<string, unknown>).unit = "money"))).toContain('"unit" is "money"');
    expect(refusal((json) => ((json.facts[0] as unknown as Record<string, unknown>).currency = "EUR"))).toContain('"currency" is "EUR"');
    expect(refusal((json) => ((json.facts[0] as unknown as Record<string, unknown>).basis = "guessed"))).toContain('"basis" is "guessed"');
  });

  it("a bad exchange rate", () => {
    expect(refusal((json) => (json.releases[0].usdRate = "0"))).toContain('"usdRate" must be a positive decimal string');
  });

  it("two different reported figures for one item, period and currency", () => {
    expect(
      refusal((json) => json.facts.push({ ...json.facts[0], value: "1", source: { ...json.facts[0].source, line: 999 } })),
    ).toMatch(/two reported facts disagree: "2947767000" \(line 265\) and "1" \(line 999\)/);
  });
});

describe("loadDataset accepts", () => {
  it("the fixture, and copies of a figure that agree", () => {
    const json = miniDatasetJson();
    json.facts.push({ ...json.facts[0] });
    const dataset = loadDataset(json);
    expect(dataset.items.length).toBeGreaterThan(20);
    expect(dataset.releases[0].usdRate).toBe("7.2513");
  });
});

describe("DatasetIndex", () => {
  const index = buildIndex(loadDataset(miniDatasetJson()));

  it("prefers the table's thousands to the narrative's millions, and a derived Q1 to the narrative's", () => {
    expect(index.fact("ops.total_net_revenue", "2023Q2", "RMB")).toMatchObject({ value: "3914324000", basis: "reported" });
    expect(index.fact("ops.total_net_revenue", "2023Q1", "RMB")).toMatchObject({ value: "3599174000", basis: "derived" });
  });

  it("knows the latest quarter and instant, and each item's periods in order", () => {
    expect(index.latestQuarter?.id).toBe("2023Q2");
    expect(index.latestInstant?.id).toBe("2023-06-30");
    expect(index.periodsOf("ops.net_income").map((p) => p.id)).toEqual(["2022Q2", "2022H1", "2023Q1", "2023Q2", "2023H1"]);
  });

  it("does not take a stray narrative date as the latest balance date", () => {
    const json = miniDatasetJson();
    json.periods.push({ id: "2023-08-18", type: "instant", start: null, end: "2023-08-18", label: "Aug 18, 2023" });
    expect(buildIndex(loadDataset(json)).latestInstant?.id).toBe("2023-06-30");
  });

  it("treats items without any figure as headings", () => {
    expect(index.isHeading(index.itemsById.get("bs.current_assets")!)).toBe(true);
    expect(index.isHeading(index.itemsById.get("ops.net_income")!)).toBe(false);
  });
});

