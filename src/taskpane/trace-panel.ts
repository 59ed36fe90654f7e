/**
 * Trace a cell to its release line: for a formula that calls QFIN (the selected cell in Excel, the workbench's
 * formula outside it), each call's figure, where it comes from once (table, row, column and line, or the derivation),
 * and the release text around that line with the figure marked. Arguments that are cell references are read through
 * the host (in Excel, the add-in's Office adapter); the release text is fetched from the add-in's own host when a
 * quote is first shown. Text nodes only.
 */
import { CellError, errorTypeOf, type ArgValue } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import type { ItemInfo, ReleaseInfo } from "../core/model";
import { releaseLines } from "../addin/release-text";
import { qfinCalls, type CallArgument, type QfinCall } from "../excel/qfin-calls";
import { typedFormula } from "../excel/formula-text";
import { byId, el } from "./dom";
import { reason } from "./confirm";
import { quoteFor, type QuoteLine, type QuoteView } from "./release-quote";
import { TRACEABLE, traceCall, type TraceArgument, type TracedCall, type TraceQuote } from "./trace";

/** A cell as the host reports it. */
export interface TracedCell {
  /** "Sheet1". */
  sheet: string;
  /** "B4". */
  address: string;
  /** The formula as Excel reports it (`=QFIN.METRIC($B6,C$4)`), or the constant the cell holds. */
  formula: string;
  /** What the cell shows (a number, text, TRUE/FALSE, an error as its code "#N/A"). */
  value: unknown;
  /** For a cell inside a spill: the cell whose formula spills there, and this cell's place in it. */
  spill?: { address: string; formula: string; row: number; column: number } | null;
}

/** Reads single cells' values (the arguments a formula takes from cells). */
export type CellValueReader = (refs: { sheet: string; address: string }[]) => Promise<unknown[]>;

/** Where release texts come from (fetched and checked by src/addin/release-text.ts). */
export type ReleaseTextLoader = (release: ReleaseInfo) => Promise<string[]>;

const MAX_CALLS = 4;
const MAX_QUOTES = 4;

/** A cell's value as a function argument, as Excel would pass it: blank as omitted, an error code as that error. */
export function cellArgument(value: unknown): ArgValue {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number" || typeof value === "boolean") return value;
  const text = String(value);
  const error = errorTypeOf(text);
  return error === undefined ? text : new CellError(error, "");
}

/**
 * The argument values of a call: constants as written, single cells read (in one round trip), anything computed
 * (a range, arithmetic, another function) named as what the trace cannot follow.
 */
export async function resolveArguments(calls: readonly QfinCall[], ownSheet: string | null, read: CellValueReader | null): Promise<TraceArgument[][]> {
  const refs: { sheet: string; address: string }[] = [];
  const place = (arg: CallArgument & { kind: "cell" }): number => {
    const sheet = arg.sheet ?? ownSheet ?? "";
    const found = refs.findIndex((ref) => ref.sheet === sheet && ref.address === arg.address);
    if (found >= 0) return found;
    refs.push({ sheet, address: arg.address });
    return refs.length - 1;
  };
  const cellsAt = calls.map((call) => call.args.map((arg) => (arg.kind === "cell" && read !== null ? place(arg) : -1)));
  let values: unknown[] = [];
  let failure: string | null = null;
  if (refs.length > 0 && read !== null) {
    try {
      values = await read(refs);
    } catch (error) {
      failure = reason(error);
    }
  }
  return calls.map((call, c) =>
    call.args.map((arg, a): TraceArgument => {
      switch (arg.kind) {
        case "omitted":
          return null;
        case "text":
        case "number":
        case "boolean":
          return arg.value;
        case "cell":
          if (read === null) return { unresolved: `${arg.text} is a cell reference; the workbench has no cells, so type the value instead.` };
          if (failure !== null) return { unresolved: `Could not read ${arg.text} from Excel: ${failure}` };
          return cellArgument(values[cellsAt[c]?.[a] ?? -1]);
        case "expression":
          return { unresolved: `An argument is computed (${arg.text}); the trace follows text, numbers and single cells.` };
      }
    }),
  );
}

