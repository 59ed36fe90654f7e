/**
 * What an ingest accumulates: items, periods, facts and check results, with the bookkeeping rules in one place
 * (a figure printed twice must agree with itself; a derived figure never replaces a printed one).
 */
import { Decimal } from "../core/decimal";
import { factKey, type CheckResult, type Currency, type Fact, type ItemInfo, type PeriodInfo } from "../core/model";

export class FactBook {
  readonly items = new Map<string, ItemInfo>();
  readonly periods = new Map<string, PeriodInfo>();
  /** Exact facts (table figures and figures derived from them), one per item, period and currency. */
  readonly exact = new Map<string, Fact>();
  /** Narrative restatements, kept beside the exact figure they repeat (and checked against it). */
  readonly narrative: Fact[] = [];
  readonly checks: CheckResult[] = [];

  constructor(readonly release: string) {}

  addPeriod(period: PeriodInfo): void {
    if (!this.periods.has(period.id)) this.periods.set(period.id, period);
  }

  addItem(item: ItemInfo): ItemInfo {
    const existing = this.items.get(item.id);
    if (existing) return existing;
    this.items.set(item.id, item);
    return item;
  }

  item(id: string): ItemInfo {
    const item = this.items.get(id);
    if (!item) throw new Error(`internal: item ${id} used before it was defined`);
    return item;
  }

  /** Records a table figure; a copy of a figure already recorded (Net income in three tables) must agree. */
  addReported(fact: Fact): void {
    const key = factKey(fact.item, fact.period, fact.currency);
    const first = this.exact.get(key);
    if (!first) {
      this.exact.set(key, fact);
      return;
    }
    const agrees = new Decimal(first.value).eq(fact.value);
    if (agrees) first.copies = [...(first.copies ?? []), fact.source];
    this.record({
      check: "repeated_figure",
      status: agrees ? "pass" : "fail",
      message: `"${fact.source.row}" ${fact.period} ${fact.currency ?? ""} is printed as ${fact.source.printed} in ${fact.source.table} (line ${fact.source.line}) and as ${first.source.printed} in ${first.source.table} (line ${first.source.line})${agrees ? "" : ": the copies disagree"}.`,
      table: fact.source.table,
      row: fact.source.row,
      period: fact.period,
      currency: fact.currency,
      line: fact.source.line,
    });
  }

  /** Records a derived figure unless the release prints that figure itself. */
  addDerived(fact: Fact): boolean {
    const key = factKey(fact.item, fact.period, fact.currency);
    if (this.exact.has(key)) return false;
    this.exact.set(key, fact);
    return true;
  }

  addNarrative(fact: Fact): void {
    this.narrative.push(fact);
  }

  get(item: string, period: string, currency: Currency | null): Fact | undefined {
    return this.exact.get(factKey(item, period, currency));
  }

  value(item: string, period: string, currency: Currency | null): Decimal | undefined {
    const fact = this.get(item, period, currency);
    return fact ? new Decimal(fact.value) : undefined;
  }

  record(result: CheckResult): void {
    this.checks.push(result);
  }

  get failures(): CheckResult[] {
    return this.checks.filter((check) => check.status === "fail");
  }
}
