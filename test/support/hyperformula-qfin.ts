/**
 * The QFIN functions registered in HyperFormula 3.5, an independent real spreadsheet engine, so tests can build a
 * workbook an analyst would build and check the values it computes.
 *
 * Licence: HyperFormula is GPL-3.0 (key 'gpl-v3'). It is used here, in tests only; nothing under src/ imports it.
 * The shipped engine is fast-formula-parser (MIT), see src/engine/formula-engine.ts.
 *
 * Calls go through `invoke`, the same path the shipped engine and the add-in use (every declared argument passed, those
 * left out as null, as Excel calls a custom function), so both engines see the same arguments and errors. The
 * functions read the dataset index given to `registerQfinFunctions` (registration is global to the library). Spills: HyperFormula fixes a formula's array size when it parses the formula, so the size
 * comes from calling the function at parse time with the call's literal arguments — strings, numbers, booleans,
 * `{…}` arrays, and references to cells holding constants. `createQfinWorkbook` therefore enters constants before
 * formulas. A spilling call whose arguments are computed (a formula cell, an expression) cannot be sized and
 * shows #VALUE!; write such arguments literally or in a constant cell.
 */
import {
  ArraySize,
  CellError as HfCellError,
  ConfigParams,
  DetailedCellError,
  EmptyValue,
  ErrorType as HfErrorType,
  FunctionArgumentType,
  FunctionPlugin,
  HyperFormula,
  ImplementedFunctions,
  RawCellContent,
  SimpleCellAddress,
  SimpleRangeValue,
} from "hyperformula";
import type { Ast, CellRangeAst, CellReferenceAst, NamedExpressionAst, ProcedureAst } from "hyperformula/typings/parser";
import type { InterpreterState } from "hyperformula/typings/interpreter/InterpreterState";
import { ArgValue, CellError, CellValue, ErrorType, FunctionResult, Matrix, isCellError } from "../../src/core/cell";
import type { DatasetIndex } from "../../src/core/dataset-index";
import { parseA1 } from "../../src/excel/a1";
import { FUNCTIONS } from "../../src/functions/catalogue";
import { formulaName, type QfinFunction } from "../../src/functions/define";
import { invoke } from "../../src/functions/invoke";

type FunctionSpec = QfinFunction;
const QFIN_FORMULA_FUNCTIONS = FUNCTIONS.map((spec) => ({ name: formulaName(spec), spec: spec as QfinFunction }));

/** The data the registered functions read (one engine registry per process, so one index at a time). */
let registeredIndex: DatasetIndex | null = null;

/** The call as Excel makes it: every declared argument, those the formula leaves out as null. */
function callQfinFunction(spec: FunctionSpec, args: readonly ArgValue[]): FunctionResult {
  const padded = [...args];
  while (padded.length < spec.params.length) padded.push(null);
  return invoke(registeredIndex, spec.id, padded);
}

const TO_HF_ERROR: Record<ErrorType, HfErrorType> = {
  [ErrorType.NA]: HfErrorType.NA,
  [ErrorType.VALUE]: HfErrorType.VALUE,
  [ErrorType.DIV_BY_ZERO]: HfErrorType.DIV_BY_ZERO,
  [ErrorType.NUM]: HfErrorType.NUM,
  [ErrorType.REF]: HfErrorType.REF,
  [ErrorType.NAME]: HfErrorType.NAME,
  // HyperFormula has no #NULL!; its generic #ERROR! keeps the message.
  [ErrorType.NULL]: HfErrorType.ERROR,
};
/** Excel's codes by HyperFormula's error type; #CYCLE!, #SPILL!, #LIC! and #ERROR! have no Excel equivalent here. */
const FROM_HF_ERROR = new Map<string, ErrorType>(Object.entries(TO_HF_ERROR).map(([ours, theirs]) => [theirs, ours as ErrorType]));

/** Marks an argument whose value is not known when the formula is parsed. */
const NOT_LITERAL = Symbol("not literal");
type LiteralArg = ArgValue | typeof NOT_LITERAL;

const methodName = (spec: FunctionSpec): string => `qfin${spec.id}`;
const sizeMethodName = (spec: FunctionSpec): string => `qfin${spec.id}Size`;

/** Evaluates QFIN.* calls inside HyperFormula. One method per function is added below, from FUNCTION_SPECS. */
export class QfinHyperFormulaPlugin extends FunctionPlugin {
  static override implementedFunctions: ImplementedFunctions = Object.fromEntries(
    QFIN_FORMULA_FUNCTIONS.map(({ name, spec }) => [
      name,
      {
        method: methodName(spec),
        // Scalar functions too: given ranges of items or periods they spill (a row of periods → a row of values).
        sizeOfResultArrayMethod: sizeMethodName(spec),
        // Every parameter optional and of any type: the QFIN function, not HyperFormula, decides what is missing or wrong.
        parameters: spec.params.map(() => ({ argumentType: FunctionArgumentType.ANY, optionalArg: true })),
        vectorizationForbidden: true,
      },
    ]),
  );

