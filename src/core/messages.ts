/**
 * Every sentence a QFIN error can show, in one table (as HyperFormula's `error-message.ts`), so wording stays
 * consistent and reviewable. Each message says what was wrong and what would work. Excel shows them on `#N/A` and
 * `#VALUE!` only; the CLI and the taskpane show them always.
 */

/** Quotes what the user typed, cut short: a message must fit in a cell (32,767 characters) and stay readable. */
const MAX_QUOTED = 100;
const quote = (text: string): string => `"${text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text}"`;
/** "a, b or c" / "a, b and c": items may hold commas themselves ("Mar 31, 2023"), so the list is built, not patched. */
const joinList = (options: readonly string[], word: "or" | "and"): string =>
  options.length <= 1 ? options.join("") : `${options.slice(0, -1).join(", ")} ${word} ${options[options.length - 1]}`;
const orList = (options: readonly string[]): string => joinList(options, "or");

/**
 * @example
 * andList(["Q3 2022", "Mar 31, 2023"]) // "Q3 2022 and Mar 31, 2023"
 */
export const andList = (items: readonly string[]): string => joinList(items, "and");

export const ACCEPTED_PERIOD_FORMS =
  '"2023Q2", "Q2 2023", "2Q23", "Q2\'23", "Q2 FY23", "H1 2023", "1H23", "first half 2023", "3M/6M/9M 2023", "FY2023", "LTM", "2023-06-30", "Jun 30, 2023", "June 2023", a date serial, "latest" or "latest-1"';

