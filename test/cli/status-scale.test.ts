import { snapshotOf } from '../../lib/cli/status';
import { RECORDED_AT, recordedApp } from '../support/recorded-app';

/**
 * `status` over one workload with many pods: the work per pod must not grow
 * with the number of pods. Measured without a clock: every element that an
 * array iteration (spread, for-of, Array.from) or an array copy (slice,
 * concat) walks over is counted while `snapshotOf` runs.
 */

/** The recorded `ready` app, with the api Deployment scaled to `n` pods (copies of its recorded pod). */
function appWithPods(n: number): any[] {
  const objects = recordedApp('ready');
  const api = objects.find((o) => o.kind === 'Deployment');
  api.spec.replicas = n;
  api.status = { ...api.status, replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n };
  const pod = objects.find((o) => o.kind === 'Pod' && o.metadata.ownerReferences[0].kind === 'ReplicaSet');
  const others = objects.filter((o) => o.kind !== 'Pod' || o.metadata.ownerReferences[0].kind !== 'ReplicaSet');
  const pods = Array.from({ length: n }, (_, i) => ({ ...pod, metadata: { ...pod.metadata, name: `${pod.metadata.name}-${i}`, uid: `uid-${i}` } }));
  return [...others, ...pods];
}

/** How many array elements `f` walks over through iteration or copying. */
function elementsWalked(f: () => void): number {
  const proto = Array.prototype as any;
  const iterator = proto[Symbol.iterator];
  const { slice, concat } = proto;
  let walked = 0;
  proto[Symbol.iterator] = function (this: unknown[]) {
    const it = iterator.call(this);
    return { next: () => { walked++; return it.next(); }, [Symbol.iterator]() { return this; } };
  };
  proto.slice = function (this: unknown[], ...args: any[]) {
    const out = slice.apply(this, args);
    walked += out.length;
    return out;
  };
  proto.concat = function (this: unknown[], ...args: any[]) {
    const out = concat.apply(this, args);
    walked += out.length;
    return out;
  };
  try {
    f();
  } finally {
    proto[Symbol.iterator] = iterator;
    proto.slice = slice;
    proto.concat = concat;
  }
  return walked;
}

describe('status over one workload with many pods', () => {
  test('20,000 pods are read with a bounded amount of array work per pod, not work that grows with the pods', () => {
    // GIVEN the api Deployment with 2,000 pods, and with 20,000
    const small = appWithPods(2_000);
    const large = appWithPods(20_000);
    // WHEN status reads each
    let snap: ReturnType<typeof snapshotOf> | undefined;
    const walkedSmall = elementsWalked(() => { snapshotOf(small, RECORDED_AT); });
    const walkedLarge = elementsWalked(() => { snap = snapshotOf(large, RECORDED_AT); });
    // THEN every pod counts, and ten times the pods cost at most about ten times the work (quadratic: a hundred times)
    expect(snap!.components.find((c) => c.kind === 'Deployment')).toMatchObject({ state: 'ready', pods: { ready: 20_000, desired: 20_000 } });
    expect(walkedLarge / 20_000).toBeLessThan(100);
    expect(walkedLarge / walkedSmall).toBeLessThan(15);
  });
});
