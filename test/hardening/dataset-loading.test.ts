/**
 * The dataset the add-in ships, as the loader sees it: it loads with every recorded tie-out passed, damage to the
 * file is refused with a message saying where, and a refused dataset never replaces the one in use.
 * (test/core/load-dataset.test.ts covers each rule of the loader on a small fixture; these run on the real file.)
 */
import { readFileSync } from "fs";
import { join } from "path";
import { DatasetError, loadDataset } from "../../src/core/load-dataset";
import { Session } from "../../src/addin/session";
import type { Dataset } from "../../src/core/model";
import { invoke } from "../../src/functions/invoke";

const DATASET_TEXT = readFileSync(join(__dirname, "..", "..", "data", "dataset.json"), "utf8");
type Json = Record<string, unknown> & { facts: Record<string, unknown>[]; items: Record<string, unknown>[]; periods: Record<string, unknown>[] };
const freshJson = (): Json => JSON.parse(DATASET_TEXT) as Json;

function refusal(json: unknown): string {
  try {
    loadDataset(json);
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return (error as Error).message;
  }
  throw new Error("loadDataset accepted a damaged dataset");
}

describe("the shipped dataset (data/dataset.json)", () => {
  it("loads, and every tie-out check recorded in it passed", () => {
    const dataset = loadDataset(freshJson());
    expect(dataset.facts.length).toBeGreaterThan(500);
    expect(dataset.checks.length).toBeGreaterThan(100);
    expect(dataset.checks.filter((check) => check.status !== "pass")).toEqual([]);
  });
});

describe("damage to the dataset file is refused with a message naming the place", () => {
  const BAD_VALUES: [string, unknown][] = [
    ["a number instead of a decimal string", 3914324000],
    ["an exponent", "3.914324e9"],
    ["grouping", "3,914,324,000"],
    ["NaN", "NaN"],
    ["Infinity", "Infinity"],
    ["an empty string", ""],
    ["a stray character", "39143240O0"],
    ["null", null],
  ];
  // Spread over the file: the first, a middle and the last fact.
  const positions = (json: Json): number[] => [0, Math.floor(json.facts.length / 2), json.facts.length - 1];

  it.each(BAD_VALUES)("a fact value that is %s", (_what, bad) => {
    const json = freshJson();
    for (const position of positions(json)) {
      const damaged = freshJson();
      (damaged.facts[position] as Record<string, unknown>).value = bad;
      expect(refusal(damaged)).toMatch(new RegExp(`^Invalid QFIN dataset: facts\\[${position}\\]: "value" must be`));
    }
  });

  it("a fact moved to an item, period or release the file does not have", () => {
    const json = freshJson();
    const position = positions(json)[1] as number;
    const edits: [(fact: Record<string, unknown>) => void, RegExp][] = [
      [(fact) => (fact.item = "ops.no_such_item"), /item "ops\.no_such_item" is not in "items"/],
      [(fact) => (fact.period = "2031Q7"), /period "2031Q7" is not in "periods"/],
      [(fact) => ((fact.source as Record<string, unknown>).release = "1999Q1"), /source release "1999Q1" is not in "releases"/],
    ];
    for (const [edit, message] of edits) {
      const damaged = freshJson();
      edit(damaged.facts[position] as Record<string, unknown>);
      expect(refusal(damaged)).toMatch(message);
    }
  });

  it("a table cut short: an item whose parent or component is gone", () => {
    const damaged = freshJson();
    const total = damaged.items.findIndex((item) => Array.isArray(item.components) && (item.components as unknown[]).length > 0);
    const removedId = ((damaged.items[total] as { components: { item: string }[] }).components[0] as { item: string }).item;
    damaged.items = damaged.items.filter((item) => item.id !== removedId);
    damaged.facts = damaged.facts.filter((fact) => fact.item !== removedId);
    expect(refusal(damaged)).toContain(`"${removedId}" is not an item`);
  });

  it("a file cut off mid-way does not parse at all (the loader never sees half a dataset)", () => {
    for (const length of [1, Math.floor(DATASET_TEXT.length / 2), DATASET_TEXT.length - 2]) {
      expect(() => JSON.parse(DATASET_TEXT.slice(0, length))).toThrow(SyntaxError);
    }
  });
});

