import { CellError, ErrorType } from "../../src/core/cell";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { resolveItem, typeableName } from "../../src/core/resolve-item";
import { editDistance, labelKey } from "../../src/core/text-match";
import { miniDatasetJson } from "../fixtures/mini-dataset";

const index = buildIndex(loadDataset(miniDatasetJson()));
const idOf = (typed: string): string => {
  const resolved = resolveItem(index, typed);
  if (resolved instanceof CellError) throw new Error(resolved.toString());
  return resolved.id;
};
const errorOf = (typed: string): CellError => resolveItem(index, typed) as CellError;

describe("resolveItem refuses", () => {
  it("an ambiguous label, listing every candidate as a path that works", () => {
    const error = errorOf("Other services fees");
    expect(error.type).toBe(ErrorType.VALUE);
    expect(error.message).toBe(
      '"Other services fees" is ambiguous: it could be "Credit driven services > Other services fees" or "Platform services > Other services fees". Type the one you mean.',
    );
    const related = errorOf("amounts due from related parties");
    expect(related.message).toContain('"Current assets > Amounts due from related parties" or "Non-current assets > Amounts due from related parties"');
  });

  it("a label under three headings", () => {
    const error = errorOf("Basic");
    expect(error.message).toContain('"Net income per ordinary share attributable to ordinary shareholders of Qifu Technology, Inc. > Basic"');
    expect(error.message).toContain('"Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. > Basic"');
    expect(error.message).toContain('"Weighted average shares used in calculating net income per ordinary share > Basic"');
  });

  it("an unknown label, with the nearest suggestion", () => {
    const error = errorOf("Revenu");
    expect(error.type).toBe(ErrorType.NA);
    expect(error.toString()).toBe('#N/A Unknown line item "Revenu"; did you mean "Total net revenue"?');
    expect(errorOf("Net incme").message).toBe('Unknown line item "Net incme"; did you mean "Net income"?');
  });

  it("something nothing resembles, pointing at QFIN.ITEMS", () => {
    expect(errorOf("Goodwill impairment").message).toBe(
      'Unknown line item "Goodwill impairment". Search with QFIN.ITEMS("Goodwill impairment") or list them all with QFIN.ITEMS().',
    );
  });

  it("a path whose parent is wrong", () => {
    expect(errorOf("Platform services > Financing income").type).toBe(ErrorType.NA);
  });

  it("blank text", () => {
    expect(errorOf("   ").type).toBe(ErrorType.VALUE);
  });
});

describe("resolveItem finds", () => {
  it("ids", () => {
    expect(idOf("ops.total_net_revenue")).toBe("ops.total_net_revenue");
    expect(idOf("OPS.Net_Income")).toBe("ops.net_income");
  });

  it("labels regardless of case, spaces and punctuation", () => {
    expect(idOf("net income")).toBe("ops.net_income");
    expect(idOf("  NET   INCOME ")).toBe("ops.net_income");
    expect(idOf("Loan facilitation and servicing fees - capital heavy")).toBe("ops.credit_driven_services.loan_facilitation_and_servicing_fees_capital_heavy");
    expect(idOf("90 day+ delinquency rate")).toBe("kpi.90_day_delinquency_rate");
    expect(idOf("Foreign exchange (loss) gain")).toBe("ops.foreign_exchange_loss_gain");
  });

  it("paths, any tail of them, with the section heading for balance-sheet lines", () => {
    expect(idOf("Platform services > Other services fees")).toBe("ops.platform_services.other_services_fees");
    expect(idOf("credit driven services>other services fees")).toBe("ops.credit_driven_services.other_services_fees");
    expect(idOf("Non-current assets > Amounts due from related parties")).toBe("bs.non_current_assets.amounts_due_from_related_parties");
    expect(idOf("Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. > Diluted")).toBe("ops.net_income_per_ads.diluted");
  });

  it("aliases", () => {
    expect(idOf("Revenue")).toBe("ops.total_net_revenue");
    expect(idOf("Operating income")).toBe("ops.income_from_operations");
    expect(idOf("Net revenue from Credit Driven Services")).toBe("ops.credit_driven_services");
    expect(idOf("Net income per fully diluted ADS")).toBe("ops.net_income_per_ads.diluted");
  });

  it("the same answer from the memo", () => {
    expect(resolveItem(index, "Revenue")).toBe(resolveItem(index, "Revenue"));
  });

  it("names every item by the shortest text that resolves back to it", () => {
    for (const item of index.itemsById.values()) {
      const name = typeableName(index, item);
      expect(resolveItem(index, name)).toBe(item);
    }
  });
});

describe("text matching", () => {
  it("compares labels without case, spaces or punctuation", () => {
    expect(labelKey("Fees - Capital Heavy")).toBe(labelKey("fees-capital heavy"));
  });

  it("measures edit distance", () => {
    expect(editDistance("revenu", "revenue")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});
