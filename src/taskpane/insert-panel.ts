/**
 * Insert: the chosen item's formula (value, series or statement) in the chosen currency and scale, written where the
 * pane inserts (the active cell in Excel, the workbench in the preview), asking first when it would replace anything.
 */
import type { DatasetIndex } from "../core/dataset-index";
import type { Scale } from "../core/figures";
import type { Currency, PeriodInfo } from "../core/model";
import { invoke } from "../functions/invoke";
import { byId } from "./dom";
import { confirmPrompt, reason } from "./confirm";
import { metricCall, seriesCall, statementCall, type FormulaCall } from "./insert-formulas";
import type { ItemDetails } from "./item-details";

/** Where Insert puts a formula: the active cell in Excel, or the workbench in the preview. */
export interface InsertTarget {
  /** "the active cell", "the workbench". */
  readonly name: string;
  /** How many cells of the block the result would cover already hold something, and the block's address. */
  occupied(rows: number, columns: number): Promise<{ address: string; occupied: number }>;
  /** Writes the formula; resolves to where it went ("Sheet1!B4"). */
  write(formula: string): Promise<string>;
}

export type InsertKind = "metric" | "series" | "statement";

/** What the insert panel inserts for: the item's details and the period chosen in them. */
export interface InsertSubject {
  index: DatasetIndex;
  details: ItemDetails;
  period: PeriodInfo | null;
}

export interface InsertPanel {
  /** Shows the panel for an item (null hides it). */
  show(subject: InsertSubject | null): void;
  currency(): Currency;
  scale(): Scale;
}

/**
 * The currency a formula for these details is written in: the one chosen, unless the pane shows the item in another
 * alone (a line the release reports in US$ only, such as the dividend), so the formula answers what the pane shows.
 *
 * @example
 * insertCurrency(itemDetails(index, dividendPerAds), "RMB") // "USD"
 */
export function insertCurrency(details: ItemDetails, chosen: Currency): Currency {
  return details.currencies.length === 0 || details.currencies.includes(chosen) ? chosen : (details.currencies[0] as Currency);
}

/** The size of what a call returns, from the core (1 × 1 for a single value or an error). */
function resultSize(index: DatasetIndex, call: FormulaCall): [number, number] {
  const result = invoke(index, call.id, call.args);
  if (!Array.isArray(result)) return [1, 1];
  return [result.length, Math.max(1, ...result.map((row) => row.length))];
}

export function insertPanel(target: InsertTarget, onOptionsChange: () => void): InsertPanel {
  const panel = byId("insert-panel");
  const preview = byId("formula-preview");
  const currencyNote = byId("currency-note");
  const status = byId("pane-status");
  const currencySelect = byId<HTMLSelectElement>("currency");
  const scaleSelect = byId<HTMLSelectElement>("scale");
  const confirm = confirmPrompt("confirm");
  let subject: InsertSubject | null = null;
  let currency: Currency = "RMB";
  let scale: Scale = "M";

  const callFor = (kind: InsertKind): FormulaCall | null => {
    if (subject === null) return null;
    const { details, period } = subject;
    const shown = insertCurrency(details, currency);
    if (kind === "series") return seriesCall(details.name, details.item.unit, shown, scale);
    if (period === null) return null;
    if (kind === "metric") return metricCall(details.name, details.item.unit, period.label, shown, scale);
    return statementCall(details.item.statement, period.label, shown, scale);
  };

  const write = async (formula: string): Promise<void> => {
    const where = await target.write(formula);
    status.textContent = `Inserted ${formula} into ${where}.`;
  };

  const insert = async (kind: InsertKind): Promise<void> => {
    confirm.dismiss();
    const call = callFor(kind);
    if (call === null || subject === null) {
      status.textContent = "Choose an item and a period first.";
      return;
    }
    preview.textContent = call.formula;
    const [rows, columns] = resultSize(subject.index, call);
    const area = await target.occupied(rows, columns);
    if (area.occupied === 0) return write(call.formula);
    confirm.ask(
      `${area.address} already holds something in ${area.occupied} cell${area.occupied === 1 ? "" : "s"} (the result covers ${rows} × ${columns}). Replace it?`,
      () => void write(call.formula).catch(reportFailure),
      () => (status.textContent = "Nothing was inserted."),
    );
  };

  const reportFailure = (error: unknown): void => {
    status.textContent = `Could not insert the formula: ${reason(error)}`;
  };
  for (const kind of ["metric", "series", "statement"] as const) {
    byId(`insert-${kind}`).addEventListener("click", () => void insert(kind).catch(reportFailure));
  }
  currencySelect.addEventListener("change", () => {
    currency = currencySelect.value === "USD" ? "USD" : "RMB";
    onOptionsChange();
  });
  scaleSelect.addEventListener("change", () => {
    scale = (["U", "K", "M", "B"] as const).find((choice) => choice === scaleSelect.value) ?? "M";
    onOptionsChange();
  });
  byId("insert-target").textContent = target.name;

  return {
    show(next) {
      if (next?.details.item.id !== subject?.details.item.id) {
        status.textContent = "";
        confirm.dismiss();
      }
      subject = next;
      panel.hidden = next === null;
      const only = next !== null && next.details.currencies.length === 1 ? next.details.currencies[0] : null;
      currencyNote.textContent = only === "USD" ? "Reported in US$ only: inserted in US$." : "";
      preview.textContent = callFor("metric")?.formula ?? "";
    },
    currency: () => currency,
    scale: () => scale,
  };
}
