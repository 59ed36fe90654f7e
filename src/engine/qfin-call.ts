/**
 * How a formula engine calls a QFIN function: the one place that decides, for every engine adapter (the shipped
 * fast-formula-parser engine and the HyperFormula plugin used in tests), what Excel itself would do around the call —
 * argument count, omitted arguments, error arguments — before handing the arguments to `invoke` unchanged.
 */
import { ArgValue, CellError, ErrorType, FunctionResult, isCellError } from "../core/cell";
import { invoke } from "../functions/invoke";
import { FUNCTION_SPECS, FunctionSpec } from "../functions/spec";

/** The namespace every QFIN function is registered under, as in the add-in manifest (`QFIN.METRIC`). */
export const QFIN_NAMESPACE = "QFIN";

/**
 * The name a formula uses for a QFIN function.
 *
 * @example
 * qfinFormulaName(FUNCTION_SPECS[0]) // "QFIN.METRIC"
 */
export function qfinFormulaName(spec: FunctionSpec): string {
  return `${QFIN_NAMESPACE}.${spec.id}`;
}

/** Every QFIN function with the name formulas call it by, in the spec's order. */
export const QFIN_FORMULA_FUNCTIONS: readonly { name: string; spec: FunctionSpec }[] = FUNCTION_SPECS.map((spec) => ({
  name: qfinFormulaName(spec),
  spec,
}));

/** `METRIC(item, period, [currency], [scale])`: the signature as help text shows it. */
export function qfinSignature(spec: FunctionSpec): string {
  const params = spec.params.map((param) => (param.optional ? `[${param.name}]` : param.name));
  return `${qfinFormulaName(spec)}(${params.join(", ")})`;
}

/**
 * Calls a QFIN function the way Excel calls a custom function:
 * - arguments the formula leaves out arrive as `null` (Excel passes every declared parameter);
 * - an argument that is itself an error is returned as the result without calling the function (Excel does not
 *   call a custom function with an error argument), so `=QFIN.MARGIN(A1,"Q2 2023")` shows A1's error and message;
 * - more arguments than the function declares is an error (Excel refuses such a formula when it is typed);
 * - the function never throws: an unexpected exception becomes `#VALUE!`, as Excel shows for a failing function.
 *
 * @example
 * callQfinFunction(spec("METRIC"), ["Net income", "Q2 2023"]) // invoke("METRIC", ["Net income", "Q2 2023", null, null])
 */
export function callQfinFunction(spec: FunctionSpec, args: readonly ArgValue[]): FunctionResult {
  const tooMany = argumentCountError(spec, args.length);
  if (tooMany) return tooMany;
  const errorArgument = args.find(isCellError);
  if (errorArgument) return errorArgument;

  const padded: ArgValue[] = spec.params.map((_param, index) => (index < args.length ? (args[index] ?? null) : null));
  try {
    return invoke(spec.id, padded);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return new CellError(ErrorType.VALUE, `${qfinFormulaName(spec)} failed: ${reason}`);
  }
}

/**
 * The `#VALUE!` error for a call with more arguments than the function declares, or undefined when the count is fine
 * (missing arguments are `null`; the function itself says which one it needs).
 *
 * @example
 * argumentCountError(spec("VERSION"), 1)?.message // "QFIN.VERSION takes no arguments, got 1: QFIN.VERSION()."
 */
export function argumentCountError(spec: FunctionSpec, count: number): CellError | undefined {
  if (count <= spec.params.length) return undefined;
  const max = spec.params.length;
  const takes = max === 0 ? "takes no arguments" : `takes at most ${max} argument${max === 1 ? "" : "s"}`;
  return new CellError(ErrorType.VALUE, `${qfinFormulaName(spec)} ${takes}, got ${count}: ${qfinSignature(spec)}.`);
}

/**
 * The `#NAME?` error for a function the engine does not know, with the nearest QFIN name when the name looks like a
 * mistyped one.
 *
 * @example
 * unknownFunctionError("QFIN.METRICS").message // 'Unknown function QFIN.METRICS; did you mean QFIN.METRIC?'
 */
export function unknownFunctionError(name: string): CellError {
  const upper = name.toUpperCase();
  if (upper.startsWith(`${QFIN_NAMESPACE}.`)) {
    const nearest = nearestName(upper, QFIN_FORMULA_FUNCTIONS.map((entry) => entry.name));
    const hint = nearest
      ? `did you mean ${nearest}?`
      : `QFIN functions are ${QFIN_FORMULA_FUNCTIONS.map((entry) => entry.name).join(", ")}.`;
    return new CellError(ErrorType.NAME, `Unknown function ${upper}; ${hint}`);
  }
  return new CellError(ErrorType.NAME, `Unknown function ${upper}; this formula engine supports QFIN functions and Excel's common functions (SUM, ROUND, IF, INDEX, …).`);
}

function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= 3 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_value, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
