/**
 * Damage to the release's prose that ingest once accepted while silently dropping data (found by the hostile-input
 * probe, test/hardening/probe, class "release"): a renumbered footnote (a definition lost, or given to the wrong
 * items), a tab inside a prose line (the whole line left out), a damaged word in a sentence the loose cues did not
 * recognise (its figures and checks lost), a damaged non-GAAP definition. Each is now refused, naming the line; the
 * shipped release and the quarters made from it are still read with every check.
 */
import { IngestError, ingestRelease } from "../../src/ingest";
import { editLine, fourthQuarterRelease, nextQuarterRelease, releaseText, shippedDataset } from "../support/release";

const text = releaseText();

function refusal(damaged: string): string {
  try {
    ingestRelease(damaged, { file: "test/damaged-release.txt" });
  } catch (error) {
    expect(error).toBeInstanceOf(IngestError);
    return (error as IngestError).failures.map((failure) => failure.message).join("\n");
  }
  throw new Error("the damaged release was accepted");
}

describe("a renumbered footnote is refused, not read as another definition or none", () => {
  test.each([
    ["5 → 6 (footnote 5 gone, 6 twice)", /^5 "ICE" is/, (line: string) => line.replace(/^5/, "6"), [/cites footnote 5, which the release does not have/, /footnote 6 appears 2 times \(lines 32, 36\)/]],
    ["1 → 2", /^1 Refers to cumulative/, (line: string) => line.replace(/^1/, "2"), [/cites footnote 1, which the release does not have/, /footnote 2 appears 2 times/]],
    ["14 → 15 (past the last one)", /^14 "Financing income"/, (line: string) => line.replace(/^14/, "15"), [/cites footnote 14, which the release does not have/]],
    ["11 → 21", /^11 Including "Cash/, (line: string) => line.replace(/^11/, "21"), [/cites footnote 11, which the release does not have/]],
  ])("%s", (_, find, edit, messages) => {
    const message = refusal(editLine(text, find, edit));
    for (const expected of messages) expect(message).toMatch(expected);
  });
});

test("a tab inside a prose line is refused (the line was left out of the prose, its restatement unread)", () => {
  const damaged = editLine(text, /^Loan facilitation and servicing fees-capital heavy were/, (line) => line.replace("and servicing", "and\tservicing"));
  expect(refusal(damaged)).toMatch(/^Line 82 has a tab at column 22, but it comes before the first table/);
});

describe("a damaged word in a sentence that states a figure is refused", () => {
  test.each([
    ["per-ADS: a bracket inside the cue words", /^Net income per fully diluted ADS was/, (line: string) => line.replace("fully diluted", "fully (diluted"), /line 134: this reads like a figure in RMB with its US\$ amount but cannot be read/],
    ["per-ADS: 'was' damaged", /^Non-GAAP net income per fully diluted ADS was/, (line: string) => line.replace(" was ", " wIas "), /line 136: this reads like a figure in RMB with its US\$ amount/],
    ["a margin: 'marginw as'", /^- Net income margin was 27\.9%/, (line: string) => line.replace("margin was", "marginw as"), /line 56: this reads like a stated figure but cannot be read/],
    ["a margin: letters swapped", /^- Operating margin was 30\.2%/, (line: string) => line.replace("margin", "magrin"), /line 52: this reads like a stated figure/],
    ["a KPI in the CEO's words", /total loan facilitation and origination volume was RMB124\.2 billion/, (line: string) => line.replace("origination", "origniation"), /line 60: this reads like (an amount in RMB|a stated figure)/],
    ["a KPI's currency damaged ('RMMB')", /total loan facilitation and origination volume was RMB124\.2 billion/, (line: string) => line.replace("RMB124.2", "RMMB124.2"), /line 60: this reads like an amount in RMB/],
    ["a KPI bullet", /^- 90 day\+ delinquency rate/, (line: string) => line.replace("delinquency", "delinqeuncy"), /line 21: this reads like a stated figure/],
    ["a stated share", /Approximately 58% of the loan volume was facilitated under the capital-light model/, (line: string) => line.replace("under the capital", "under t'e capital"), /line 60: this reads like a stated share/],
  ])("%s", (_, find, edit, message) => {
    expect(refusal(editLine(text, find, edit))).toMatch(message);
  });
});

test("a damaged non-GAAP definition is refused: the release must say what each non-GAAP measure represents", () => {
  const damaged = editLine(text, /^We use Non-GAAP income from operation/, (line) => line.replace("Non-GAAP net income per fully diluted ADS represents", "Non-GAAP net income per fully diluted ADS rperesents"));
  expect(refusal(damaged)).toMatch(/-diluted has no definition in this release \(no sentence says what the non-GAAP measure represents/);
});

test("the shipped release, and the quarters made from it, are still read with every check and every definition", () => {
  expect(shippedDataset().checks).toHaveLength(469);
  const defined = shippedDataset().items.filter((item) => item.definition !== null).length;
  expect(defined).toBe(23);
  for (const quarter of [nextQuarterRelease(), fourthQuarterRelease({ consistent: true })]) {
    const dataset = ingestRelease(quarter, { file: "test/quarter.txt" });
    expect(dataset.checks.length).toBeGreaterThan(400);
    expect(dataset.checks.every((check) => check.status === "pass")).toBe(true);
    expect(dataset.items.filter((item) => item.definition !== null)).toHaveLength(defined);
  }
});
