/**
 * Footnotes define the KPIs, and each footnote is only its own paragraph(s): footnote 13 ends where the financial
 * results begin, footnote 9 where the financial highlights begin. The one footnote of the release with a second
 * paragraph (5, "Under other technology solutions, …") keeps it.
 */
import { readFootnotes } from "../../src/ingest/narrative";
import { paragraphs, splitLines, type Paragraph } from "../../src/ingest/release-text";
import { releaseText, shippedDataset } from "../support/release";

const paragraph = (line: number, text: string, footnotes: string[] = []): Paragraph => ({ line, text, footnotes });

describe("the rule: a footnote continues only inside its block of footnotes", () => {
  test("an unnumbered prose paragraph that leads straight to the next footnote belongs to the one before", () => {
    const notes = readFootnotes([paragraph(1, "5 First paragraph."), paragraph(2, "Second paragraph."), paragraph(3, "6 Next footnote.")]);
    expect(notes.get("*5")).toBe("First paragraph. Second paragraph.");
    expect(notes.get("*6")).toBe("Next footnote.");
  });

  test.each([
    ["a heading", paragraph(2, "Second Quarter 2023 Financial Results")],
    ["a bullet", paragraph(2, "- Net income was RMB1,093.4 million.")],
    ["a paragraph citing a footnote (body text)", paragraph(2, "Financing income was RMB1,188.7 million.", ["*14"])],
  ])("the run is body text when it holds %s", (_what, between) => {
    const notes = readFootnotes([paragraph(1, "13 The definition."), between, paragraph(3, "Prose."), paragraph(4, "14 Next footnote.")]);
    expect(notes.get("*13")).toBe("The definition.");
  });

  test("a run that does not lead to footnote N+1 (the last footnote, or a gap in the numbers) is not the footnote's", () => {
    expect(readFootnotes([paragraph(1, "14 Last footnote."), paragraph(2, "Prose after it.")]).get("*14")).toBe("Last footnote.");
    expect(readFootnotes([paragraph(1, "3 Footnote."), paragraph(2, "Prose."), paragraph(3, "7 Another.")]).get("*3")).toBe("Footnote.");
  });
});

describe("the shipped release", () => {
  const lines = splitLines(releaseText());
  const firstTable = lines.find((line) => line.text === "Unaudited Condensed Consolidated Balance Sheets")?.number ?? 0;
  const notes = readFootnotes(paragraphs(lines, firstTable));
  // An independent reading: a footnote is the text of the line that starts with its number.
  const ownLine = (n: number): string => {
    const line = lines.find((candidate) => candidate.number < firstTable && candidate.text.startsWith(`${n} `));
    return (line?.text ?? "").slice(`${n} `.length);
  };

  test("footnotes 1 to 14 are each their own paragraph; footnote 5 has its second paragraph too", () => {
    for (let n = 1; n <= 14; n++) {
      if (n === 5) continue;
      expect([n, notes.get(`*${n}`)]).toEqual([n, ownLine(n)]);
    }
    expect(notes.get("*5")).toBe(`${ownLine(5)} Under other technology solutions, we offer financial institutions on-premise deployed, modular risk management SaaS, which helps financial institution partners improve credit assessment results. Loan facilitation volume through other technology solutions was RMB28,260 million in the second quarter of 2023.`);
  });

  test("the KPI definitions in the dataset hold no other section (30 day collection rate was 8,124 characters)", () => {
    const definition = (id: string): string => shippedDataset().items.find((item) => item.id === id)?.definition ?? "";
    expect(definition("kpi.collection_rate_30_day")).toBe(ownLine(13));
    expect(definition("kpi.collection_rate_30_day")).toHaveLength(268);
    expect(definition("kpi.repeat_borrower_contribution")).toBe(ownLine(9));
    expect(definition("kpi.repeat_borrower_contribution")).not.toContain("Net income was");
    for (const item of shippedDataset().items) {
      expect([item.id, (item.definition ?? "").length < 1000, /compared to RMB|Financial (Highlights|Results)/.test(item.definition ?? "")]).toEqual([item.id, true, false]);
    }
  });
});