describe("a refused dataset never replaces the one in use", () => {
  it("the previous dataset stays active and keeps answering", () => {
    const session = new Session();
    const active = session.use(loadDataset(freshJson()));
    const before = invoke(session.index, "METRIC", ["Net income", "Q2 2023"]);
    expect(before).toBe(1093.377);

    const damaged = freshJson();
    (damaged.facts[0] as Record<string, unknown>).value = "not a number";
    // The swap the add-in does: validate, then activate. Validation throws first.
    expect(() => session.use(loadDataset(damaged))).toThrow(DatasetError);

    expect(session.index).toBe(active);
    expect(invoke(session.index, "METRIC", ["Net income", "Q2 2023"])).toBe(before);
  });
});

describe("tampering after ingest is refused: the loader re-checks what ingest checked", () => {
  const fresh = (): Dataset => JSON.parse(DATASET_TEXT) as Dataset;

  test("a figure changed so its total no longer ties", () => {
    const json = fresh();
    const fact = json.facts.find((f) => f.item === "bs.restricted_cash" && f.period === "2023-06-30" && f.currency === "RMB" && f.basis === "reported")!;
    fact.value = String(Number(fact.value) + 1000);
    expect(refusal(json)).toBe(
      'Invalid QFIN dataset: item "bs.total_current_assets" 2023-06-30 RMB (release 2023Q2): the total is 37557761000 but its components add up to 37557762000: the dataset was changed after ingest.',
    );
  });

  test("a total changed on its own", () => {
    const json = fresh();
    const fact = json.facts.find((f) => f.item === "ops.net_income" && f.period === "2023Q2" && f.currency === "RMB" && f.basis === "reported")!;
    fact.value = "1000";
    expect(refusal(json)).toMatch(/^Invalid QFIN dataset: item "ops\.net_income" 2023Q2 RMB \(release 2023Q2\): the total is 1000 but its components add up to 1093377000/);
  });

  test("a derived quarter changed (no total includes Q1 = H1 − Q2), or derived from a figure the dataset lacks", () => {
    const derived = fresh().facts.filter((f) => f.basis === "derived" && /^H1 \d{4} − Q2 \d{4} = /.test(f.source.formula ?? ""));
    // Every derived Q1 of an amount is re-derived: 129 in the shipped dataset.
    expect(derived.length).toBeGreaterThanOrEqual(100);
    const json = fresh();
    const fact = json.facts.find((f) => f.item === "ops.net_income" && f.period === "2023Q1" && f.currency === "RMB" && f.basis === "derived")!;
    fact.value = String(Number(fact.value) + 1000);
    expect(refusal(json)).toBe(
      `Invalid QFIN dataset: item "ops.net_income" 2023Q1 RMB (release 2023Q2, derived): it is ${fact.value} but H1 2023 less Q2 2023 is ${Number(fact.value) - 1000}: the dataset was changed after ingest.`,
    );
    const orphan = fresh();
    const derivedFact = orphan.facts.find((f) => f.item === "ops.net_income" && f.period === "2023Q1" && f.currency === "RMB" && f.basis === "derived")!;
    derivedFact.source.formula = (derivedFact.source.formula ?? "").replace("H1 2023", "H1 2019");
    expect(refusal(orphan)).toContain('(release 2023Q2, derived): its formula "H1 2019 − Q2 2023 = …" names figures the dataset does not report.');
    // A derivation worded otherwise is refused rather than left unchecked.
    const reworded = fresh();
    const rewordedFact = reworded.facts.find((f) => f.item === "ops.net_income" && f.period === "2023Q1" && f.currency === "RMB" && f.basis === "derived")!;
    rewordedFact.source.formula = `H1 2023 minus Q2 2023 is ${rewordedFact.value}`;
    expect(refusal(reworded)).toContain(`(release 2023Q2, derived): its formula "H1 2023 minus Q2 2023 is ${rewordedFact.value}" is no derivation this version knows.`);
  });

  test("a recorded check that failed, or no checks at all", () => {
    const failed = fresh();
    failed.checks[3]!.status = "fail";
    expect(refusal(failed)).toContain(`the tie-out check "${failed.checks[3]!.check}" failed`);
    expect(refusal({ ...fresh(), checks: [] })).toContain('"checks": empty');
  });
});
