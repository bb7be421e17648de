import { Component, DeployTool } from '../lib';
import { argoOrder, cyclic, helmOrderByKind, helmOrderByName, isWorkload, kappGraph, needs, precedes, wave } from './support/deploy-order';
import { jobsShop, synth } from './support/synth';

/**
 * The order each deploy tool will apply the synthesized objects in, computed
 * as the tool computes it from the annotations: whatever a pod needs (its
 * ServiceAccount, Role, RoleBinding, the scripts ConfigMap) strictly before
 * it, and each dependency before its dependents.
 */

/** db; seed -> schema (Jobs only, Helm hooks); migrate -> db; api -> migrate, schema. */
function shop(tools: DeployTool[]) {
  const { chart, schema, edges } = jobsShop(tools);
  const out = synth(chart);
  const workload = (c: Component) => out.find((m) => m.kind === c.kind && m.metadata.name === c.name);
  return { out, edges: edges.map(([from, to]) => [workload(from), workload(to)]), schema: workload(schema) };
}

const id = (m: any) => `${m.kind}/${m.metadata.name}`;

describe('the order each deploy tool applies objects in', () => {
  test.each([
    ['by weight, then name (Helm 3.17)', helmOrderByName],
    ['by weight, then kind, then name (later Helm)', helmOrderByKind],
  ])('Helm runs every hook a hook Job needs before the Job, sorting hooks %s', (_, order) => {
    // GIVEN the Job-only chain seed -> schema, exported for Helm
    const { out, edges, schema } = shop([DeployTool.HELM]);
    // WHEN Helm orders the hooks
    const hooks = order(out).map(id);
    // THEN schema needs its ServiceAccount, Role, RoleBinding and the scripts ConfigMap, all of them hooks
    const needed = needs(schema, out).map(id);
    expect(needed.map((n) => n.split('/')[0]).sort()).toEqual(['ConfigMap', 'Role', 'RoleBinding', 'ServiceAccount']);
    // AND every hook Job comes after everything it needs, and after the hook Jobs it waits for
    for (const job of out.filter((m) => m.kind === 'Job' && hooks.includes(id(m)))) {
      for (const n of needs(job, out).map(id)) {
        expect({ job: id(job), need: n, before: hooks.indexOf(n) < hooks.indexOf(id(job)) }).toEqual({ job: id(job), need: n, before: true });
      }
    }
    for (const [from, to] of edges.filter(([f]) => hooks.includes(id(f)))) {
      expect(hooks.indexOf(id(to))).toBeLessThan(hooks.indexOf(id(from)));
    }
  });

  test('Argo CD syncs what a pod needs before it, and each dependency a wave before its dependents', () => {
    // GIVEN the app exported for Argo CD
    const { out, edges } = shop([DeployTool.ARGO_CD]);
    // WHEN Argo CD orders the objects (wave, then kind, then name)
    const order = argoOrder(out).map(id);
    // THEN every workload comes after everything it needs
    for (const w of out.filter(isWorkload)) {
      for (const n of needs(w, out).map(id)) {
        expect({ workload: id(w), need: n, before: order.indexOf(n) < order.indexOf(id(w)) }).toEqual({ workload: id(w), need: n, before: true });
      }
    }
    // AND each dependency is in an earlier wave, which Argo CD waits to be healthy before the next
    for (const [from, to] of edges) expect(wave(to)).toBeLessThan(wave(from));
  });

  test('kapp change rules form a DAG that upserts what a pod needs first and deletes its own support objects last', () => {
    // GIVEN the app exported for kapp
    const { out, edges } = shop([DeployTool.KAPP]);
    // WHEN kapp reads its change groups and rules
    const graph = kappGraph(out);
    const groupOf = (m: any) => m.metadata.annotations['kapp.k14s.io/change-group'];
    // THEN neither upserts nor deletes have a cycle
    expect(cyclic(graph.upsertAfter)).toEqual([]);
    expect(cyclic(graph.deleteAfter)).toEqual([]);
    // AND every workload is upserted after what it needs, and its ServiceAccount and RBAC are deleted after it
    for (const w of out.filter(isWorkload)) {
      for (const n of needs(w, out)) {
        expect({ workload: id(w), need: id(n), upsertedBefore: precedes(graph.upsertAfter, groupOf(n), groupOf(w)) })
          .toEqual({ workload: id(w), need: id(n), upsertedBefore: true });
        if (n.kind !== 'ConfigMap') {
          expect({ workload: id(w), need: id(n), deletedAfter: precedes(graph.deleteAfter, groupOf(w), groupOf(n)) })
            .toEqual({ workload: id(w), need: id(n), deletedAfter: true });
        }
      }
    }
    // AND each dependency is upserted before and deleted after its dependents
    for (const [from, to] of edges) {
      expect(precedes(graph.upsertAfter, groupOf(to), groupOf(from))).toBe(true);
      expect(precedes(graph.deleteAfter, groupOf(from), groupOf(to))).toBe(true);
    }
  });
});
