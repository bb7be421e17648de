import { DEPENDENCIES_ANNOTATION } from '../../lib/contract';
import { recordedApp } from '../support/recorded-app';
import { useRecordedCluster } from '../support/status-cli';

/**
 * `status` during a rollout, with the real kubectl against recorded objects:
 * a workload whose controller has not observed its spec, or that still has
 * pods of an older revision, is `rolling out`, never `ready`; a dependent
 * whose upgrade-checked waiter waits for that rollout says so. Each branch
 * of the rules (Deployment, StatefulSet with and without a partition or
 * OnDelete, DaemonSet, a scale) from the recorded db-api app, changed as the
 * controllers would have changed it.
 */
const { cluster, status, later } = useRecordedCluster();

/** The component `kind` of a JSON status of `objects`. */
async function component(objects: any[], kind: string) {
  cluster.set(objects);
  const r = await status('-o', 'json');
  return { ...JSON.parse(r.stdout).components.find((c: any) => c.kind === kind), code: r.code };
}

const DB = 'StatefulSet/shop-db-c845ee8c';
const byKind = (objects: any[], kind: string) => objects.find((o) => o.kind === kind);

/** The `ready` app with the db StatefulSet changed by `change` (its generation 2, observed). */
function dbWith(change: (db: any) => void): any[] {
  const objects = recordedApp('ready');
  const db = byKind(objects, 'StatefulSet');
  db.metadata.generation = 2;
  db.status = { ...db.status, observedGeneration: 2 };
  change(db);
  return objects;
}

/** The `ready` app with the api Deployment changed by `change`. */
function apiWith(change: (api: any) => void): any[] {
  const objects = recordedApp('ready');
  change(byKind(objects, 'Deployment'));
  return objects;
}

describe('status during a rollout', () => {
  test('a dependency rolling out, and a dependent held by it: rolling out, never ready, and who waits for which rollout (exit 3)', async () => {
    // GIVEN v2 of db and api applied at once: db has 1 of 3 pods updated, api's v2 pod waits for db's rollout
    cluster.set(recordedApp('rolling-out'));
    // WHEN status reads the app
    const r = await status();
    // THEN
    expect(r.code).toBe(3);
    expect(r.stdout).toBe([
      'Namespace shop at 2026-12-01T10:00:00Z',
      '',
      'COMPONENT                     STATE        PODS  RESTARTS  DETAIL',
      'StatefulSet/shop-db-c845ee8c  rolling out  2/3   0         rolling out: 1/3 updated',
      '                                                           container main not Ready for 40s',
      'Job/shop-migrate-c8478881     ready        1/1   0         complete 1m29s ago',
      `Deployment/shop-api-c8f8f8d3  waiting      2/2   0         waiting 40s for ${DB}'s rollout (1/3 updated) (wait-for-db)`,
      '                                                           see: kubectl logs -n shop shop-api-c8f8f8d3-6d4cf56db6-m4x7q -c wait-for-db',
      '                                                           rolling out: 1/2 updated',
      '',
      `1 waiting, 1 rolling out, 1 ready; 0 restarts. Not settled (exit 3): ${DB} is rolling out (1/3 updated), `
        + `Deployment/shop-api-c8f8f8d3 is waiting for ${DB}'s rollout (1/3 updated)`,
      '',
    ].join('\n'));
  });

  test('-o json carries the rollouts: the workload\'s, and the one a waiter is held by', async () => {
    cluster.set(recordedApp('rolling-out'));
    const doc = JSON.parse((await status('-o', 'json')).stdout);
    const [db, , api] = doc.components;
    expect(doc.counts['rolling out']).toBe(1);
    expect(db.rollout).toEqual({ updated: 1, wanted: 3, observed: true, done: false, strategy: 'RollingUpdate', text: '1/3 updated' });
    expect(api.rollout).toMatchObject({ updated: 1, wanted: 2, observed: true, done: false });
    expect(api.waits).toEqual([expect.objectContaining({ waiter: 'wait-for-db', target: DB, upgrade: true, rollout: db.rollout })]);
  });

  test('a waiter whose entry is not upgrade-checked waits for its check, whatever the target\'s rollout', async () => {
    const objects = recordedApp('rolling-out');
    const api = byKind(objects, 'Deployment');
    const entries = JSON.parse(api.metadata.annotations[DEPENDENCIES_ANNOTATION]).map((e: any) => ({ ...e, upgrade: undefined }));
    api.metadata.annotations[DEPENDENCIES_ANNOTATION] = JSON.stringify(entries);
    const c = await component(objects, 'Deployment');
    expect(c.detail[0]).toBe(`waiting 40s for ${DB}: service shop-db-service-c8d401bb ports 5432 (wait-for-db)`);
    expect(c.waits[0].rollout).toBeUndefined();
  });

  test('--watch waits through a rollout, and settles when it is done', async () => {
    cluster.set(recordedApp('rolling-out'));
    later(1_000, 'ready');
    const r = await status('--watch', '-o', 'json', '--interval', '200ms', '--timeout', '20s');
    expect(r.code).toBe(0);
    const docs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(docs[0]).toMatchObject({ settled: false, exitCode: 3, counts: { 'rolling out': 1 } });
    expect(docs[docs.length - 1]).toMatchObject({ settled: true, exitCode: 0, final: true });
  }, 30_000);
});

