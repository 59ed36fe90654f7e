/**
 * The custom-functions entry (functions.js): the runtime Excel loads for the QFIN functions, shared with the taskpane.
 * It activates the dataset embedded in the bundle and registers every function of the catalogue with
 * `CustomFunctions.associate`, each as a pass-through: Excel's arguments go to `invoke` as Excel passed them, the
 * result comes back through `./excel-values`. The ids match functions.json, which is generated from the same catalogue.
 */
import { FUNCTIONS } from "../functions/catalogue";
import { invoke } from "../functions/invoke";
import { EMBEDDED_DATASET_REVISION, EMBEDDED_DATASET_VERSION, embeddedDataset } from "./embedded-dataset";
import { fromExcelArgument, toExcelMatrix, toExcelValue, type ExcelCellValue } from "./excel-values";
import { answersWithRange } from "./functions-metadata";
import { Session } from "./session";

/** The session of this runtime: the functions and the pane read the same dataset. */
export const session = new Session();

/*
 * Activate the embedded dataset once, when the runtime loads the bundle. Should it be invalid, the functions stay
 * registered and answer with the core's "no data loaded" error instead of #NAME?.
 */
try {
  session.use(embeddedDataset(), EMBEDDED_DATASET_VERSION, EMBEDDED_DATASET_REVISION);
} catch (error) {
  console.error("QFIN: the embedded dataset could not be loaded.", error);
}

type ExcelFunction = (...args: unknown[]) => ExcelCellValue | ExcelCellValue[][];

/** The function Excel calls for one catalogue entry. */
export function excelFunction(id: string, spills: boolean): ExcelFunction {
  const call = (args: unknown[]): ReturnType<typeof invoke> => {
    // Counted so Apply can tell that Excel re-ran the cells it asked it to recalculate.
    session.noteCall();
    return invoke(session.index, id, args.map(fromExcelArgument));
  };
  return spills ? (...args) => toExcelMatrix(call(args)) : (...args) => toExcelValue(call(args));
}

/**
 * Registers every QFIN function with Excel. Outside Excel (office.js missing or not yet loaded, a plain browser)
 * there is nothing to register with: it says so and returns false instead of throwing, so the pane still starts.
 */
export function registerFunctions(scope: { CustomFunctions?: { associate?: (id: string, fn: ExcelFunction) => void } } = globalThis as never): boolean {
  const associate = scope.CustomFunctions?.associate;
  if (typeof associate !== "function") {
    console.warn("QFIN: CustomFunctions is not available (office.js did not load, or this is not Excel); the functions are not registered.");
    return false;
  }
  for (const fn of FUNCTIONS) associate.call(scope.CustomFunctions, fn.id, excelFunction(fn.id, answersWithRange(fn)));
  return true;
}

registerFunctions();
