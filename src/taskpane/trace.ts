/**
 * Tracing a QFIN call to the release: the figure it answers, where that comes from in words (what QFIN.SOURCE says,
 * or the derivation of a margin or growth rate) and the release lines to quote (table row, narrative sentence, the
 * figures a derivation or computation used). The arguments are normalised by the catalogue's own parameters and every
 * figure comes from the core, so the trace answers exactly what the cell does. Pure: the caller supplies argument
 * values (read from cells in Excel) and the release text.
 */
import { CellError, ErrorType, isCellError, type ArgValue, type FunctionResult } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { toExcelNumber } from "../core/decimal";
import { change, figureFor, growth, margin, scaledValue, type Figure, type Ratio, type Scale } from "../core/figures";
import type { Currency, ItemInfo, Provenance, StatementInfo } from "../core/model";
import { CURRENCY_WORDS, unitWords } from "../core/describe";
import type { ParsedPeriod } from "../core/periods";
import { shortName } from "../core/resolve-item";
import type { QfinCall } from "../excel/qfin-calls";
import { functionById } from "../functions/catalogue";
import { Messages } from "../core/messages";
import { invoke, normalisedArguments } from "../functions/invoke";
import { figureText, percentText } from "./item-details";

/** A release line to show, and what on it to mark. */
export interface TraceQuote {
  /** What the line gives: "Q2 2023 · RMB", "Q2 2022 (compared with)", "stated growth". */
  what: string;
  provenance: Provenance;
}

export interface TracedCall {
  /** The call with its arguments' values: `QFIN.METRIC("Net income","Q2 2023")`. */
  call: string;
  /** The item it is about, when it names one. */
  item: ItemInfo | null;
  /** "Net income · Q2 2023". */
  title: string;
  /** What it answers, as the pane prints it ("1,093.377"), or the error code and message. */
  result: string;
  /** "RMB millions", "per cent", … (empty for errors and text). */
  unit: string;
  isError: boolean;
  /** The answer as a number, to compare with what the cell shows; null for text and errors. */
  number: number | null;
  /** Where it comes from, once: SOURCE's sentence, a ratio's derivation, a definition. */
  source: string;
  quotes: TraceQuote[];
  /** Why it could not be traced further (an argument computed by another formula, a list that has no one figure). */
  note: string | null;
}

/** The functions whose answer comes from release lines; the lists (ITEMS, PERIODS, CHECK, VERSION) have none to trace. */
export const TRACEABLE = new Set(["METRIC", "MARGIN", "GROWTH", "CHANGE", "SOURCE", "DEFINITION", "SERIES", "STATEMENT"]);

/** An argument's value as the cell's references give it, or why it has none the trace can use. */
export type TraceArgument = ArgValue | { unresolved: string };

const isUnresolved = (arg: TraceArgument): arg is { unresolved: string } => typeof arg === "object" && arg !== null && !Array.isArray(arg) && "unresolved" in arg;


/** Text for an argument value in a call as a formula would write it. */
function argumentText(arg: ArgValue): string {
  if (arg === null || arg === undefined) return "";
  if (typeof arg === "string") return `"${arg.replace(/"/g, '""')}"`;
  if (typeof arg === "boolean") return arg ? "TRUE" : "FALSE";
  if (isCellError(arg)) return arg.type;
  if (Array.isArray(arg)) return "{…}";
  return String(arg);
}

function callText(id: string, args: readonly ArgValue[]): string {
  const written = args.map(argumentText);
  while (written.length > 0 && written[written.length - 1] === "") written.pop();
  return `QFIN.${id}(${written.join(",")})`;
}

function unitOf(figure: Figure, scale: Scale): string {
  return unitWords(figure.item, figure.conversion?.to ?? figure.fact.currency, scale);
}

/** The lines a figure stands on: its table row or sentence; for an LTM, its four quarters. */
function figureQuotes(figure: Figure, what: string): TraceQuote[] {
  if (figure.parts !== undefined) return figure.parts.flatMap((part) => figureQuotes(part, part.period.label));
  const currency = figure.fact.currency === null ? "" : ` · ${CURRENCY_WORDS[figure.fact.currency]}`;
  return [{ what: `${what}${currency}${figure.conversion ? ` (converted to ${CURRENCY_WORDS[figure.conversion.to]})` : ""}`, provenance: figure.fact.source }];
}

const errorResult = (error: CellError): Pick<TracedCall, "result" | "isError" | "unit" | "number"> => ({
  result: `${error.type}${error.message ? ` ${error.message}` : ""}`,
  isError: true,
  unit: "",
  number: null,
});

/** Each argument normalised by the function's own parameters; the first refusal is the answer, as in the cell. */
function normalised(index: DatasetIndex, id: string, args: readonly ArgValue[]): unknown[] | CellError {
  const fn = functionById(id);
  return fn === undefined ? new CellError(ErrorType.NAME, Messages.unknownFunction(id)) : normalisedArguments(fn, index, args);
}

