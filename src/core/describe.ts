/**
 * Words about figures and items: where a figure comes from (SOURCE) and what an item means (DEFINITION).
 */
import type { DatasetIndex } from "./dataset-index";
import type { Figure, Scale } from "./figures";
import type { Currency, Fact, ItemInfo } from "./model";
import { Decimal, formatGrouped } from "./decimal";

/** Currencies as the release writes them. */
export const CURRENCY_WORDS: Readonly<Record<Currency, string>> = { RMB: "RMB", USD: "US$" };
/** Scales as a unit says them ("RMB millions"); units say nothing. */
export const SCALE_WORDS: Readonly<Record<Scale, string>> = { U: "", K: "thousands", M: "millions", B: "billions" };

/**
 * The unit of an item's figures in words, as the pane and the trace label them; "" for a count.
 *
 * @example
 * unitWords(netIncome, "RMB", "M")  // "RMB millions"
 * unitWords(dilutedEps, "USD", "M") // "US$ per share or ADS" (per-share figures are never scaled)
 */
export function unitWords(item: ItemInfo, currency: Currency | null, scale: Scale): string {
  const money = currency === null ? "" : CURRENCY_WORDS[currency];
  switch (item.unit) {
    case "amount":
      return `${money} ${SCALE_WORDS[scale]}`.trim();
    case "per_share":
      return `${money} per share or ADS`.trim();
    case "shares":
      return "shares or ADSs";
    case "ratio":
      return "per cent";
    case "months":
      return "months";
    case "count":
      return "";
  }
}

/**
 * One line naming a figure's origin: release, table, row, column and line for a table figure; the sentence for a
 * narrative one; the computation for a derived one; and the rate when it had to be converted to US$.
 *
 * @example
 * describeSource(figure)
 * // '2023Q2 release, Unaudited Condensed Consolidated Statements of Operations, row "Net income", column "Three months ended June 30, 2023 RMB", line 292'
 * // 'derived: H1 2023 − Q2 2023 = 2,023,199 − 1,093,377 = 929,822 (2023Q2 release)'
 */
export function describeSource(figure: Figure, history: readonly Fact[] = [], note: string | null = null): string {
  if (figure.parts !== undefined) {
    const sum = figure.parts.map((part) => `${part.period.label} (${describeFact(part)})`).join(" + ");
    return `${figure.period.label}: the sum of four quarters, ${sum}${note ? `; ${note}` : ""}`;
  }
  let text = describeFact(figure);
  if (figure.period.note) text += `; ${figure.period.note} (a quarter-end date given for a flow)`;
  const restated = restatementNote(figure, history);
  if (restated) text += `; ${restated}`;
  return note ? `${text}; ${note}` : text;
}

/** Where one figure's fact comes from, and its conversion when it had one. */
function describeFact(figure: Figure): string {
  const { fact } = figure;
  const source = fact.source;
  let text: string;
  if (fact.basis === "derived") {
    text = `derived: ${source.formula ?? "computed from reported figures"} (${source.release} release)`;
  } else if (fact.basis === "narrative") {
    text = `${source.release} release, narrative, line ${source.line}${source.sentence ? `: "${source.sentence}"` : ""}`;
  } else {
    const parts = [`${source.release} release`];
    if (source.table) parts.push(source.table);
    if (source.row) parts.push(`row "${source.row}"`);
    if (source.column) parts.push(`column "${source.column}"`);
    parts.push(`line ${source.line}`);
    text = parts.join(", ");
  }
  const converted = describeConversion(figure);
  return converted === null ? text : `${text}; ${converted}`;
}

/**
 * How a figure the release prints in its other currency only was converted, or null when it was not.
 *
 * @example
 * describeConversion(netIncomeQ2_2022InUsd)
 * // "converted to US$ at RMB7.2513 = US$1.00 (the 2023Q2 release's rate as of 2023-06-30), rounded as the release
 * //  rounds its own translations; the release prints no US$ figure for Q2 2022"
 */
export function describeConversion(figure: Figure): string | null {
  const { conversion } = figure;
  if (conversion === null) return null;
  const to = CURRENCY_WORDS[conversion.to];
  return (
    `converted to ${to} at RMB${conversion.rate} = US$1.00 (the ${conversion.release.id} release's rate as of ${conversion.release.usdRateDate}), ` +
    `rounded as the release rounds its own translations; the release prints no ${to} figure for ${figure.period.label}`
  );
}

/** "other releases report it differently: 57,000 thousand in the 2023Q2 release (line 214)" for a restated figure. */
function restatementNote(figure: Figure, history: readonly Fact[]): string | null {
  const chosen = figure.fact;
  const others = history.filter(
    (fact) => fact.source.release !== chosen.source.release && fact.basis === "reported" && !new Decimal(fact.value).eq(chosen.value),
  );
  if (others.length === 0) return null;
  const printed = (value: string): string =>
    figure.item.unit === "amount" ? `${formatGrouped(new Decimal(value).div(1000))} thousand` : new Decimal(value).toFixed();
  return `other releases report it differently: ${others.map((fact) => `${printed(fact.value)} in the ${fact.source.release} release (line ${fact.source.line})`).join(", ")}`;
}

/**
 * The release's definition of an item with where it sits, or a sentence saying the release defines none.
 *
 * @example
 * describeDefinition(index, delinquencyRate)
 * // '"90 day+ delinquency rate" refers to the outstanding principal balance … (footnote *8; Business highlights)'
 */
export function describeDefinition(index: DatasetIndex, item: ItemInfo): string {
  const statement = index.statementsById.get(item.statement)?.title ?? item.statement;
  const place = [statement, item.section].filter((part): part is string => part !== null && part !== "").join(", ");
  if (item.definition !== null && item.definition.trim() !== "") {
    const footnote = item.footnote ? `footnote ${item.footnote}; ` : "";
    return `${item.definition.trim()} (${footnote}${place})`;
  }
  return `The release does not define "${item.label}"; it is a line in ${place}.`;
}