  evaluateQfin(spec: FunctionSpec, name: string, ast: ProcedureAst, state: InterpreterState) {
    // More arguments than declared: HyperFormula would drop them; Excel (and invoke) refuse the call.
    if (ast.args.length > spec.params.length) return toHfResult(invoke(registeredIndex, spec.id, ast.args.map(() => null)));
    return this.runFunction(ast.args, state, this.metadata(name), (...values: unknown[]) =>
      toHfResult(callQfinFunction(spec, values.slice(0, ast.args.length).map(fromHfArgument))),
    );
  }

  sizeOfQfinResult(spec: FunctionSpec, ast: ProcedureAst, state: InterpreterState): ArraySize {
    const args = ast.args.map((arg) => this.literalArgument(arg, state));
    if (args.includes(NOT_LITERAL)) return ArraySize.scalar();
    const result = callQfinFunction(spec, args as ArgValue[]);
    return Array.isArray(result) && result.length > 0 ? new ArraySize(result[0].length, result.length) : ArraySize.scalar();
  }

  /** An argument's value when it is known at parse time: a literal, or a reference to cells holding constants. */
  private literalArgument(ast: Ast, state: InterpreterState): LiteralArg {
    switch (ast.type as string) {
      case "NUMBER":
      case "STRING":
        return (ast as { value: number | string }).value;
      case "EMPTY":
        return null;
      case "MINUS_UNARY_OP":
      case "PLUS_UNARY_OP": {
        const inner = this.literalArgument((ast as { value: Ast }).value, state);
        if (typeof inner !== "number") return NOT_LITERAL;
        return (ast.type as string) === "MINUS_UNARY_OP" ? -inner : inner;
      }
      case "PARENTHESES":
        return this.literalArgument((ast as { expression: Ast }).expression, state);
      case "FUNCTION_CALL": {
        const call = ast as ProcedureAst;
        if (call.args.length === 0 && (call.procedureName === "TRUE" || call.procedureName === "FALSE")) return call.procedureName === "TRUE";
        return NOT_LITERAL;
      }
      case "NAMED_EXPRESSION": {
        const name = (ast as NamedExpressionAst).expressionName.toUpperCase();
        return name === "TRUE" || name === "FALSE" ? name === "TRUE" : NOT_LITERAL;
      }
      case "ARRAY": {
        const rows = (ast as { args: Ast[][] }).args.map((row) => row.map((cell) => this.literalArgument(cell, state)));
        return rows.some((row) => row.some((cell) => cell === NOT_LITERAL || Array.isArray(cell))) ? NOT_LITERAL : (rows as ArgValue[][]);
      }
      case "CELL_REFERENCE":
        return this.constantAt((ast as CellReferenceAst).reference.toSimpleCellAddress(state.formulaAddress));
      case "CELL_RANGE": {
        const range = ast as CellRangeAst;
        const start = range.start.toSimpleCellAddress(state.formulaAddress);
        const end = range.end.toSimpleCellAddress(state.formulaAddress);
        const rows: LiteralArg[][] = [];
        for (let row = start.row; row <= end.row; row++) {
          const cells: LiteralArg[] = [];
          for (let col = start.col; col <= end.col; col++) cells.push(this.constantAt({ sheet: start.sheet, row, col }));
          rows.push(cells);
        }
        return rows.some((row) => row.includes(NOT_LITERAL)) ? NOT_LITERAL : (rows as ArgValue[][]);
      }
      default:
        return NOT_LITERAL;
    }
  }

  /** The constant a cell holds (null when empty), or NOT_LITERAL for a formula cell. */
  private constantAt(address: SimpleCellAddress): LiteralArg {
    const vertex = this.dependencyGraph.getCell(address) as { getValues?: () => { parsedValue: unknown } } | undefined;
    if (vertex === undefined) return null;
    if (typeof vertex.getValues !== "function") return NOT_LITERAL;
    return fromHfScalar(vertex.getValues().parsedValue);
  }
}

