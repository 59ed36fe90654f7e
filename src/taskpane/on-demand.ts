/**
 * The pane's code that only some analysts use, each a chunk of its own loaded the first time it is needed, so the
 * pane starts without it: the formula engine (`formula-engine.js`: the workbench, Link this workbook's check of each
 * link) and the linker (`link-workbook.js`: Link this workbook).
 */
export type FormulaEngine = typeof import("../engine/formula-engine");
export type Linker = typeof import("../retrofit/link-workbook") & Pick<typeof import("../retrofit/report"), "summaryLine">;

/** `load` once; a failed load is tried again at the next call. */
function loadedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

export const loadFormulaEngine: () => Promise<FormulaEngine> = loadedOnce(() => import(/* webpackChunkName: "formula-engine" */ "../engine/formula-engine"));

export const loadLinker: () => Promise<Linker> = loadedOnce(async () => {
  const [linker, report] = await Promise.all([
    import(/* webpackChunkName: "link-workbook" */ "../retrofit/link-workbook"),
    import(/* webpackChunkName: "link-workbook" */ "../retrofit/report"),
  ]);
  return { ...linker, summaryLine: report.summaryLine };
});
