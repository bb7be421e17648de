/**
 * One `status` process (run by run.ts, compiled, with `node --expose-gc`):
 *
 *   node --expose-gc status-child.js PODS REPS
 *
 * Builds what `kubectl get -o json` returns for an app of two workloads: a
 * StatefulSet `db` with one pod, and a Deployment `api` (annotated: it waits
 * for db) with one ReplicaSet and PODS Ready pods. Runs one warm-up rep, then
 * REPS timed reps: `gc()`, then the CPU time (user + system,
 * `process.cpuUsage()`) of `snapshotOf` over the objects, and of formatting
 * it as text. Prints one JSON line (a StatusChildResult).
 */
import { statusCli } from './lib-under-test';

/** What one process measured. */
export interface StatusChildResult {
  readonly pods: number;
  readonly cpuMs: number[];
  readonly wallMs: number[];
}

const AT = '2026-12-01T10:00:00Z';

function objects(n: number): any[] {
  const meta = (name: string, more: object = {}) => ({ name, namespace: 'shop', uid: `uid-${name}`, generation: 1, ...more });
  const owned = (kind: string, name: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true }] });
  const readyPod = (name: string, owner: object, init: boolean) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, owner),
    spec: { initContainers: init ? [{ name: 'wait-for-db', image: 'busybox:1.36.1' }] : [], containers: [{ name: 'main', image: 'app:1' }] },
    status: {
      phase: 'Running',
      startTime: AT,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: AT }, { type: 'PodScheduled', status: 'True', lastTransitionTime: AT }],
      initContainerStatuses: init ? [{ name: 'wait-for-db', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] : [],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: { startedAt: AT } } }],
    },
  });
  const annotation = JSON.stringify([{ waiter: 'wait-for-db', mode: 'network', check: 'service db ports 5432', target: 'StatefulSet/db' }]);
  const template = (init: boolean) => ({ spec: { initContainers: init ? [{ name: 'wait-for-db', image: 'busybox:1.36.1' }] : [], containers: [{ name: 'main' }] } });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('db'),
      spec: { replicas: 1, template: template(false) },
      status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, observedGeneration: 1 },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('api', { annotations: { 'ordered.cdk8s.io/dependencies': annotation } }),
      spec: { replicas: n, template: template(true) },
      status: { replicas: n, readyReplicas: n, updatedReplicas: n, observedGeneration: 1 },
    },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('api-6d4cf56db6', owned('Deployment', 'api')), spec: { replicas: n } },
    readyPod('db-0', owned('StatefulSet', 'db'), false),
    ...Array.from({ length: n }, (_, i) => readyPod(`api-6d4cf56db6-${i}`, owned('ReplicaSet', 'api-6d4cf56db6'), true)),
  ];
}

function main(): void {
  const [pods, reps] = process.argv.slice(2).map(Number);
  const { snapshotOf, formatText } = statusCli();
  const items = objects(pods);
  const now = Date.parse(AT);
  const gc = (globalThis as any).gc as (() => void) | undefined;
  const once = () => {
    gc?.();
    const w0 = process.hrtime.bigint();
    const t0 = process.cpuUsage();
    const snap = snapshotOf(items, now);
    formatText(snap);
    const t = process.cpuUsage(t0);
    const wall = Number(process.hrtime.bigint() - w0) / 1e6;
    if (snap.components[1]?.pods?.ready !== pods) throw new Error(`expected ${pods} Ready pods, got ${JSON.stringify(snap.components[1]?.pods)}`);
    return { cpu: (t.user + t.system) / 1000, wall };
  };
  once();
  const runs = Array.from({ length: reps }, once);
  const result: StatusChildResult = { pods, cpuMs: runs.map((r) => r.cpu), wallMs: runs.map((r) => r.wall) };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main();