function ratioTrace(ratio: Ratio | CellError, labels: (figure: Figure, position: number) => string): Pick<TracedCall, "result" | "isError" | "unit" | "number" | "source" | "quotes"> {
  if (ratio instanceof CellError) return { ...errorResult(ratio), source: ratio.message, quotes: [] };
  // The lines quoted are the figures the core's answer is of.
  const quotes = ratio.stated ? [{ what: "stated in the release", provenance: ratio.stated.source }] : ratio.inputs.flatMap((figure, position) => figureQuotes(figure, labels(figure, position)));
  return { result: percentText(ratio.value), isError: false, unit: ratio.stated ? "stated in the release" : "computed", number: toExcelNumber(ratio.value), source: ratio.how, quotes };
}

const itemOf = (value: unknown): ItemInfo | null => (value !== null && typeof value === "object" && "id" in value && "unit" in value ? (value as ItemInfo) : null);

/**
 * Traces one call. `args` are the call's argument values (a cell's reference already read); `position` is the cell's
 * place in the call's spill (row and column from its top-left), for SERIES and STATEMENT.
 *
 * @example
 * traceCall(index, { id: "METRIC", text: 'QFIN.METRIC("Net income","Q2 2023")', args }, ["Net income", "Q2 2023"])
 * // { title: "Net income · Q2 2023", result: "1,093.377", unit: "RMB millions", source: "2023Q2 release, … line 292", quotes: [{ what: "Q2 2023 · RMB", … }] }
 */
export function traceCall(index: DatasetIndex, call: QfinCall, args: readonly TraceArgument[], position: { row: number; column: number } = { row: 0, column: 0 }): TracedCall {
  const unresolved = args.find(isUnresolved);
  const plain = args.map((arg) => (isUnresolved(arg) ? null : arg));
  const base: TracedCall = { call: callText(call.id, plain), item: null, title: `QFIN.${call.id}`, result: "", unit: "", isError: false, number: null, source: "", quotes: [], note: null };
  if (unresolved !== undefined) return { ...base, call: call.text, note: unresolved.unresolved };
  const values = normalised(index, call.id, plain);
  if (values instanceof CellError) return { ...base, ...errorResult(values) };
  const item = itemOf(values[0]);
  const named = item === null ? base : { ...base, item, title: shortName(index, item) };
  const withPeriod = (label: string): string => `${named.title} · ${label}`;

  switch (call.id) {
    case "METRIC":
    case "SOURCE": {
      const [, period, currency, fourth, fifth] = values as [ItemInfo, ParsedPeriod, Currency | null, unknown, unknown];
      const scale = call.id === "METRIC" ? (fourth as Scale) : "M";
      const asOf = call.id === "METRIC" ? fifth : fourth;
      const figure = figureFor(index, item as ItemInfo, period, currency, asOf as Parameters<typeof figureFor>[4]);
      const source = invoke(index, "SOURCE", [plain[0] ?? null, plain[1] ?? null, plain[2] ?? null, call.id === "METRIC" ? (plain[4] ?? null) : (plain[3] ?? null)]);
      if (figure instanceof CellError) return { ...named, ...errorResult(figure), source: figure.message };
      const sourceText = typeof source === "string" ? source : "";
      if (call.id === "SOURCE") {
        const { measure, basis } = values[4] as { measure: "value" | "growth" | "margin" | "change"; basis: "YoY" | "QoQ" };
        const answer = invoke(index, "SOURCE", plain as ArgValue[]);
        const said = typeof answer === "string" ? answer : isCellError(answer) ? `${answer.type} ${answer.message}` : String(answer);
        if (measure === "value") return { ...named, title: withPeriod(figure.period.label), result: said, quotes: figureQuotes(figure, figure.period.label) };
        // SOURCE of a growth rate, margin or change: the lines are those of the number it explains.
        const explained: Record<typeof measure, [string, ArgValue[]]> = {
          growth: ["GROWTH", [plain[0] ?? null, plain[1] ?? null, basis]],
          margin: ["MARGIN", [plain[0] ?? null, plain[1] ?? null]],
          change: ["CHANGE", [plain[0] ?? null, plain[1] ?? null, basis, plain[2] ?? null]],
        };
        const [id, explainedArgs] = explained[measure];
        const traced = traceCall(index, { id, text: callText(id, explainedArgs), args: [] }, explainedArgs);
        return { ...traced, call: named.call, result: said, unit: "", number: null, source: "" };
      }
      return {
        ...named,
        title: withPeriod(figure.period.label),
        result: figureText(figure, scale),
        unit: unitOf(figure, scale),
        number: toExcelNumber(scaledValue(figure, scale)),
        source: sourceText,
        quotes: figureQuotes(figure, figure.period.label),
      };
    }
    case "MARGIN": {
      const [, period, marginBase] = values as [ItemInfo, ParsedPeriod, ItemInfo];
      const ratio = margin(index, item as ItemInfo, marginBase, period);
      const label = ratio instanceof CellError ? "" : ratio.inputs[0].period.label;
      return {
        ...named,
        title: withPeriod(`margin on ${shortName(index, marginBase)}${label ? `, ${label}` : ""}`),
        ...ratioTrace(ratio, (figure) => `${shortName(index, figure.item)}, ${figure.period.label}`),
      };
    }
    case "GROWTH": {
      const [, period, basis] = values as [ItemInfo, ParsedPeriod, "YoY" | "QoQ"];
      const ratio = growth(index, item as ItemInfo, period, basis);
      const label = ratio instanceof CellError ? "" : ratio.inputs[0].period.label;
      return {
        ...named,
        title: withPeriod(`${basis} growth${label ? `, ${label}` : ""}`),
        ...ratioTrace(ratio, (figure, position) => (position === 0 ? figure.period.label : `${figure.period.label} (compared with)`)),
      };
    }
    case "CHANGE": {
      const [, period, basis, currency, scale] = values as [ItemInfo, ParsedPeriod, "YoY" | "QoQ", Currency | null, Scale];
      const difference = change(index, item as ItemInfo, period, basis, currency);
      if (difference instanceof CellError) return { ...named, ...errorResult(difference), source: difference.message };
      const answer = invoke(index, "CHANGE", plain as ArgValue[]);
      return {
        ...named,
        title: withPeriod(`${basis} change, ${difference.figure.period.label}`),
        result: typeof answer === "number" ? answer.toLocaleString("en-US", { maximumFractionDigits: 6 }) : String(answer),
        unit: (item as ItemInfo).unit === "ratio" ? "as a fraction (0.01 is 100 bps)" : unitOf(difference.figure, scale),
        number: typeof answer === "number" ? answer : null,
        source: difference.how,
        quotes: [...figureQuotes(difference.figure, difference.figure.period.label), ...figureQuotes(difference.comparison, `${difference.comparison.period.label} (compared with)`)],
      };
    }
    case "DEFINITION": {
      const answer = invoke(index, "DEFINITION", plain as ArgValue[]);
      return { ...named, title: `${named.title} · definition`, result: typeof answer === "string" ? answer : String(answer), source: "the release's footnote" };
    }
    case "SERIES":
      return spillElement(index, call, plain, position, named, (result, row, column, header) => {
        const label = header ? result[0]?.[column] : null;
        if (header && row === 0) return { note: `This cell is the series' header: the period ${String(label ?? "")}.` };
        if (typeof label !== "string") return { note: "Without its header row, the series' periods are not named here: add TRUE as its fifth argument, or select the header." };
        return { args: [plain[0] ?? null, label, plain[2] ?? null, plain[3] ?? null] };
      });
    case "STATEMENT":
      return spillElement(index, call, plain, position, named, (result, row, column, header) => {
        if (header && row === 0) return { note: "This cell is the statement's title row." };
        const label = result[row]?.[0];
        const value = result[row]?.[1];
        if (typeof label !== "string" || label === "") return { note: "This row of the statement is blank." };
        if (value === "" || value === undefined) return { note: `“${label}” is a heading of the statement, with no figure of its own.` };
        if (column === 0) return { note: `This cell is the label “${label}”; its figure is in the next column.` };
        return { args: [label, plain[1] ?? null, plain[2] ?? null, plain[3] ?? null] };
      });
    default: {
      const answer = invoke(index, call.id, plain as ArgValue[]);
      const text = isCellError(answer) ? `${answer.type} ${answer.message}` : Array.isArray(answer) ? `a list of ${answer.length} rows` : String(answer);
      return { ...named, result: text, isError: isCellError(answer), note: `QFIN.${call.id} lists what the data holds; it has no figure from a release line to trace.` };
    }
  }
}

