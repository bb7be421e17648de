/**
 * The "floor" side of the `floor` case: plain cdk8s-plus made to write the
 * very YAML the ordered side writes, with none of the library's work. It
 * separates what the output costs (floor / plain) from what the library's
 * work costs (ordered / floor).
 *
 * What the library adds is taken from one ordered synthesis, once, outside
 * any timed rep (`floorAdditions`, in the harness): per workload the pod-spec
 * keys and annotations that differ from the plain render, and the objects
 * plain does not have, all as JSON text. A floor rep builds the plain app and
 * gives each workload's render, and the chart's, those additions parsed
 * afresh (`JSON.parse`: the cheapest way to have the objects). The harness
 * checks once that the floor app writes exactly the ordered YAML.
 */
import { ApiObject, App } from 'cdk8s';
import type * as Lib from '../lib';
import { contract } from './lib-under-test';
import { buildApp } from './workload';

/** What the library adds to a plain app's output, as JSON text. */
export interface FloorAdditions {
  /** By `Kind/name` of a workload: `{ annotations?, podSpec }` (only the pod-spec keys that differ). */
  readonly workloads: Record<string, string>;
  /**
   * Objects plain does not write (the scripts ConfigMap, RBAC), each as JSON,
   * by the `Kind/name` of the object of plain's output they are written just
   * before ('' for the end), in output order.
   */
  readonly objects: Record<string, string[]>;
}

const refOf = (m: any) => `${m.kind}/${m.metadata.name}`;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The additions, from one ordered and one plain synthesis of the same graph. */
export function floorAdditions(lib: typeof Lib, edges: number[][], upgradeChecks = true): FloorAdditions {
  const { podSpecOf } = contract();
  const ordered = buildApp(lib, 'ordered', edges, 1, upgradeChecks).charts.flatMap((c) => c.toJson());
  const plain = new Map(buildApp(lib, 'plain', edges).charts.flatMap((c) => c.toJson()).map((m) => [refOf(m), m]));
  const workloads: Record<string, string> = {};
  const objects: Record<string, string[]> = {};
  let pending: string[] = [];
  for (const m of ordered) {
    const p = plain.get(refOf(m));
    if (!p) {
      pending.push(JSON.stringify(m));
      continue;
    }
    if (pending.length > 0) {
      objects[refOf(m)] = pending;
      pending = [];
    }
    const spec = podSpecOf(m);
    if (!spec) {
      if (!same(m, p)) throw new Error(`floor: ${refOf(m)} differs from plain, and is not a workload`);
      continue;
    }
    const changed: Record<string, unknown> = {};
    for (const k of Object.keys(spec)) if (!same(spec[k], podSpecOf(p)?.[k])) changed[k] = spec[k];
    const annotations = same(m.metadata.annotations, p.metadata.annotations) ? undefined : m.metadata.annotations;
    if (annotations || Object.keys(changed).length > 0) workloads[refOf(m)] = JSON.stringify({ annotations, podSpec: changed });
  }
  if (pending.length > 0) objects[''] = pending;
  return { workloads, objects };
}

/**
 * The parts of what the library adds that `floorWithout` can leave out: the
 * dependencies annotation, one field of every waiter container, or the waiter
 * containers and their volumes altogether.
 */
export const FLOOR_PARTS = ['annotation', 'env', 'resources', 'securityContext', 'volumeMounts', 'waiters'] as const;
export type FloorPart = typeof FLOOR_PARTS[number];

/**
 * The additions without `part`: a floor of YAML the library does not write
 * (and that no cluster should get), to show what each part of the output
 * costs to write. Only the full additions are checked against the ordered
 * YAML.
 */
export function floorWithout(additions: FloorAdditions, part: FloorPart): FloorAdditions {
  const { WAITER_PREFIX } = contract();
  const workloads: Record<string, string> = {};
  for (const [ref, text] of Object.entries(additions.workloads)) {
    const a = JSON.parse(text);
    if (part === 'annotation') {
      delete a.annotations;
    } else if (part === 'waiters') {
      const inits = (a.podSpec.initContainers ?? []).filter((c: any) => !c.name.startsWith(WAITER_PREFIX));
      if (inits.length > 0) throw new Error(`floor: ${ref} has init containers other than waiters; 'waiters' leaves out only those of the bench`);
      delete a.podSpec.initContainers;
      delete a.podSpec.volumes;
    } else {
      for (const c of a.podSpec.initContainers ?? []) if (c.name.startsWith(WAITER_PREFIX)) delete c[part];
    }
    workloads[ref] = JSON.stringify(a);
  }
  return { workloads, objects: additions.objects };
}

/** The plain app, its renders given the additions. */
export function buildFloorApp(lib: typeof Lib, edges: number[][], additions: FloorAdditions): App {
  const { podSpecOf } = contract();
  const app = buildApp(lib, 'plain', edges);
  for (const chart of app.charts) {
    for (const c of chart.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const render = c.toJson.bind(c);
      c.toJson = () => {
        const m = render();
        const text = additions.workloads[refOf(m)];
        if (text === undefined) return m;
        const a = JSON.parse(text);
        if (a.annotations) m.metadata.annotations = a.annotations;
        Object.assign(podSpecOf(m)!, a.podSpec);
        return m;
      };
    }
    const renderChart = chart.toJson.bind(chart);
    chart.toJson = () => {
      const out: any[] = [];
      for (const m of renderChart()) {
        for (const o of additions.objects[refOf(m)] ?? []) out.push(JSON.parse(o));
        out.push(m);
      }
      for (const o of additions.objects[''] ?? []) out.push(JSON.parse(o));
      return out;
    };
  }
  return app;
}

/** Throws unless the floor app writes exactly the ordered side's YAML. */
export function checkFloor(lib: typeof Lib, edges: number[][], additions: FloorAdditions, upgradeChecks = true): void {
  const ordered = buildApp(lib, 'ordered', edges, 1, upgradeChecks).synthYaml();
  const floor = buildFloorApp(lib, edges, additions).synthYaml();
  if (floor !== ordered) {
    const at = [...floor].findIndex((ch, i) => ch !== ordered[i]);
    throw new Error(`floor: its YAML differs from the ordered side's at character ${at}: `
      + `${JSON.stringify(floor.slice(Math.max(0, at - 80), at + 80))} vs ${JSON.stringify(ordered.slice(Math.max(0, at - 80), at + 80))}`);
  }
}