/** A line cut into marked and unmarked runs. */
function runs(text: string, marks: readonly [number, number][]): { text: string; marked: boolean }[] {
  const found: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const [start, end] of [...marks].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    if (start > at) found.push({ text: text.slice(at, start), marked: false });
    found.push({ text: text.slice(start, end), marked: true });
    at = end;
  }
  if (at < text.length) found.push({ text: text.slice(at), marked: false });
  return found;
}

/** Around this many characters of a long paragraph are quoted, centred on the mark. */
const EXCERPT = 260;

/**
 * One quoted line: a table row as its label and cells (which wrap as whole cells in a narrow pane), a sentence as
 * text; a long paragraph cut to the part around the mark.
 */
function quoteLineElement(line: QuoteLine): HTMLElement {
  let { text } = line;
  let marks = line.marks;
  let cutBefore = false;
  let cutAfter = false;
  if (text.length > EXCERPT && !text.includes("\t")) {
    const centre = marks[0]?.[0] ?? 0;
    const from = Math.max(0, Math.min(centre - EXCERPT / 2, text.length - EXCERPT));
    const to = Math.min(text.length, from + EXCERPT);
    cutBefore = from > 0;
    cutAfter = to < text.length;
    marks = marks.filter(([start, end]) => start >= from && end <= to).map(([start, end]) => [start - from, end - from] as [number, number]);
    text = text.slice(from, to);
  }
  const body = el("span", { className: "line-text" });
  if (cutBefore) body.append("…");
  let cell: HTMLElement | null = null;
  const target = (): HTMLElement => cell ?? body;
  for (const run of runs(text, marks)) {
    const pieces = run.text.split("\t");
    pieces.forEach((piece, position) => {
      if (position > 0) {
        cell = el("span", { className: "cell" });
        body.append(cell);
      }
      if (piece !== "") target().append(run.marked ? el("mark", {}, piece) : piece);
    });
  }
  if (cutAfter) body.append("…");
  return el("div", { className: line.focus ? "quote-line focus" : "quote-line" }, el("span", { className: "line-number" }, String(line.number)), body);
}

function quoteElement(quoted: QuoteView, release: string): HTMLElement {
  const first = quoted.lines[0]?.number ?? 0;
  const last = quoted.lines[quoted.lines.length - 1]?.number ?? 0;
  return el("div", { className: "quote", attrs: { role: "group", "aria-label": `Release ${release}, ${first === last ? `line ${first}` : `lines ${first} to ${last}`}` } }, ...quoted.lines.map(quoteLineElement));
}

/** One quote: its caption at once, the lines when the release text has arrived (or why it did not). */
function quoteBlock(index: DatasetIndex, quote: TraceQuote, load: ReleaseTextLoader): HTMLElement {
  const { provenance } = quote;
  const block = el("div", { className: "quote-block" }, el("p", { className: "quote-caption" }, `Release ${provenance.release}, line ${provenance.line} · ${quote.what}`));
  const release = index.releasesById.get(provenance.release);
  if (release === undefined) {
    block.append(el("p", { className: "problem" }, `The data names release ${provenance.release}, which it does not describe, so its text cannot be shown.`));
    return block;
  }
  const waiting = el("p", { className: "note" }, "Loading the release text…");
  block.append(waiting);
  load(release)
    .then((lines) => {
      // A table row with the rows either side; a sentence on its own (its paragraph is one long line).
      const quoted = quoteFor(index, lines, provenance, provenance.table ? 1 : 0);
      waiting.replaceWith(quoteElement(quoted, provenance.release), ...(quoted.note ? [el("p", { className: "note" }, quoted.note)] : []));
    })
    .catch((error: unknown) => waiting.replaceWith(el("p", { className: "problem" }, reason(error))));
  return block;
}