type SpillChoice = { note: string } | { args: ArgValue[] };

/** The element of a SERIES or STATEMENT spill at the cell's position, traced as the METRIC that gives it. */
function spillElement(
  index: DatasetIndex,
  call: QfinCall,
  args: readonly ArgValue[],
  position: { row: number; column: number },
  named: TracedCall,
  choose: (result: FunctionResult[][], row: number, column: number, header: boolean) => SpillChoice,
): TracedCall {
  const result = invoke(index, call.id, args as ArgValue[]);
  if (!Array.isArray(result)) return isCellError(result) ? { ...named, ...errorResult(result) } : { ...named, result: String(result) };
  const header = args[4] === true || (typeof args[4] === "string" && args[4].toUpperCase() === "TRUE");
  const choice = choose(result as FunctionResult[][], position.row, position.column, header);
  if ("note" in choice) return { ...named, result: `a table of ${result.length} × ${Math.max(...result.map((row) => row.length))}`, note: choice.note };
  const element = traceCall(index, { id: "METRIC", text: callText("METRIC", choice.args), args: [] }, choice.args);
  const statementArgs = call.id === "STATEMENT" ? normalised(index, "STATEMENT", args) : null;
  const statement = Array.isArray(statementArgs) ? (statementArgs[0] as StatementInfo) : undefined;
  return { ...element, note: `${call.id === "SERIES" ? "One figure of the series" : `One line of ${statement?.title ?? "the statement"}`}, the same as ${element.call}.` };
}
