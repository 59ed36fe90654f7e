/**
 * Recalculates the QFIN formulas of a whole workbook — several sheets, formulas that reference other cells and other
 * sheets, ordinary formulas that depend on QFIN cells — with fast-formula-parser (MIT) and the same QFIN functions as
 * the single-cell engine. Cells whose result cannot change (constants, formulas that depend on no QFIN cell) keep the
 * value the workbook holds, as Excel computed it; only the QFIN cells and what depends on them are evaluated, in
 * dependency order, and cycles are reported instead of evaluated. Browser-safe: no Node APIs (the taskpane may use it).
 */
import FormulaParser from "fast-formula-parser";
import type { CellReference, RangeReference } from "fast-formula-parser";
import { CellValue, ErrorType, FunctionResult, isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { Messages } from "../core/messages";
import { parseA1 } from "../excel/a1";
import { QFIN_NAMESPACE, callsQfin, typedFormula } from "../excel/formula-text";
import { createExcelParser } from "./excel-parser";
import { qfinParserFunctions, unknownFunctionError } from "./qfin-functions";
import { fromEngineResult } from "./value-bridge";

const { FormulaError, DepParser } = FormulaParser as unknown as {
  FormulaError: typeof FormulaParser.FormulaError;
  DepParser: new (config?: { onVariable?: (name: string, sheet: string) => CellReference | RangeReference | null }) => {
    parse(formula: string, position: CellReference & { sheet: string }): (CellReference | RangeReference)[];
  };
};
type FormulaError = InstanceType<typeof FormulaParser.FormulaError>;

/** One cell of the workbook as stored: its formula (if any) and the value it holds now (the cached value). */
export interface WorkbookCell {
  sheet: string;
  /** A1 address, e.g. `C6`. */
  address: string;
  /** The formula as stored, with or without the leading `=`; `_xldudf_QFIN_METRIC(` and `_xlfn.` prefixes are fine. */
  formula?: string;
  /** The value the cell holds (for a formula: its cached result); null when empty. */
  value: CellValue | null;
  /** For an array or spilling formula: the area its result occupies now (rows × columns from this cell). */
  spill?: { rows: number; columns: number };
}

/** What became of one evaluated formula cell. */
export type Recalculated =
  | { kind: "value"; value: FunctionResult }
  /** Part of a circular reference: not evaluated; `cycle` lists its cells in order. */
  | { kind: "cycle"; cycle: string[] }
  /** The formula uses something this engine cannot evaluate (an Excel function it lacks, unreadable text). */
  | { kind: "unsupported"; reason: string };

export interface WorkbookEvaluation {
  /** Every formula cell that was (or should have been) recalculated, by `Sheet!A1`, in evaluation order. */
  cells: Map<string, Recalculated>;
}

export interface WorkbookEvaluatorOptions {
  /** The data the QFIN functions read; null when none is loaded (they then say so). */
  index: DatasetIndex | null;
  /** Workbook-level defined names → the reference they stand for (`Sheet1!$A$1`, `'My sheet'!$B$2:$C$9`). */
  definedNames?: ReadonlyMap<string, string>;
}

/** `Income statement!C6`: how cells are named in results and messages. */
export const cellName = (sheet: string, address: string): string => `${sheet}!${address}`;

/** Nested evaluation (a reference no static analysis saw, e.g. INDIRECT) deeper than this is refused as a cycle would be. */
const MAX_NESTING = 64;

interface Cell extends WorkbookCell {
  key: string;
  sheetKey: string;
  row: number;
  col: number;
  body?: string;
}

/**
 * Recalculates every formula that calls a QFIN function and every formula that depends on one, reading everything
 * else as the workbook holds it.
 *
 * @example
 * const result = evaluateWorkbook([
 *   { sheet: "Model", address: "A1", value: "Net income" },
 *   { sheet: "Model", address: "B1", formula: '=QFIN.METRIC(A1,"Q2 2023")', value: 0 },
 *   { sheet: "Model", address: "C1", formula: "=B1*2", value: 0 },
 * ], { index });
 * result.cells.get("Model!C1") // { kind: "value", value: 2186.754 }
 */
export function evaluateWorkbook(cells: readonly WorkbookCell[], options: WorkbookEvaluatorOptions): WorkbookEvaluation {
  return new WorkbookEvaluator(cells, options).run();
}

class WorkbookEvaluator {
  private readonly cells = new Map<string, Cell>();
  private readonly formulasBySheet = new Map<string, Cell[]>();
  private readonly sheetNames = new Map<string, string>();
  /** Spill areas by sheet: the anchor and the area, so a reference into a spill depends on its anchor. */
  private readonly spills = new Map<string, { anchor: Cell; lastRow: number; lastCol: number }[]>();
  /** Current values by key: the workbook's, replaced as formulas are recalculated. */
  private readonly values = new Map<string, CellValue>();
  private readonly results = new Map<string, Recalculated>();
  private readonly pending = new Set<string>();
  private readonly inProgress = new Set<string>();
  private readonly parsers: FormulaParser[] = [];
  private readonly definedNames = new Map<string, CellReference | RangeReference>();
  private readonly functions: ReturnType<typeof qfinParserFunctions>;

  constructor(cells: readonly WorkbookCell[], options: WorkbookEvaluatorOptions) {
    this.functions = qfinParserFunctions(options.index);
    for (const source of cells) {
      const position = parseA1(source.address);
      if (!position) throw new RangeError(`Not a cell address: ${source.sheet}!${source.address}`);
      const sheetKey = source.sheet.toLowerCase();
      this.sheetNames.set(sheetKey, source.sheet);
      const cell: Cell = { ...source, key: keyOf(sheetKey, position.row, position.col), sheetKey, ...position };
      if (source.formula !== undefined) {
        cell.body = typedFormula(source.formula);
        pushTo(this.formulasBySheet, sheetKey, cell);
        if (source.spill && (source.spill.rows > 1 || source.spill.columns > 1)) {
          pushTo(this.spills, sheetKey, { anchor: cell, lastRow: cell.row + source.spill.rows - 1, lastCol: cell.col + source.spill.columns - 1 });
        }
      }
      this.cells.set(cell.key, cell);
      if (source.value !== null) this.values.set(cell.key, source.value);
    }
    for (const [name, reference] of options.definedNames ?? []) {
      const parsed = parseReference(reference);
      if (parsed) this.definedNames.set(name.toUpperCase(), parsed);
    }
  }

  run(): WorkbookEvaluation {
    const dependents = this.dependents();
    const affected = this.affected(dependents);
    const order = this.order(affected, dependents);
    for (const key of order) this.pending.add(key);
    for (const key of order) if (this.pending.has(key)) this.evaluate(this.cells.get(key) as Cell, 0);
    const ordered = new Map<string, Recalculated>();
    for (const key of order) {
      const cell = this.cells.get(key) as Cell;
      ordered.set(cellName(cell.sheet, cell.address), this.results.get(key) as Recalculated);
    }
    return { cells: ordered };
  }

  /** For each formula cell, the formula cells that reference it (directly, by a range, or through a spill). */
  private dependents(): Map<string, Set<string>> {
    const dependents = new Map<string, Set<string>>();
    const depParser = new DepParser({ onVariable: (name) => this.definedNames.get(name.toUpperCase()) ?? null });
    for (const formulas of this.formulasBySheet.values()) {
      for (const cell of formulas) {
        let references: (CellReference | RangeReference)[];
        try {
          references = depParser.parse(cell.body as string, { sheet: cell.sheet, row: cell.row, col: cell.col });
        } catch {
          continue; // unreadable: evaluation reports it
        }
        for (const reference of references) {
          for (const precedent of this.formulaCellsIn(reference, cell.sheet)) {
            if (precedent === cell.key) continue;
            let set = dependents.get(precedent);
            if (!set) dependents.set(precedent, (set = new Set()));
            set.add(cell.key);
          }
        }
      }
    }
    return dependents;
  }

  private formulaCellsIn(reference: CellReference | RangeReference, defaultSheet: string): string[] {
    const sheetKey = (reference.sheet ?? defaultSheet).toLowerCase();
    const [from, to] = "from" in reference ? [reference.from, reference.to] : [reference, reference];
    const inside = (row: number, col: number): boolean => row >= from.row && row <= to.row && col >= from.col && col <= to.col;
    const keys = (this.formulasBySheet.get(sheetKey) ?? []).filter((cell) => inside(cell.row, cell.col)).map((cell) => cell.key);
    for (const spill of this.spills.get(sheetKey) ?? []) {
      const overlaps = from.row <= spill.lastRow && to.row >= spill.anchor.row && from.col <= spill.lastCol && to.col >= spill.anchor.col;
      if (overlaps && !keys.includes(spill.anchor.key)) keys.push(spill.anchor.key);
    }
    return keys;
  }

  /** The QFIN formula cells and every formula that depends on one, directly or not. */
  private affected(dependents: ReadonlyMap<string, Set<string>>): Set<string> {
    const affected = new Set<string>();
    const queue: string[] = [];
    for (const formulas of this.formulasBySheet.values()) {
      for (const cell of formulas) if (callsQfin(cell.formula as string)) queue.push(cell.key);
    }
    while (queue.length > 0) {
      const key = queue.pop() as string;
      if (affected.has(key)) continue;
      affected.add(key);
      for (const dependent of dependents.get(key) ?? []) queue.push(dependent);
    }
    return affected;
  }

  /**
   * Precedents before dependents (an iterative depth-first walk, so long chains cannot overflow the stack). Cells on
   * a cycle are marked and left out.
   */
  private order(affected: ReadonlySet<string>, dependents: ReadonlyMap<string, Set<string>>): string[] {
    const precedents = new Map<string, string[]>();
    for (const [precedent, set] of dependents) {
      if (!affected.has(precedent)) continue;
      for (const dependent of set) if (affected.has(dependent)) pushTo(precedents, dependent, precedent);
    }
    const state = new Map<string, "open" | "done">();
    const order: string[] = [];
    const sorted = [...affected].sort((a, b) => (this.cells.get(a) as Cell).row - (this.cells.get(b) as Cell).row || a.localeCompare(b));
    for (const start of sorted) {
      if (state.has(start)) continue;
      const stack: { key: string; next: number }[] = [{ key: start, next: 0 }];
      state.set(start, "open");
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        const list = precedents.get(frame.key) ?? [];
        if (frame.next < list.length) {
          const precedent = list[frame.next++];
          const seen = state.get(precedent);
          if (seen === undefined) {
            state.set(precedent, "open");
            stack.push({ key: precedent, next: 0 });
          } else if (seen === "open") {
            const loop = stack.slice(stack.findIndex((entry) => entry.key === precedent)).map((entry) => entry.key);
            this.markCycle([...loop, precedent]);
          }
        } else {
          state.set(frame.key, "done");
          order.push(frame.key);
          stack.pop();
        }
      }
    }
    // A cell that depends on a cycle cannot be computed either; it keeps its value, reported with the cycle.
    for (const key of order) {
      if (this.results.has(key)) continue;
      const blocked = (precedents.get(key) ?? []).find((precedent) => this.results.get(precedent)?.kind === "cycle");
      if (blocked) this.results.set(key, this.results.get(blocked) as Recalculated);
    }
    return order;
  }

  private markCycle(keys: string[]): void {
    const names = keys.map((key) => {
      const cell = this.cells.get(key) as Cell;
      return cellName(cell.sheet, cell.address);
    });
    for (const key of keys) if (!this.results.has(key)) this.results.set(key, { kind: "cycle", cycle: names });
  }

  private evaluate(cell: Cell, depth: number): void {
    this.pending.delete(cell.key);
    if (this.results.has(cell.key)) return; // a cycle, marked when ordering
    this.inProgress.add(cell.key);
    const outcome = this.compute(cell, depth);
    this.inProgress.delete(cell.key);
    this.results.set(cell.key, outcome);
    if (outcome.kind !== "value") return;
    const value = outcome.value;
    if (!Array.isArray(value)) {
      this.values.set(cell.key, value);
      return;
    }
    value.forEach((cells, rowOffset) =>
      cells.forEach((entry, colOffset) => this.values.set(keyOf(cell.sheetKey, cell.row + rowOffset, cell.col + colOffset), entry)),
    );
  }

  private compute(cell: Cell, depth: number): Recalculated {
    const body = cell.body as string;
    if (body.trim() === "") return { kind: "unsupported", reason: "the formula is empty." };
    let result: unknown;
    try {
      result = this.parser(depth).parse(body, { sheet: cell.sheet, row: cell.row, col: cell.col }, true);
    } catch (error) {
      return fromParseFailure(error);
    }
    return { kind: "value", value: fromWorkbookResult(result) };
  }

  private parser(depth: number): FormulaParser {
    let parser = this.parsers[depth];
    if (parser) return parser;
    parser = createExcelParser({
      functions: this.functions,
      onCell: (ref) => this.read(ref.sheet, ref.row, ref.col, depth),
      onRange: (ref) => this.readRange(ref, depth),
      onVariable: (name) => this.definedNames.get(name.toUpperCase()) ?? null,
    });
    this.parsers[depth] = parser;
    return parser;
  }

  private read(sheet: string | undefined, row: number, col: number, depth: number): unknown {
    const sheetKey = (sheet ?? "").toLowerCase();
    if (!this.sheetNames.has(sheetKey) && sheet !== undefined) {
      return new FormulaError(ErrorType.REF, Messages.noSuchSheet(sheet, null));
    }
    const key = keyOf(sheetKey, row, col);
    this.settle(key, sheetKey, row, col, depth);
    const value = this.values.get(key);
    return value === undefined ? null : isCellError(value) ? new FormulaError(value.type, value.message) : value;
  }

  /** Before a cell is read: evaluates it first if it is (or spills from) a formula still waiting its turn. */
  private settle(key: string, sheetKey: string, row: number, col: number, depth: number): void {
    let waiting: Cell | undefined = this.pending.has(key) ? this.cells.get(key) : undefined;
    if (!waiting) {
      const spill = (this.spills.get(sheetKey) ?? []).find(
        (area) => this.pending.has(area.anchor.key) && row >= area.anchor.row && row <= area.lastRow && col >= area.anchor.col && col <= area.lastCol,
      );
      waiting = spill?.anchor;
    }
    if (!waiting || this.inProgress.has(waiting.key)) return;
    if (depth + 1 >= MAX_NESTING) return;
    this.evaluate(waiting, depth + 1);
  }

  private readRange(ref: RangeReference, depth: number): unknown[][] {
    const sheetKey = (ref.sheet ?? "").toLowerCase();
    let lastRow = ref.to.row;
    let lastCol = ref.to.col;
    // Whole columns and rows stop at the last cell the sheet uses, not a million rows on.
    if (lastRow >= FormulaParser.MAX_ROW || lastCol >= FormulaParser.MAX_COLUMN) {
      let usedRow = 0;
      let usedCol = 0;
      for (const cell of this.cells.values()) {
        if (cell.sheetKey !== sheetKey) continue;
        usedRow = Math.max(usedRow, cell.row);
        usedCol = Math.max(usedCol, cell.col);
      }
      if (lastRow >= FormulaParser.MAX_ROW) lastRow = Math.max(ref.from.row, usedRow);
      if (lastCol >= FormulaParser.MAX_COLUMN) lastCol = Math.max(ref.from.col, usedCol);
    }
    const rows: unknown[][] = [];
    for (let row = ref.from.row; row <= lastRow; row++) {
      const cells: unknown[] = [];
      for (let col = ref.from.col; col <= lastCol; col++) cells.push(this.read(ref.sheet, row, col, depth));
      rows.push(cells);
    }
    return rows;
  }
}