// HyperFormula looks a function's method up by name on the plugin: add one pair per QFIN function.
for (const { name, spec } of QFIN_FORMULA_FUNCTIONS) {
  const methods = QfinHyperFormulaPlugin.prototype as unknown as Record<string, unknown>;
  methods[methodName(spec)] = function (this: QfinHyperFormulaPlugin, ast: ProcedureAst, state: InterpreterState) {
    return this.evaluateQfin(spec, name, ast, state);
  };
  methods[sizeMethodName(spec)] = function (this: QfinHyperFormulaPlugin, ast: ProcedureAst, state: InterpreterState) {
    return this.sizeOfQfinResult(spec, ast, state);
  };
}

let registered = false;

/**
 * Registers the QFIN functions with HyperFormula (once per process; registration is global to the library) and makes
 * them read `index`.
 */
export function registerQfinFunctions(index: DatasetIndex | null): void {
  registeredIndex = index;
  if (registered) return;
  const names = Object.fromEntries(QFIN_FORMULA_FUNCTIONS.map(({ name }) => [name, name]));
  HyperFormula.registerFunctionPlugin(QfinHyperFormulaPlugin, { enGB: names, enUS: names });
  registered = true;
}

/**
 * HyperFormula configured to compute as Excel and the shipped engine do, in plain IEEE doubles: by default it rounds
 * every exported number to `precisionRounding` (10) significant digits and snaps near-equal values in subtractions
 * and comparisons; `smartRounding: false` turns both off (precisionRounding then no longer applies).
 */
export const QFIN_HYPERFORMULA_CONFIG: Partial<ConfigParams> = {
  licenseKey: "gpl-v3",
  smartRounding: false,
};

/** Excel's TRUE and FALSE literals; HyperFormula only knows the TRUE() and FALSE() functions. */
const BOOLEAN_NAMES = [
  { name: "TRUE", expression: "=TRUE()" },
  { name: "FALSE", expression: "=FALSE()" },
];

/** A one-sheet HyperFormula workbook with the QFIN functions, read back as Excel-shaped values. */
export class QfinWorkbook {
  constructor(readonly engine: HyperFormula) {}

  /** What the cell shows: its value, or the spill anchored there as a matrix. */
  value(address: string): FunctionResult {
    const anchor = this.address(address);
    if (this.engine.isCellPartOfArray(anchor) && this.engine.getCellFormula(anchor) !== undefined) return this.spill(anchor);
    return fromHfCellValue(this.engine.getCellValue(anchor), 0);
  }

  /** The error HyperFormula reports at a cell, with its message; undefined when the cell holds no error. */
  error(address: string): CellError | undefined {
    const value = this.value(address);
    return isCellError(value) ? value : undefined;
  }

  private spill(anchor: SimpleCellAddress): Matrix {
    const isSpilled = (row: number, col: number): boolean => {
      const address = { sheet: anchor.sheet, row, col };
      return this.engine.isCellPartOfArray(address) && this.engine.getCellFormula(address) === undefined;
    };
    let width = 1;
    while (isSpilled(anchor.row, anchor.col + width)) width++;
    let height = 1;
    while (isSpilled(anchor.row + height, anchor.col)) height++;
    const rows: Matrix = [];
    for (let row = 0; row < height; row++) {
      const cells: CellValue[] = [];
      for (let col = 0; col < width; col++) {
        cells.push(fromHfCellValue(this.engine.getCellValue({ sheet: anchor.sheet, row: anchor.row + row, col: anchor.col + col }), ""));
      }
      rows.push(cells);
    }
    return rows;
  }

  private address(a1: string): SimpleCellAddress {
    const position = parseA1(a1);
    if (!position) throw new RangeError(`Not an A1 address: ${a1}`);
    return { sheet: 0, row: position.row - 1, col: position.col - 1 };
  }
}

/**
 * Builds a workbook from cells by A1 address (`{ A1: "Net income", B1: "Q2 2023", C1: "=QFIN.METRIC(A1,B1)" }`).
 * Constants go in first and formulas after them, so a spilling formula can be sized from the cells it references.
 */
export function createQfinWorkbook(index: DatasetIndex, cells: Readonly<Record<string, RawCellContent>>): QfinWorkbook {
  registerQfinFunctions(index);
  const isFormula = (content: RawCellContent): boolean => typeof content === "string" && content.startsWith("=");
  const grid = (keep: (content: RawCellContent) => boolean): RawCellContent[][] => {
    const rows: RawCellContent[][] = [];
    for (const [a1, content] of Object.entries(cells)) {
      if (!keep(content)) continue;
      const position = parseA1(a1);
      if (!position) throw new RangeError(`Not an A1 address: ${a1}`);
      const row = (rows[position.row - 1] ??= []);
      row[position.col - 1] = content;
    }
    return Array.from(rows, (row) => Array.from(row ?? [], (content) => content ?? null));
  };
  const engine = HyperFormula.buildFromArray(grid((content) => !isFormula(content)), QFIN_HYPERFORMULA_CONFIG, BOOLEAN_NAMES);
  const formulas = grid(isFormula);
  engine.batch(() => {
    formulas.forEach((row, r) => row.forEach((content, c) => content !== null && engine.setCellContents({ sheet: 0, row: r, col: c }, content)));
  });
  return new QfinWorkbook(engine);
}

