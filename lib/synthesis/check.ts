import { Component } from '../component';
import { findCycles, topologicalOrder } from '../graph';
import { AppIntent } from './intent';

/**
 * Checking the declared graph: pure functions of the intent that return
 * every problem (construct paths, the cycle, the fix), as cdk8s validations
 * do. Nothing is read from the manifests here.
 *
 * @internal
 */

/** The graph as indices: `edges[i]`, the components component i waits for (with gate edges too, when `gates`). */
export function edgesOf(app: AppIntent, index: ReadonlyMap<Component, number>, gates: boolean): number[][] {
  const edges: number[][] = app.components.map(() => []);
  for (const w of app.waits) {
    if (w.target) edges[index.get(w.from)!].push(index.get(w.target)!);
  }
  if (gates) {
    for (const g of app.gates) {
      if (g.target) edges[index.get(g.from)!].push(index.get(g.target)!);
    }
  }
  return edges;
}

/** Components, dependencies first (declaration order when the graph has a cycle). */
export function startupOrder(app: AppIntent, edges: number[][]): Component[] {
  const order = topologicalOrder(app.components.length, edges);
  return order ? order.map((i) => app.components[i]) : [...app.components];
}

/** Every problem of the graph: its cycles, else its readiness deadlocks. */
export function graphErrors(app: AppIntent, index: ReadonlyMap<Component, number>, edges: number[][]): string[] {
  const cycles = cycleErrors(app, edges);
  return cycles.length > 0 ? cycles : deadlockErrors(app, index, edges);
}

function cycleErrors(app: AppIntent, edges: number[][]): string[] {
  const path = (i: number) => app.components[i].path;
  return findCycles(app.components.length, edges).map((cycle) =>
    `dependency cycle: ${cycle.map(path).join(' => ')}; remove one of these dependsOn calls`);
}

/**
 * Readiness deadlocks: a cycle through a readiness gate, where what would
 * open the gate itself waits (to start, or to be Ready) for the gated
 * component to be Ready.
 */
function deadlockErrors(app: AppIntent, index: ReadonlyMap<Component, number>, edges: number[][]): string[] {
  const both = edgesOf(app, index, true);
  const path = (i: number) => app.components[i].path;
  const viaGate = (cycle: number[], k: number) => k + 1 < cycle.length && !edges[cycle[k]].includes(cycle[k + 1]);
  return findCycles(app.components.length, both)
    .filter((cycle) => cycle.some((_, k) => viaGate(cycle, k)))
    .map((cycle) => {
      const k = cycle.findIndex((_, j) => viaGate(cycle, j));
      const [gated, opener] = [cycle[k], cycle[k + 1]];
      return `readiness deadlock: ${cycle.map(path).join(' => ')}: '${path(gated)}' is Ready only once '${path(opener)}' is, `
        + `and '${path(opener)}' waits for '${path(gated)}' to be Ready first. Break it: let '${path(opener)}' reach `
        + `'${path(gated)}' without its readiness (waitFor(WaitFor.tcp(...)) on a Service with publishNotReadyAddresses, `
        + 'instead of dependsOn), or gate on something that does not wait for it';
    });
}
