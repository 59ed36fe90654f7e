/**
 * The narrative's figures feed checks (each restated figure against its table, each stated margin and growth rate
 * against the figures it relates). A damaged sentence must refuse the release, naming its line, rather than drop out
 * of the reading and take its checks with it: whatever is garbled, the release is refused or still runs every check.
 */
import { IngestError } from "../../src/ingest";
import { NARRATIVE_SPECS } from "../../src/ingest/narrative-catalogue";
import { cleanLine } from "../../src/ingest/release-text";
import { ingestText, releaseText, shippedDataset } from "../support/release";

const original = releaseText();
const lines = original.split("\n");
const CHECKS = shippedDataset().checks.length;

type Garble = [string, (line: string) => string];
const lastIndex = (line: string, find: string): number => line.lastIndexOf(find);
const replaceLast = (line: string, find: string, by: string): string => {
  const at = lastIndex(line, find);
  return at < 0 ? line : line.slice(0, at) + by + line.slice(at + find.length);
};
/** The last digit of the sentence becomes a letter O (a conversion's typical damage). */
const letterO = (line: string): string => line.replace(/\d(?=\D*$)/, "O");

const RESTATEMENT_GARBLES: Garble[] = [
  ["millon", (line) => replaceLast(line, " million", " millon")],
  ["RBM for RMB", (line) => line.replace(/RMB/g, "RBM")],
  ["a letter O for a digit", letterO],
  ["a lost bracket", (line) => line.replace("(US\\$", "US\\$")],
  ["wass", (line) => line.replace(/ (was|were) RMB/, " wass RMB")],
  ["a decimal comma", (line) => line.replace(/(\d)\.(\d) million in the (prior quarter|same period)/, "$1,$2 million in the $3")],
  ["a space inside a figure", (line) => replaceLast(line, "RMB", "RMB ")],
  ["prior quater", (line) => line.replace("prior quarter", "prior quater")],
];
const MARGIN_GARBLES: Garble[] = [
  ["a space before %", (line) => line.replace(/(\d)%/, "$1 %")],
  ["a decimal comma", (line) => line.replace(/(\d)\.(\d)%/, "$1,$2%")],
  ["a letter O for a digit", (line) => line.replace(/\d(?=\.\d%)/, "O")],
];
const PER_ADS_GARBLES: Garble[] = [
  ["a decimal comma", (line) => line.replace(/RMB(\d)\.(\d\d)/, "RMB$1,$2")],
  ["a letter O for a digit", letterO],
];

interface Outcome {
  refused: number;
  unchanged: number;
  dropped: string[];
}

/** Ingests each garbled line; a refusal must name the line, an acceptance must still run every check. */
function tryGarbles(lineNumbers: number[], garbles: Garble[]): Outcome {
  const outcome: Outcome = { refused: 0, unchanged: 0, dropped: [] };
  for (const number of lineNumbers) {
    for (const [name, garble] of garbles) {
      const damaged = garble(lines[number - 1] as string);
      if (damaged === lines[number - 1]) continue;
      const text = [...lines.slice(0, number - 1), damaged, ...lines.slice(number)].join("\n");
      try {
        const checks = ingestText(text).checks.length;
        if (checks === CHECKS) outcome.unchanged++;
        else outcome.dropped.push(`line ${number}, ${name}: ${checks} checks instead of ${CHECKS}`);
      } catch (error) {
        if (!(error instanceof IngestError)) throw error;
        expect([number, name, error.message]).toEqual([number, name, expect.stringContaining(`line ${number}`)]);
        outcome.refused++;
      }
    }
  }
  return outcome;
}

const linesWith = (test: (text: string) => boolean): number[] =>
  lines.flatMap((raw, index) => (!raw.includes("\t") && test(cleanLine(raw)) ? [index + 1] : []));

describe("a garbled narrative sentence never drops a check silently", () => {
  test("restatements of table figures (… compared to RMB… in the same period of 2022 … in the prior quarter)", () => {
    const restatements = linesWith((text) => text.includes("compared to RMB"));
    expect(restatements).toHaveLength(32); // 8 highlights bullets, 24 paragraphs of the financial results
    const outcome = tryGarbles(restatements, RESTATEMENT_GARBLES);
    expect(outcome.dropped).toEqual([]);
    expect(outcome.refused).toBeGreaterThan(200);
    console.log(`restatements: ${outcome.refused} garbled copies refused, ${outcome.unchanged} accepted with all ${CHECKS} checks`);
  });

  test("stated margins and per-ADS figures", () => {
    const margins = linesWith((text) => /margin was \d/.test(text));
    const perAds = linesWith((text) => text.includes("per fully diluted ADS was RMB"));
    expect([margins.length, perAds.length]).toEqual([4, 2]);
    const outcome = [tryGarbles(margins, MARGIN_GARBLES), tryGarbles(perAds, PER_ADS_GARBLES)];
    expect(outcome.flatMap((o) => o.dropped)).toEqual([]);
    expect(outcome.map((o) => o.refused)).toEqual([12, 4]);
  });

  test("every KPI, capital-return and quote sentence of the catalogue", () => {
    const specLines = linesWith((text) => NARRATIVE_SPECS.some((spec) => spec.cue.test(text.replace(/^- /, "").replace(/^\d{1,2} /, ""))));
    expect(specLines).toHaveLength(19);
    const outcome = tryGarbles(specLines, [["a letter O for a digit", letterO]]);
    expect(outcome.dropped).toEqual([]);
    console.log(`catalogue sentences on ${specLines.length} lines: ${outcome.refused} refused, ${outcome.unchanged} accepted with every check`);
  });

  test("the refusal names the line and the form that would be read", () => {
    const text = original.replace("and RMB929.8 million in the prior quarter", "and RMB929.8 millon in the prior quarter");
    expect(() => ingestText(text)).toThrow(
      /\[narrative\] Narrative: line 124: this reads like a restatement of table figures but cannot be read \(a damaged figure or word\?\), so its checks would be lost: "Net income was RMB1,093\.4 million/,
    );
  });
});