export const Messages = {
  noData: "No QFIN data is loaded. Reload the add-in, or in the CLI pass --data with a dataset file built by `qfin ingest`.",
  internal: (detail: string) => `Internal error in QFIN (please report it): ${detail}`,

  // Items
  itemMissing: 'Give an item: a label such as "Net income", a path such as "Platform services > Other services fees", or an id.',
  itemNotText: (value: string) =>
    `An item is text (a label, a "Parent > Label" path or an id), not ${value}. Put the label in quotes, e.g. "Net income".`,
  unknownItem: (typed: string, suggestions: string[]) =>
    suggestions.length > 0
      ? `Unknown line item ${quote(typed)}; did you mean ${orList(suggestions.map(quote))}?`
      : `Unknown line item ${quote(typed)}. Search with QFIN.ITEMS(${quote(typed)}) or list them all with QFIN.ITEMS().`,
  notReportedTerm: (typed: string, what: string, related: string[], hint: string | null) =>
    `${quote(typed)} (${what}) is not reported in the release.${hint ? ` ${hint}` : ""}${related.length > 0 ? ` Related lines it reports: ${related.map(quote).join(", ")}.` : ""}`,
  ambiguousItem: (typed: string, candidates: string[]) =>
    `${quote(typed)} is ambiguous: it could be ${orList(candidates.map(quote))}. Type the one you mean.`,

  // Periods
  periodMissing: `Give a period: ${ACCEPTED_PERIOD_FORMS}.`,
  periodUnparseable: (typed: string) => `${quote(typed)} is not a period. Accepted forms: ${ACCEPTED_PERIOD_FORMS}.`,
  periodNumber: (value: number) =>
    `${value} is not a period (nor a date serial). Type it as text: "FY${value}" for a year, "Q2 ${value}" for a quarter, or a date such as "${value}-06-30".`,
  periodNotReported: (item: string, period: string, available: string[]) =>
    available.length > 0
      ? `${quote(item)} is not reported for ${period}. It has: ${available.join(", ")}.`
      : `${quote(item)} has no figures in the loaded data.`,
  ambiguousDate: (typed: string, dayFirst: string, monthFirst: string) =>
    `${quote(typed)} could be ${dayFirst} (day first) or ${monthFirst} (month first). Type the one you mean as ${quote(dayFirst)} or ${quote(monthFirst)}.`,
  ltmNotHere: (item: string) =>
    `An LTM (last twelve months) of ${quote(item)} is a sum of four quarters: ask QFIN.METRIC or QFIN.MARGIN for it, with "LTM" or "LTM Q2 2023".`,
  ltmNeedsFlow: (item: string) =>
    `${quote(item)} does not add up over quarters (a balance, a rate or a per-share figure), so it has no LTM sum. Give a quarter or a date.`,
  ltmMissing: (item: string, ltm: string, missing: string[], available: string[]) =>
    `${ltm} of ${quote(item)} needs ${missing.join(" and ")}, which the data does not report; no LTM sum is given rather than one of fewer quarters. It has: ${available.join(", ")}.`,
  instantForDuration: (item: string, date: string) =>
    `${quote(item)} is a flow over a period, not a balance at a date (${date}). Give a quarter or half such as "Q2 2023" or "H1 2023".`,
  latestUnavailable: (item: string) => `There is no latest period for ${quote(item)}: it has no figures in the loaded data.`,

  // Options
  badCurrency: (typed: string) => `Unknown currency ${quote(typed)}. Use "RMB" (the default) or "USD".`,
  badScale: (typed: string) => `Unknown scale ${quote(typed)}. Use "U" (units), "K" (thousands), "M" (millions, the default) or "B" (billions).`,
  badAsOf: (typed: string, releases: string[]) =>
    `${quote(typed)} is not a release in the loaded data. Use "latest" (the default), "first" (as first reported) or a release: ${releases.map(quote).join(", ")}.`,
  badMeasure: (typed: string) => `Unknown measure ${quote(typed)}. Use "value" (the default), "growth", "QoQ", "margin" or "change".`,
  badBasis: (typed: string) => `Unknown growth basis ${quote(typed)}. Use "YoY" (the default) or "QoQ".`,
  badBoolean: (name: string, typed: string) => `${name} must be TRUE or FALSE, not ${quote(typed)}.`,
  notText: (name: string, value: string) => `${name} must be text, not ${value}.`,
  emptyRange: "The range has no cells. Point it at the cells that hold the items or periods.",
  notAValue: (name: string) => `${name} must be a value (text, a number, TRUE or FALSE), not an object or data type. Point it at a cell that holds one.`,
  rangeNotAllowed: (name: string) => `${name} takes a single value, not a range. Point it at one cell.`,
  argumentMissing: (name: string) => `Give a value for ${name}.`,
  tooManyArguments: (signature: string, max: number, got: number) =>
    `${signature.slice(0, signature.indexOf("("))} ${max === 0 ? "takes no arguments" : `takes at most ${max} argument${max === 1 ? "" : "s"}`}, got ${got}: ${signature}.`,
  unknownFunction: (fn: string) => `There is no function QFIN.${fn}.`,
  broadcastShapes: (itemShape: string, periodShape: string) =>
    `Cannot pair an item range of ${itemShape} with a period range of ${periodShape}. Use ranges of the same shape, or a column of items with a row of periods for a grid.`,

  // Figures
  notScalable: (item: string, unit: string) => `${quote(item)} is a ${unit}, not an amount; MARGIN and GROWTH of it make no sense here.`,
  marginUnits: (item: string, base: string) => `Cannot divide ${quote(item)} by ${quote(base)}: a margin needs two figures of the same kind (two amounts, two counts).`,
  marginNatures: (item: string, base: string, itemIsBalance: boolean) =>
    `${quote(item)} is ${itemIsBalance ? "a balance at a date" : "a flow over a period"} and ${quote(base)} ${itemIsBalance ? "a flow over a period" : "a balance at a date"}: the one divided by the other is not a margin. Divide two flows or two balances.`,
  growthOfRatio: (item: string) =>
    `${quote(item)} is a ratio or rate: its growth rate would mislead. QFIN.CHANGE(${quote(item)}, period) gives the change as a fraction (0.0046 is 46 basis points).`,
  notMeaningful: (item: string, period: string, comparison: string, why: string) =>
    `n.m.: growth of ${quote(item)} from ${comparison} to ${period} is not meaningful because ${why}. QFIN.CHANGE gives the difference.`,
  ltmNoGrowth: (item: string) => `Growth and change of an LTM figure of ${quote(item)} are not given: compare the quarters or halves instead.`,
  zeroBase: (base: string, period: string) => `${quote(base)} is zero for ${period}, so the ratio is undefined.`,
  comparisonMissing: (item: string, period: string, comparison: string, what: string, available: string[]) =>
    `${what} of ${quote(item)} for ${period} needs ${comparison}, which the data does not have. It has: ${available.join(", ")}.`,
  qoqNeedsQuarter: (period: string, measure = "growth") => `QoQ ${measure} compares quarters; ${period} is not a quarter. Use "YoY", or give a quarter such as "Q2 2023".`,

  // Statements and lists
  unknownStatement: (typed: string, known: string[]) => `Unknown statement ${quote(typed)}. Use one of ${orList(known.map(quote))}.`,
  statementMissing: (known: string[]) => `Give a statement: ${orList(known.map(quote))}.`,
  statementNotReported: (statement: string, period: string, available: string[]) =>
    `The ${statement} has no figures for ${period}. It has: ${available.join(", ")}.`,
  unknownPeriodSet: (typed: string) =>
    `${quote(typed)} is neither a period nor a set of periods. Use a period, a range of periods, or "quarters", "halves", "instants" or "all".`,
  noSearchResults: (query: string) =>
    `No line item or KPI matches ${quote(query)}. Try fewer or shorter words, or QFIN.ITEMS() for the full list.`,
  noChecks: "The loaded data records no tie-out checks.",

  // Results at the Excel boundary
  notOneValue: (shape: string) => `Internal error: expected one value, got a ${shape} array.`,
  emptyResult: "The result is empty: nothing matched.",
  resultTooLarge: (rows: number, columns: number) =>
    `The result would be ${rows} rows by ${columns} columns, more than a worksheet holds (1,048,576 × 16,384). Ask for fewer items or periods.`,

  // Formulas evaluated outside Excel (the qfin command, the workbench, recalc)
  unknownQfinFunction: (name: string, nearest: string | null, all: readonly string[]) =>
    `Unknown function ${name}; ${nearest ? `did you mean ${nearest}?` : `QFIN functions are ${all.join(", ")}.`}`,
  unknownExcelFunction: (name: string) =>
    `Unknown function ${name}; this formula engine supports QFIN functions and Excel's common functions (SUM, ROUND, IF, INDEX, …).`,
  unsupportedArgument: (value: string) => `Unsupported argument value: ${value}.`,
  notACellValue: "The formula returned a reference or value a cell cannot hold.",
  noSuchSheet: (sheet: string, only: string | null) =>
    only === null ? `There is no sheet named ${sheet} in this workbook.` : `There is no sheet ${sheet}; cells live on ${only}.`,
  functionFailed: (name: string, reason: string) => `${name} could not be computed: ${reason}`,
  wildcardCriteria: (name: string, criteria: string) =>
    `${name} criteria with wildcards (${criteria}) are not supported by this formula engine; match the text exactly.`,
  notANumber: (value: string) => `"${value}" is not a number.`,
} as const;
