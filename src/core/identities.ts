/**
 * Identities the release's statements obey beyond their subtotals (those are the items' `components`): ingest checks
 * them and the analyst model writes them as Excel formulas, from this one list.
 */
export interface Identity {
  /** What holds, in words: "Total assets = total liabilities and equity". */
  label: string;
  left: string;
  right: string;
}

export const IDENTITIES: readonly Identity[] = [
  { label: "Total assets = total liabilities and equity", left: "bs.total_assets", right: "bs.total_liabilities_and_equity" },
];
