/**
 * The physical floor: one QFIN.METRIC through the function entry point (`invoke`: argument normalisation, item and
 * period resolution, decimal scaling, a Number back) against a bare `Map.get` of a precomputed key returning the
 * same Number. Both cycle through every RMB figure of the dataset, so neither is a single hot cache line. Calls pass
 * every declared argument, as Excel does. Two figures: a repeated call (answered from the index's memo) against
 * Map.get, and a first call of each distinct question on a freshly built index (nothing cached), per call.
 *
 * When the ratio is over the goal, a CPU profile of the invoke loop says where the time goes.
 */
import { Session } from "inspector";
import { typeableName } from "../src/core/resolve-item";
import { buildIndex, type DatasetIndex } from "../src/core/dataset-index";
import type { ItemInfo, PeriodInfo } from "../src/core/model";
import { invoke } from "../src/functions/invoke";
import { sink, timePerOperation, type PerOperation } from "./measure";

export interface FloorResult {
  queries: number;
  invoke: PerOperation;
  mapGet: PerOperation;
  ratio: number;
  /**
   * A first call of each distinct question on a fresh index (nothing cached), per call, once the code is compiled
   * (as in a runtime that has calculated before); and the very first pass, where V8 compiles the code as it goes.
   */
  uncached: PerOperation;
  uncachedColdNs: number;
  /** Self time by function over the invoke loop, largest first (only when profiled). */
  profile?: { function: string; selfShare: number }[];
}

interface Query {
  item: string;
  period: string;
  key: string;
  value: number;
}

/** Every (item, period) METRIC answers in RMB, typed the way an analyst types it. */
function queries(index: DatasetIndex): Query[] {
  const list: Query[] = [];
  for (const fact of index.facts.values()) {
    if (fact.currency !== "RMB") continue;
    const item = index.itemsById.get(fact.item) as ItemInfo;
    const period = index.periodsById.get(fact.period) as PeriodInfo;
    const name = typeableName(index, item);
    const value = invoke(index, "METRIC", [name, period.label, null, null, null]);
    if (typeof value !== "number") continue;
    list.push({ item: name, period: period.label, key: `${fact.item}|${fact.period}|RMB`, value });
  }
  return list;
}

export function runFloorBenchmark(index: DatasetIndex, options: { iterations: number; samples: number; profile: boolean }): FloorResult {
  const list = queries(index);
  const count = list.length;
  const precomputed = new Map(list.map((query) => [query.key, query.value]));
  const keys = list.map((query) => query.key);
  const args = list.map((query) => [query.item, query.period, null, null, null] as const);

  // Same answers first: the floor must return what METRIC returns.
  list.forEach((query, position) => {
    const viaInvoke = invoke(index, "METRIC", args[position] as readonly [string, string, null, null, null]);
    if (viaInvoke !== precomputed.get(query.key)) throw new Error(`floor: METRIC(${query.item}, ${query.period}) = ${String(viaInvoke)}, Map has ${precomputed.get(query.key)}`);
  });

  const runOptions = { warmups: 3, samples: options.samples };
  const viaInvoke = timePerOperation((i) => invoke(index, "METRIC", args[i % count] as readonly [string, string, null, null, null]), options.iterations, runOptions);
  const mapGet = timePerOperation((i) => precomputed.get(keys[i % count] as string), options.iterations * 10, runOptions);
  const { cold, warm: uncached } = firstCalls(index, args, options.samples);
  const result: FloorResult = { queries: count, invoke: viaInvoke, mapGet, ratio: viaInvoke.medianNs / mapGet.medianNs, uncached, uncachedColdNs: cold };
  if (options.profile) result.profile = profileInvoke(index, args, options.iterations * 3);
  return result;
}

/** Passes over fresh indexes before the timed ones: V8 has compiled the first-call path by then. */
const COMPILING_PASSES = 20;

/**
 * Every distinct question once, each pass on a new index built (untimed) from the same dataset: nothing is cached.
 * The first pass is also reported on its own (the code compiling as it runs); the timed ones follow COMPILING_PASSES.
 */
function firstCalls(index: DatasetIndex, args: readonly (readonly [string, string, null, null, null])[], samples: number): { cold: number; warm: PerOperation } {
  const perCall: number[] = [];
  let cold = 0;
  for (let sample = 0; sample < samples + COMPILING_PASSES; sample++) {
    const fresh = buildIndex(index.dataset);
    const start = process.hrtime.bigint();
    for (const call of args) sink(invoke(fresh, "METRIC", call));
    const ns = Number(process.hrtime.bigint() - start) / args.length;
    if (sample === 0) cold = ns;
    if (sample >= COMPILING_PASSES) perCall.push(ns);
  }
  perCall.sort((a, b) => a - b);
  const medianNs = perCall[Math.floor(perCall.length / 2)] as number;
  const minNs = perCall[0] as number;
  const maxNs = perCall[perCall.length - 1] as number;
  return { cold, warm: { medianNs, minNs, maxNs, spread: (maxNs - minNs) / medianNs, samples: perCall.length, iterations: args.length } };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Samples the invoke loop with V8's profiler and sums self time per function. */
function profileInvoke(index: DatasetIndex, args: readonly (readonly [string, string, null, null, null])[], iterations: number): FloorResult["profile"] {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): T => {
    let result: T | undefined;
    let failure: Error | null = null;
    // With the in-process inspector, post() calls back synchronously.
    session.post(method, params ?? {}, (error, value) => {
      failure = error;
      result = value as T;
    });
    if (failure) throw failure;
    return result as T;
  };
  post("Profiler.enable");
  post("Profiler.setSamplingInterval", { interval: 100 });
  post("Profiler.start");
  for (let i = 0; i < iterations; i++) sink(invoke(index, "METRIC", args[i % args.length] as readonly [string, string, null, null, null]));
  const { profile } = post<{ profile: { nodes: ProfileNode[] } }>("Profiler.stop");
  session.disconnect();

  const hits = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const count = node.hitCount ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*?\/(src|node_modules|bench)\//, "$1/");
    const name = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    hits.set(name, (hits.get(name) ?? 0) + count);
    total += count;
  }
  return [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([fn, count]) => ({ function: fn, selfShare: count / total }));
}