/** A HyperFormula workbook of several sheets with the QFIN functions, read back cell by cell as Excel-shaped values. */
export class QfinWorkbookSheets {
  constructor(
    readonly engine: HyperFormula,
    private readonly sheetIds: ReadonlyMap<string, number>,
  ) {}

  /** What a cell shows (`value("Income statement", "C6")`). */
  value(sheet: string, a1: string): CellValue {
    const id = this.sheetIds.get(sheet);
    const position = parseA1(a1);
    if (id === undefined || !position) throw new RangeError(`No cell ${sheet}!${a1}`);
    return fromHfCellValue(this.engine.getCellValue({ sheet: id, row: position.row - 1, col: position.col - 1 }), 0);
  }
}

/**
 * Builds a workbook of several sheets from cells by sheet and A1 address, for formulas that reach across sheets
 * (`='Income statement'!C$4`). Constants go in first and formulas after them, as in `createQfinWorkbook`.
 */
export function createQfinWorkbookSheets(index: DatasetIndex, sheets: Readonly<Record<string, Readonly<Record<string, RawCellContent>>>>): QfinWorkbookSheets {
  registerQfinFunctions(index);
  const isFormula = (content: RawCellContent): boolean => typeof content === "string" && content.startsWith("=");
  const engine = HyperFormula.buildEmpty(QFIN_HYPERFORMULA_CONFIG, BOOLEAN_NAMES);
  const ids = new Map<string, number>();
  for (const name of Object.keys(sheets)) ids.set(name, engine.getSheetId(engine.addSheet(name)) as number);
  const put = (keep: (content: RawCellContent) => boolean): void => {
    engine.batch(() => {
      for (const [name, cells] of Object.entries(sheets)) {
        for (const [a1, content] of Object.entries(cells)) {
          if (!keep(content)) continue;
          const position = parseA1(a1);
          if (!position) throw new RangeError(`Not an A1 address: ${a1}`);
          engine.setCellContents({ sheet: ids.get(name) as number, row: position.row - 1, col: position.col - 1 }, content);
        }
      }
    });
  };
  put((content) => !isFormula(content));
  put(isFormula);
  return new QfinWorkbookSheets(engine, ids);
}

function toHfError(error: CellError): HfCellError {
  return new HfCellError(TO_HF_ERROR[error.type], error.message);
}

function toHfResult(result: FunctionResult): HfCellError | SimpleRangeValue | number | string | boolean {
  if (Array.isArray(result)) {
    if (result.length === 0 || result[0].length === 0) return new HfCellError(HfErrorType.VALUE, "The QFIN function returned an empty array.");
    return SimpleRangeValue.onlyValues(result.map((row) => row.map((cell) => (isCellError(cell) ? toHfError(cell) : cell))));
  }
  return isCellError(result) ? toHfError(result) : result;
}

function fromHfError(error: { type: string; message?: string }): CellError {
  const type = FROM_HF_ERROR.get(error.type);
  if (type) return new CellError(type, error.message ?? "");
  return new CellError(ErrorType.VALUE, `#${error.type}! ${error.message ?? ""}`.trim());
}

/** An argument as HyperFormula's runFunction passes it → as Excel passes it to a custom function. */
function fromHfArgument(value: unknown): ArgValue {
  if (value instanceof SimpleRangeValue) return value.rawData().map((row) => row.map(fromHfScalar));
  return fromHfScalar(value);
}

function fromHfScalar(value: unknown): ArgValue {
  if (value === undefined || value === null || value === EmptyValue) return null;
  if (value instanceof HfCellError) return fromHfError(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  // Dates, percentages and currencies are numbers with a format attached (HyperFormula's ExtendedNumber).
  const raw = (value as { val?: unknown }).val;
  return typeof raw === "number" ? raw : new CellError(ErrorType.VALUE, `Unsupported value: ${String(value)}`);
}

/** A cell as HyperFormula exports it → CellValue. An empty cell shows 0 on its own, "" inside a spill. */
function fromHfCellValue(value: unknown, empty: CellValue): CellValue {
  if (value instanceof DetailedCellError) return fromHfError(value);
  if (value === null || value === undefined) return empty;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return new CellError(ErrorType.VALUE, `Unsupported cell value: ${String(value)}`);
}
