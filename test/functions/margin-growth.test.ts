import { ErrorType } from "../../src/core/cell";
import { invoke } from "../../src/functions/invoke";
import renderHelpPage from "../../src/functions/help-page";
import { miniIndex, miniDatasetJson } from "../fixtures/mini-dataset";
import { expectError } from "./helpers";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";

const index = miniIndex();

const printedPercent = (value: unknown): number => Math.round((value as number) * 1000) / 10;

describe("QFIN.MARGIN errors", () => {

  it("refuses a base of another unit", () => {
    expect(expectError(invoke(index, "MARGIN", ["Net income", "Q2 2023", "Net income per fully diluted ADS"]), ErrorType.VALUE).message).toBe(
      'Cannot divide "Net income" by "Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. > Diluted": a margin needs two figures of the same kind (two amounts, two counts).',
    );
  });

  it("#N/A when either figure is missing", () => {
    expect(expectError(invoke(index, "MARGIN", ["Net income", "Q3 2023"]), ErrorType.NA).message).toContain("not reported for Q3 2023");
  });

  it("#DIV/0! on a zero base", () => {
    const json = miniDatasetJson();
    // Revenue and the segments it is the total of, all zero: the dataset still ties out.
    const zeroed = new Set(["ops.total_net_revenue", "ops.credit_driven_services", "ops.platform_services"]);
    for (const fact of json.facts) if (zeroed.has(fact.item) && fact.period === "2022Q2") fact.value = "0";
    const index = buildIndex(loadDataset(json));
    expect(expectError(invoke(index, "MARGIN", ["Net income", "Q2 2022"]), ErrorType.DIV_BY_ZERO).message).toBe(
      '"Total net revenue" is zero for Q2 2022, so the ratio is undefined.',
    );
    // GROWTH from that zero is not a division error: it is "n.m.", as the help page says.
    expect(expectError(invoke(index, "GROWTH", ["Total net revenue", "Q2 2023"]), ErrorType.NA).message).toMatch(/^n\.m\.: /);
    const growthHelp = /id="?GROWTH"?[ >][\s\S]*?(?=<section|$)/.exec(renderHelpPage())?.[0] ?? "";
    expect(growthHelp).toContain("n.m.");
    expect(growthHelp).not.toContain("#DIV/0!");
  });
});

describe("QFIN.MARGIN", () => {

  it("divides exactly by Total net revenue by default, matching the printed margins", () => {
    expect(invoke(index, "MARGIN", ["Net income", "Q2 2023"])).toBeCloseTo(1093377 / 3914324, 15);
    expect(printedPercent(invoke(index, "MARGIN", ["Net income", "Q2 2023"]))).toBe(27.9);
    expect(printedPercent(invoke(index, "MARGIN", ["Net income", "Q2 2022"]))).toBe(23.3);
    expect(printedPercent(invoke(index, "MARGIN", ["Income from operations", "Q2 2023"]))).toBe(30.2);
    expect(printedPercent(invoke(index, "MARGIN", ["Non-GAAP net income", "H1 2023"]))).toBe(28.3);
  });

  it("takes another base", () => {
    expect(invoke(index, "MARGIN", ["Platform services > Other services fees", "Q2 2023", "Platform services"])).toBeCloseTo(76923 / 1125617, 15);
  });

  it("maps over a row of periods", () => {
    const result = invoke(index, "MARGIN", ["Net income", [["Q2 2022", "Q2 2023"]]]) as number[][];
    expect(result[0].map(printedPercent)).toEqual([23.3, 27.9]);
  });
});

describe("QFIN.GROWTH errors", () => {

  it("#N/A when the comparison period is not in the data", () => {
    expect(expectError(invoke(index, "GROWTH", ["Net income", "Q1 2023"]), ErrorType.NA).message).toBe(
      'YoY growth of "Net income" for Q1 2023 needs Q1 2022, which the data does not have. It has: Q2 2022, H1 2022, Q1 2023, Q2 2023, H1 2023.',
    );
  });

  it("QoQ of a half is refused", () => {
    expect(expectError(invoke(index, "GROWTH", ["Net income", "H1 2023", "QoQ"]), ErrorType.VALUE).message).toContain("QoQ growth compares quarters");
  });

  it("a bad basis", () => {
    expect(expectError(invoke(index, "GROWTH", ["Net income", "Q2 2023", "MoM"]), ErrorType.VALUE).message).toBe(
      'Unknown growth basis "MoM". Use "YoY" (the default) or "QoQ".',
    );
  });

  it("n.m. (#N/A saying why) when the comparison is zero", () => {
    const json = miniDatasetJson();
    for (const fact of json.facts) if (fact.item === "ops.net_income" && fact.period === "2022Q2") fact.value = "0";
    const index = buildIndex(loadDataset(json));
    expect(expectError(invoke(index, "GROWTH", ["Net income", "Q2 2023"]), ErrorType.NA).message).toBe(
      'n.m.: growth of "Net income" from Q2 2022 to Q2 2023 is not meaningful because the comparison figure is zero. QFIN.CHANGE gives the difference.',
    );
  });
});

describe("QFIN.GROWTH", () => {

  it("YoY by default, as the release's own growth rates", () => {
    expect(invoke(index, "GROWTH", ["Total net revenue", "Q2 2023"])).toBeCloseTo(3914324 / 4183199 - 1, 15);
    expect(printedPercent(invoke(index, "GROWTH", ["Total facilitation and origination loan volume", "Q2 2023"]))).toBe(26.4);
    expect(printedPercent(invoke(index, "GROWTH", ["Cumulative registered users", "Q2 2023"]))).toBe(11.5);
  });

  it("QoQ against the derived prior quarter", () => {
    expect(invoke(index, "GROWTH", ["Net income", "Q2 2023", "qoq"])).toBeCloseTo(1093377 / 929822 - 1, 15);
  });

  it("compares like with like when both figures are negative: a loss that narrows shrinks", () => {
    // FX loss of 91,610 narrowing to 2,319: the loss shrank by 97.5%, as an analyst reads a line printed in parentheses.
    expect(invoke(index, "GROWTH", ["Foreign exchange (loss) gain", "Q2 2023"])).toBeCloseTo(-2319 / -91610 - 1, 15);
    expect(String(invoke(index, "SOURCE", ["Foreign exchange (loss) gain", "Q2 2023", null, null, "growth"]))).toContain(
      "both are negative (printed in parentheses), so growth compares their sizes: the amount shrank by 97.47%",
    );
  });
});