describe('the rules of a rollout, each branch', () => {
  test('Deployment: a spec its controller has not observed yet is rolling out, though every pod is Ready', async () => {
    const c = await component(apiWith((api) => { api.metadata.generation = 2; }), 'Deployment');
    expect(c).toMatchObject({ state: 'rolling out', code: 3, detail: ['rolling out: new spec not observed yet (generation 2, observed 1)'] });
    expect(c.rollout).toMatchObject({ observed: false, done: false });
  });

  test('Deployment: every pod updated but an old one still there (surge) is rolling out', async () => {
    const c = await component(apiWith((api) => { api.status = { ...api.status, replicas: 3 }; }), 'Deployment');
    expect(c).toMatchObject({ state: 'rolling out', detail: ['rolling out: 2/2 updated, 1 old pod left'] });
  });

  test('Deployment: a scale-up (updated keeps up with the total) is starting, not rolling out', async () => {
    const c = await component(apiWith((api) => {
      api.metadata.generation = 2;
      api.spec.replicas = 4;
      api.status = { ...api.status, replicas: 4, updatedReplicas: 4, observedGeneration: 2 };
    }), 'Deployment');
    expect(c).toMatchObject({ state: 'starting', pods: { ready: 2, desired: 4 }, detail: ['2 of 4 pods Ready; 2 pods'] });
    expect(c.rollout).toMatchObject({ updated: 4, wanted: 4, done: true });
  });

  test('StatefulSet, RollingUpdate: a pod of the older revision left is rolling out; once updated, ready', async () => {
    const rolling = await component(dbWith((db) => { db.status.updatedReplicas = 0; }), 'StatefulSet');
    expect(rolling).toMatchObject({ state: 'rolling out', detail: ['rolling out: 0/1 updated'] });
    const done = await component(dbWith(() => undefined), 'StatefulSet');
    expect(done).toMatchObject({ state: 'ready', code: 0, rollout: { updated: 1, wanted: 1, done: true } });
  });

  test('StatefulSet with a partition: done once the pods above it are updated', async () => {
    // GIVEN 3 replicas, all Ready, partition 2: only ordinal 2 is to be updated
    const partitioned = (updated: number) => {
      const objects = dbWith((db) => {
        db.spec = { ...db.spec, replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } };
        db.status = { ...db.status, replicas: 3, readyReplicas: 3, currentReplicas: 3 - updated, updatedReplicas: updated };
      });
      const pod = objects.find((o) => o.kind === 'Pod' && o.metadata.name === 'shop-db-c845ee8c-0');
      for (const i of [1, 2]) objects.push({ ...pod, metadata: { ...pod.metadata, name: `shop-db-c845ee8c-${i}`, uid: `db-${i}` } });
      return objects;
    };
    expect((await component(partitioned(0), 'StatefulSet')).rollout)
      .toMatchObject({ updated: 0, wanted: 1, done: false, text: '0/1 updated (above partition 2)' });
    const done = await component(partitioned(1), 'StatefulSet');
    expect(done).toMatchObject({ state: 'ready', pods: { ready: 3, desired: 3 }, rollout: { updated: 1, wanted: 1, done: true } });
  });

  test('StatefulSet, OnDelete: never rolling out by itself, and says that its pods update only when deleted', async () => {
    const c = await component(dbWith((db) => {
      db.spec = { ...db.spec, updateStrategy: { type: 'OnDelete' } };
      db.status = { ...db.status, updatedReplicas: 0, currentRevision: 'shop-db-c845ee8c-7c9d8f6b5', updateRevision: 'shop-db-c845ee8c-86b4d7f9c' };
    }), 'StatefulSet');
    expect(c).toMatchObject({ state: 'ready', code: 0, detail: ['Ready for 1m58s', 'OnDelete: pods update only when deleted'] });
    expect(c.rollout).toMatchObject({ strategy: 'OnDelete', done: true });
  });

  /** The ready app with api as a DaemonSet on 2 nodes: its pods owned by it, no ReplicaSet. */
  function apiAsDaemonSet(recorded: Record<string, number>, strategy?: string): any[] {
    const objects = recordedApp('ready').filter((o) => o.kind !== 'ReplicaSet');
    const api = byKind(objects, 'Deployment');
    api.kind = 'DaemonSet';
    const { replicas: _, strategy: __, ...spec } = api.spec;
    api.spec = { ...spec, ...(strategy ? { updateStrategy: { type: strategy } } : {}) };
    api.metadata.generation = 2;
    api.status = { currentNumberScheduled: 2, desiredNumberScheduled: 2, numberReady: 2, numberAvailable: 2, observedGeneration: 2, ...recorded };
    for (const p of objects.filter((o) => o.kind === 'Pod' && o.metadata.name.startsWith(api.metadata.name))) {
      p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: api.metadata.name, uid: api.metadata.uid, controller: true }];
    }
    return objects;
  }

  test('DaemonSet, RollingUpdate: rolling out until every scheduled node runs the current revision', async () => {
    expect(await component(apiAsDaemonSet({ updatedNumberScheduled: 1 }), 'DaemonSet'))
      .toMatchObject({ state: 'rolling out', detail: ['rolling out: 1/2 updated'] });
    expect(await component(apiAsDaemonSet({ updatedNumberScheduled: 2 }), 'DaemonSet'))
      .toMatchObject({ state: 'ready', pods: { ready: 2, desired: 2 }, rollout: { updated: 2, wanted: 2, done: true } });
  });

  test('DaemonSet, OnDelete: never rolling out by itself, and says so while nodes run an older revision', async () => {
    expect(await component(apiAsDaemonSet({ updatedNumberScheduled: 1 }, 'OnDelete'), 'DaemonSet'))
      .toMatchObject({ state: 'ready', detail: ['Ready for 1m20s', 'OnDelete: pods update only when deleted'] });
  });
});
