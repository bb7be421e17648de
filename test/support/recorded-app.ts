import { createHash } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { podTemplateOf } from '../../lib/contract';

const ROOT = join(__dirname, '..', '..');

/** The moment each fixture was read at (test/fixtures/status/README.md). */
export const RECORDED_AT = Date.parse('2026-12-01T10:00:00Z');

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
    const obj = { ...o, metadata: { ...o.metadata, uid: uid(o.kind, o.metadata.name), generation: 1, creationTimestamp: '2026-12-01T09:35:00Z' } };
    if (fixture.workloads?.[ref]) obj.status = fixture.workloads[ref].status;
    out.push(obj);
    if (!podTemplateOf(o)) continue;
    owners.set(ref, obj);
    if (o.kind === 'Deployment') {
      const name = `${o.metadata.name}-6d4cf56db6`;
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
    const ownerRef = owner.kind === 'Deployment'
      ? { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${owner.metadata.name}-6d4cf56db6`, uid: uid('ReplicaSet', `${owner.metadata.name}-6d4cf56db6`) }
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