function keyOf(sheetKey: string, row: number, col: number): string {
  return `${sheetKey}!${row},${col}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `Sheet1!$A$1`, `'My sheet'!$B$2:$C$9` → a reference; undefined for anything else (constants, formulas). */
function parseReference(text: string): CellReference | RangeReference | undefined {
  const match = /^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Za-z]{1,3}\$?\d+)(?::(\$?[A-Za-z]{1,3}\$?\d+))?$/.exec(text.trim().replace(/^=/, ""));
  if (!match) return undefined;
  const sheet = match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2];
  const from = parseA1(match[3]);
  const to = match[4] === undefined ? from : parseA1(match[4]);
  if (!from || !to) return undefined;
  return match[4] === undefined ? { sheet, ...from } : { sheet, from, to };
}

/** A reference to an empty cell shows 0; an empty cell inside a spill shows blank (""); a 1×1 result is one value. */
function fromWorkbookResult(result: unknown): FunctionResult {
  const value = fromEngineResult(result);
  return Array.isArray(value) && value.length === 1 && value[0]?.length === 1 ? (value[0][0] as CellValue) : value;
}

/**
 * fast-formula-parser throws for what it cannot evaluate. An unknown QFIN name is Excel's `#NAME?` (a value); an Excel
 * function the engine lacks, or text it cannot read, means this engine cannot recalculate the cell — the workbook's
 * value stays.
 */
function fromParseFailure(error: unknown): Recalculated {
  if (error instanceof FormulaError && error.details instanceof FormulaError && error.details.error === ErrorType.NAME) {
    const unknown = /^Function (\S+) is not implemented/.exec(error.details.message);
    if (unknown && unknown[1].toUpperCase().startsWith(`${QFIN_NAMESPACE}.`)) return { kind: "value", value: unknownFunctionError(unknown[1]) };
    return { kind: "unsupported", reason: unknown ? `this engine has no ${unknown[1].toUpperCase()} function.` : error.details.message };
  }
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return { kind: "unsupported", reason: `the formula could not be read (${message}).` };
}
