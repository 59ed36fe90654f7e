import { Session } from "../../src/addin/session";
import { invoke } from "../../src/functions/invoke";
import { loadDataset } from "../../src/core/load-dataset";
import { miniDatasetJson } from "../fixtures/mini-dataset";

describe("the add-in's session", () => {
  it("starts with no data, then swaps in one step and tells its listeners", () => {
    const session = new Session();
    expect(session.index).toBeNull();
    expect(String(invoke(session.index, "METRIC", ["Net income", "Q2 2023"]))).toMatch(/^#N\/A No QFIN data is loaded/);
    const seen: (string | null)[] = [];
    const stop = session.onChange((index) => seen.push(index?.latestRelease.id ?? null));
    const installed = session.use(loadDataset(miniDatasetJson()), "873c6afec2fc");
    expect(session.index).toBe(installed);
    expect(installed?.version).toBe("873c6afec2fc");
    expect(invoke(session.index, "METRIC", ["Net income", "Q2 2023"])).toBe(1093.377);
    session.use(null);
    stop();
    session.use(loadDataset(miniDatasetJson()));
    expect(seen).toEqual(["2023Q2", null]);
  });

  it("two sessions never share data: each reads the index it was handed", () => {
    const a = new Session();
    const b = new Session();
    a.use(loadDataset(miniDatasetJson()));
    expect(invoke(a.index, "METRIC", ["Net income", "Q2 2023"])).toBe(1093.377);
    expect(String(invoke(b.index, "METRIC", ["Net income", "Q2 2023"]))).toMatch(/No QFIN data is loaded/);
  });

  it("counts Excel's QFIN calls since the last swap, and tells a waiter when one comes or that none came in time", async () => {
    const session = new Session();
    session.use(loadDataset(miniDatasetJson()));
    session.noteCall();
    expect(session.callsSinceSwap).toBe(1);
    session.use(loadDataset(miniDatasetJson()));
    expect(session.callsSinceSwap).toBe(0);
    const waiting = session.waitForCall(2000);
    setTimeout(() => session.noteCall(), 20);
    await expect(waiting).resolves.toBe(true);
    await expect(session.waitForCall(0)).resolves.toBe(true); // one came already
    session.adopt(session.index);
    const started = Date.now();
    await expect(session.waitForCall(100)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});
