/**
 * The release text the pane quotes: fetched from the add-in's own host at the path the build publishes it, checked
 * against the SHA-256 the dataset records, kept once fetched, and refused with the reason otherwise.
 */
import { createHash } from "crypto";
import { releaseTextPath } from "../../src/addin/dataset-publication";
import { releaseLines } from "../../src/addin/release-text";

const BASE = "https://addins.example.com/qfin/taskpane.html";
const text = "Qifu Technology\nNet income\t974,956\t1,093,377\n";
const sha256 = (body: string): string => createHash("sha256").update(body).digest("hex");

function host(answers: Record<string, { status: number; body: string }>): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fetch: (async (input: RequestInfo | URL) => {
      const url = String(input);
      asked.push(url);
      const answer = answers[new URL(url).pathname] ?? { status: 404, body: "" };
      return new Response(answer.body, { status: answer.status });
    }) as typeof fetch,
  };
}

describe("releaseLines", () => {
  it("fetches the text beside the dataset, once, and gives its lines", async () => {
    const release = { id: "2023Q2", sha256: sha256(text) };
    expect(releaseTextPath(release)).toBe(`data/releases/2023Q2.${release.sha256.slice(0, 12)}.txt`);
    const served = host({ [`/qfin/${releaseTextPath(release)}`]: { status: 200, body: text } });
    expect((await releaseLines(release, BASE, served.fetch))[1]).toBe("Net income\t974,956\t1,093,377");
    await releaseLines(release, BASE, served.fetch);
    expect(served.asked).toEqual([`https://addins.example.com/qfin/${releaseTextPath(release)}`]);
  });

  it("refuses a text that is not the one the data was read from", async () => {
    const release = { id: "2023Q3", sha256: sha256("the real text") };
    const served = host({ [`/qfin/${releaseTextPath(release)}`]: { status: 200, body: "another text" } });
    await expect(releaseLines(release, BASE, served.fetch)).rejects.toThrow("is not the text the data was read from (its SHA-256 differs), so no line is quoted from it");
  });

  it("says the host does not publish it, and tries again next time", async () => {
    const release = { id: "2024Q1", sha256: sha256("later") };
    const missing = host({});
    await expect(releaseLines(release, BASE, missing.fetch)).rejects.toThrow(`The add-in's host does not publish the text of release 2024Q1 (/qfin/${releaseTextPath(release)}, HTTP 404)`);
    const published = host({ [`/qfin/${releaseTextPath(release)}`]: { status: 200, body: "later" } });
    expect(await releaseLines(release, BASE, published.fetch)).toEqual(["later"]);
  });
});
