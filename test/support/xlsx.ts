/** Comparing .xlsx packages entry by entry, for tests that must prove a refresh changed only cached values. */
import JSZip from "jszip";
import { readSheetCells } from "../../src/workbook/sheet-xml";

/** The package entries of an .xlsx, by path. */
export async function entries(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(bytes);
  const map = new Map<string, Buffer>();
  for (const name of Object.keys(zip.files).sort()) if (!zip.files[name].dir) map.set(name, await zip.files[name].async("nodebuffer"));
  return map;
}

/** The sheet's text with the given cells' elements cut out: must be equal before and after. */
function withoutCells(xml: string, addresses: ReadonlySet<string>): string {
  const cells = readSheetCells(xml, []).filter((cell) => addresses.has(cell.address));
  let out = xml;
  for (const cell of [...cells].reverse()) out = out.slice(0, cell.start) + `<c r="${cell.address}"/>` + out.slice(cell.end);
  return out;
}

/**
 * Asserts that `after` differs from `before` only in the cached values of `changed` cells (`Sheet!A1`): every other
 * package entry byte-identical, the changed sheets identical with those cells cut out, their formulas untouched.
 */
export async function expectOnlyValuesChanged(before: Uint8Array, after: Uint8Array, changed: readonly string[], sheetPaths: Record<string, string>): Promise<void> {
  const old = await entries(before);
  const fresh = await entries(after);
  expect([...fresh.keys()]).toEqual([...old.keys()]);
  const bySheet = new Map<string, Set<string>>();
  for (const name of changed) {
    const [sheet, address] = name.split("!");
    const set = bySheet.get(sheetPaths[sheet]) ?? new Set<string>();
    set.add(address);
    bySheet.set(sheetPaths[sheet], set);
  }
  for (const [path, bytes] of old) {
    const addresses = bySheet.get(path);
    if (!addresses) expect({ path, same: bytes.equals(fresh.get(path) as Buffer) }).toEqual({ path, same: true });
    else expect(withoutCells((fresh.get(path) as Buffer).toString("utf8"), addresses)).toBe(withoutCells(bytes.toString("utf8"), addresses));
  }
  // The formulas of changed cells are untouched too.
  for (const [path, addresses] of bySheet) {
    const formulas = (xml: string) => readSheetCells(xml, []).filter((cell) => addresses.has(cell.address)).map((cell) => cell.formula?.xml);
    expect(formulas((fresh.get(path) as Buffer).toString("utf8"))).toEqual(formulas((old.get(path) as Buffer).toString("utf8")));
  }
}
