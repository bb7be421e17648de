/**
 * The synthesis workload, the same on both sides: N Deployments, each with one
 * container port and a Service (`exposeViaService()`), in one chart or split
 * evenly over several (in order: the first N/K in the first chart...). The
 * ordered side adds every Deployment to an OrderedApp and makes it depend on
 * `edges` distinct earlier ones (all earlier ones for the first few), chosen
 * by a seeded pseudo-random generator, so every run and every process builds
 * the same graph. Across charts, many of those edges join two charts.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type * as Lib from '../lib';

/**
 * A seeded generator (Park-Miller, "minimal standard"): the same sequence for
 * the same seed on every machine; exact in doubles (no product exceeds 2^53).
 */
export function seededRandom(seed: number): () => number {
  const m = 2_147_483_647;
  let state = (Math.abs(Math.floor(seed)) % (m - 1)) + 1;
  return () => {
    state = (state * 48_271) % m;
    return (state - 1) / (m - 1);
  };
}

/** For each component i, `min(edges, i)` distinct earlier components it depends on. */
export function dependencyEdges(n: number, edges: number, seed = 20240901): number[][] {
  const rand = seededRandom(seed);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.min(edges, i);
    const picked = new Set<number>();
    if (k === i) {
      for (let j = 0; j < i; j++) picked.add(j);
    } else {
      while (picked.size < k) picked.add(Math.floor(rand() * i));
    }
    out.push([...picked]);
  }
  return out;
}

/** Which side of the comparison (`floor`: plain writing the ordered YAML, see floor.ts). */
export type Side = 'plain' | 'ordered' | 'floor';

/**
 * Builds the app: construction only (synthesis is the caller's). `edges` is
 * ignored on the plain side, which has no OrderedApp; `upgradeChecks` is the
 * OrderedApp's.
 */
export function buildApp(lib: typeof Lib, side: 'plain' | 'ordered', edges: number[][], chartCount = 1, upgradeChecks = true): App {
  const app = new App();
  const charts = Array.from({ length: chartCount }, (_, k) => new Chart(app, chartCount === 1 ? 'bench' : `bench${k}`));
  const ordered = side === 'ordered' ? new lib.OrderedApp(charts[0], 'ordered', { upgradeChecks }) : undefined;
  const components: Lib.Component[] = [];
  const perChart = Math.ceil(edges.length / chartCount);
  for (let i = 0; i < edges.length; i++) {
    const deployment = new kplus.Deployment(charts[Math.floor(i / perChart)], `app${i}`, {
      containers: [{ image: `registry.example/app${i}:1.0.0`, portNumber: 8080 }],
    });
    deployment.exposeViaService();
    if (ordered) {
      const component = ordered.add(deployment);
      for (const j of edges[i]) component.dependsOn(components[j]);
      components.push(component);
    }
  }
  return app;
}
