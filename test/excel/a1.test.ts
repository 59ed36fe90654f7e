import { formatA1, parseA1 } from "../../src/excel/a1";

describe("A1 addresses", () => {
  it.each(["", "A", "1", "A0", "AAAA1", "A1:B2", "Sheet1!A1"])("%j is not an address", (text) => {
    expect(parseA1(text)).toBeUndefined();
  });

  it.each([
    ["A1", 1, 1],
    ["b3", 3, 2],
    ["$Z$9", 9, 26],
    ["AA10", 10, 27],
    ["XFD1048576", 1048576, 16384],
  ])("%s is row %i, column %i, and formats back", (text, row, col) => {
    expect(parseA1(text)).toEqual({ row, col });
    expect(formatA1({ row, col })).toBe(text.replace(/\$/g, "").toUpperCase());
  });
});