function tracedElement(index: DatasetIndex, traced: TracedCall, load: ReleaseTextLoader, onOpen?: (item: ItemInfo) => void): HTMLElement {
  const section = el("section", { className: "traced", attrs: { "aria-label": traced.title } }, el("h3", {}, traced.title), el("code", { className: "cell-formula" }, traced.call));
  const { item } = traced;
  if (traced.result !== "") {
    section.append(
      el("p", { className: traced.isError ? "figure problem" : traced.number === null ? "figure words" : "figure" }, traced.result, traced.unit && !traced.isError ? el("span", { className: "unit" }, ` ${traced.unit}`) : null),
    );
  }
  if (traced.source !== "" && !traced.isError) section.append(el("p", { className: "source" }, traced.source));
  if (traced.note) section.append(el("p", { className: "note" }, traced.note));
  for (const quote of traced.quotes.slice(0, MAX_QUOTES)) section.append(quoteBlock(index, quote, load));
  if (traced.quotes.length > MAX_QUOTES) section.append(el("p", { className: "note" }, `… and ${traced.quotes.length - MAX_QUOTES} more lines (QFIN.SOURCE lists them).`));
  if (item !== null && onOpen) {
    const open = el("button", { className: "link-button open-item", attrs: { type: "button" } }, "Every period of this line");
    open.addEventListener("click", () => onOpen(item));
    section.append(el("p", {}, open));
  }
  return section;
}

const shownValue = (value: unknown): string => (typeof value === "number" ? String(value) : typeof value === "boolean" ? (value ? "TRUE" : "FALSE") : String(value ?? ""));

/** Says when a cell that is just one QFIN call shows something else than the data in use gives. */
function staleNote(formula: string, calls: readonly QfinCall[], traced: readonly TracedCall[], value: unknown): string | null {
  const only = traced[0];
  if (calls.length !== 1 || only === undefined || only.number === null || typeof value !== "number") return null;
  if (typedFormula(formula).trim() !== calls[0]?.text) return null;
  const close = Math.abs(value - only.number) <= 1e-9 * Math.max(1, Math.abs(only.number));
  return close ? null : `The cell shows ${value}, calculated with other data than the pane's (${only.number}): recalculate it (Ctrl+Alt+F9) to bring it up to date.`;
}

export interface TraceTarget {
  /** Where the trace is drawn (its heading, if any, stays). */
  body: HTMLElement;
  /** Shown or hidden with the trace. */
  section: HTMLElement;
}

/**
 * Traces a formula into `target`; resolves once drawn (quotes fill in as the release text arrives). Hides the section
 * when the formula calls no QFIN function. `isCurrent` lets a newer selection win over a slower older one.
 */
export async function showTrace(
  target: TraceTarget,
  index: DatasetIndex | null,
  cell: { where: string; formula: string; value: unknown; sheet: string | null; position?: { row: number; column: number } },
  read: CellValueReader | null,
  load: ReleaseTextLoader,
  isCurrent: () => boolean = () => true,
  onOpen?: (item: ItemInfo) => void,
): Promise<boolean> {
  const calls = cell.formula.trim().startsWith("=") ? qfinCalls(cell.formula).filter((call) => TRACEABLE.has(call.id)) : [];
  if (calls.length === 0 || index === null) {
    target.section.hidden = true;
    target.body.replaceChildren();
    return false;
  }
  const shown = calls.slice(0, MAX_CALLS);
  const args = await resolveArguments(shown, cell.sheet, read);
  if (!isCurrent()) return false;
  const traced = shown.map((call, position) => traceCall(index, call, args[position] ?? [], position === 0 ? cell.position : undefined));
  const header = el("p", { className: "cell-line" }, el("strong", {}, cell.where), " ", el("code", {}, cell.formula));
  const shows = cell.value === null || cell.value === undefined ? null : el("p", { className: "note" }, `Shows ${shownValue(cell.value)}`);
  const stale = staleNote(cell.formula, calls, traced, cell.value);
  target.body.replaceChildren(
    header,
    ...(shows ? [shows] : []),
    ...(stale ? [el("p", { className: "problem" }, stale)] : []),
    ...traced.map((call) => tracedElement(index, call, load, onOpen)),
    ...(calls.length > MAX_CALLS ? [el("p", { className: "note" }, `… and ${calls.length - MAX_CALLS} more QFIN calls in this formula.`)] : []),
  );
  target.section.hidden = false;
  return true;
}

