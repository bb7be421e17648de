import { createHash } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { DEPENDENCIES_ANNOTATION, podTemplateOf } from '../../lib/contract';

const ROOT = join(__dirname, '..', '..');

/** The moment each fixture was read at (test/fixtures/status/README.md). */
export const RECORDED_AT = Date.parse('2026-12-01T10:00:00Z');

/** The pod-template hash of a Deployment's older ReplicaSet, for pods of an older revision (`revision: old`). */
const OLD_HASH = '5f7d9c8b44';

/** A stable uid for an object. */
function uid(kind: string, name: string): string {
  const h = createHash('sha256').update(`${kind}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The objects a cluster running an example (db-api, or the fixture's
 * `example`) holds at the moment of `test/fixtures/status/<scenario>.yaml`: the example's workloads as applied
 * (with a uid and the recorded status), a ReplicaSet for the Deployment, and
 * pods made from each workload's pod template, owned as the controllers own
 * them, with the recorded status.
 */
export function recordedApp(scenario: string): any[] {
  const fixture = parse(readFileSync(join(ROOT, 'test', 'fixtures', 'status', `${scenario}.yaml`), 'utf8'));
  const dist = join(ROOT, 'examples', fixture.example ?? 'db-api', 'dist');
  const applied = readdirSync(dist).sort().flatMap((f) => parseAllDocuments(readFileSync(join(dist, f), 'utf8')).map((d) => d.toJS()));
  const out: any[] = [];
  const owners = new Map<string, any>();
  for (const o of applied) {
    const ref = `${o.kind}/${o.metadata.name}`;
    const recorded = fixture.workloads?.[ref];
    const obj = {
      ...o,
      metadata: { ...o.metadata, uid: uid(o.kind, o.metadata.name), generation: recorded?.generation ?? 1, creationTimestamp: '2026-12-01T09:35:00Z' },
      spec: recorded?.spec ? { ...o.spec, ...recorded.spec } : o.spec,
    };
    if (recorded) obj.status = recorded.status;
    // `upgrade: true`: the workload's waiters check their targets' rollouts first (the annotation records it).
    if (recorded?.upgrade) {
      const entries = JSON.parse(obj.metadata.annotations[DEPENDENCIES_ANNOTATION]);
      for (const e of entries) if (e.target && !e.target.startsWith('Job/')) e.upgrade = true;
      obj.metadata = { ...obj.metadata, annotations: { ...obj.metadata.annotations, [DEPENDENCIES_ANNOTATION]: JSON.stringify(entries) } };
    }
    out.push(obj);
    if (!podTemplateOf(o)) continue;
    owners.set(ref, obj);
    // The Deployment's ReplicaSet; with pods of an older revision, the older ReplicaSet too.
    const hashes = o.kind !== 'Deployment' ? [] : (fixture.pods ?? []).some((p: any) => p.owner === ref && p.revision === 'old')
      ? ['6d4cf56db6', OLD_HASH] : ['6d4cf56db6'];
    for (const hash of hashes) {
      const name = `${o.metadata.name}-${hash}`;
      out.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace: o.metadata.namespace,
          uid: uid('ReplicaSet', name),
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: o.metadata.name, uid: obj.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: { replicas: o.spec.replicas, selector: o.spec.selector, template: o.spec.template },
        status: { replicas: o.spec.replicas },
      });
    }
  }
  for (const p of fixture.pods ?? []) {
    const owner = owners.get(p.owner);
    if (!owner) throw new Error(`${scenario}.yaml: pod ${p.name} names an owner ${p.owner} that the example does not have`);
    const template = podTemplateOf(owner)!;
    const rs = `${owner.metadata.name}-${p.revision === 'old' ? OLD_HASH : '6d4cf56db6'}`;
    const ownerRef = owner.kind === 'Deployment'
      ? { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: uid('ReplicaSet', rs) }
      : { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid };
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: p.name,
        namespace: owner.metadata.namespace,
        uid: uid('Pod', p.name),
        labels: template.metadata?.labels ?? {},
        ownerReferences: [{ ...ownerRef, controller: true, blockOwnerDeletion: true }],
        creationTimestamp: p.status.startTime,
      },
      spec: { ...structuredClone(template.spec), nodeName: 'node-1' },
      status: p.status,
    });
  }
  return out;
}