/** The selected cell, to trace to its release line (in Excel, through src/addin/office.ts). */
export interface SelectionSource {
  /** Calls `onChange` whenever the selection changes; resolves once watching. */
  watch(onChange: () => void): Promise<void>;
  /** The active cell: where, its formula, what it shows, and the formula spilling into it. */
  read(): Promise<TracedCell>;
  /** Reads the cells a formula takes arguments from. */
  values: CellValueReader;
}

/** The workbench's evaluations, whose formula the pane traces outside Excel. */
export interface FormulaSource {
  onEvaluated(listener: (formula: string | null) => void): void;
}

export interface TracePanelOptions {
  /** The selection to trace (Excel); null outside Excel. */
  selection: SelectionSource | null;
  /** The workbench, whose formula is traced instead (the preview); null inside Excel. */
  formulas: FormulaSource | null;
  currentIndex: () => DatasetIndex | null;
  /** Opens a traced line's details in the pane. */
  onOpen: (item: ItemInfo) => void;
}

export interface TracePanel {
  /** Starts following the selection (Excel). */
  start(): void;
  /** Traces again against new data. */
  refresh(): void;
}

/**
 * The trace panel of taskpane.html: `#trace` follows the selected cell in Excel; `#workbench-trace` follows the
 * workbench's formula in the preview. Every failure is said in the panel.
 */
export function tracePanel(options: TracePanelOptions): TracePanel {
  const { selection, formulas, currentIndex, onOpen } = options;
  const load: ReleaseTextLoader = (release) => releaseLines(release, document.baseURI);
  const cellTrace: TraceTarget = { section: byId("trace"), body: byId("trace-body") };
  const workbenchTrace: TraceTarget = { section: byId("workbench-trace"), body: byId("workbench-trace") };
  const problem = (text: string): void => {
    cellTrace.body.replaceChildren(el("p", { className: "problem" }, text));
    cellTrace.section.hidden = false;
  };
  let ticket = 0;
  let workbenchFormula: string | null = null;

  /** Traces the selected cell; a newer selection wins over a slower older read. */
  const traceSelection = async (source: SelectionSource): Promise<void> => {
    const mine = ++ticket;
    let cell: TracedCell;
    try {
      cell = await source.read();
    } catch (error) {
      if (mine === ticket) problem(`Could not read the selected cell from Excel: ${reason(error)}`);
      return;
    }
    if (mine !== ticket) return;
    const spill = cell.spill ?? null;
    await showTrace(
      cellTrace,
      currentIndex(),
      {
        where: spill ? `${cell.sheet}!${cell.address} (spilled from ${spill.address})` : `${cell.sheet}!${cell.address}`,
        formula: spill ? spill.formula : cell.formula,
        value: cell.value,
        sheet: cell.sheet,
        position: spill ? { row: spill.row, column: spill.column } : undefined,
      },
      source.values,
      load,
      () => mine === ticket,
      onOpen,
    );
  };
  const retrace = (): void => {
    if (selection !== null) traceSelection(selection).catch((error: unknown) => problem(`Could not trace the selected cell: ${reason(error)}`));
  };
  const traceWorkbench = (): void => {
    if (workbenchFormula === null) {
      workbenchTrace.section.hidden = true;
      return;
    }
    void showTrace(workbenchTrace, currentIndex(), { where: "The workbench", formula: workbenchFormula, value: null, sheet: null }, null, load, () => true, onOpen);
  };
  formulas?.onEvaluated((formula) => {
    workbenchFormula = formula;
    traceWorkbench();
  });

  return {
    start() {
      if (selection === null) return;
      selection.watch(retrace).then(retrace, (error: unknown) => problem(`The pane cannot follow the selection in this Excel (${reason(error)}), so cells are not traced.`));
    },
    refresh() {
      retrace();
      traceWorkbench();
    },
  };
}
