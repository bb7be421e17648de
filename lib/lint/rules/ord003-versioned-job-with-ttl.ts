/** ORD003: a versioned Job with `ttlSecondsAfterFinished`. */
import { VERSIONED_ANNOTATION } from '../../contract';
import { Model } from '../model';
import { dependentsOf, finding, incomingEdges, Problem, Severity } from './rule';

export const id = 'ORD003';
export const severity: Severity = 'error';
export const title = 'a versioned Job with `ttlSecondsAfterFinished` (restarted dependents would wait forever)';
export const needsAnnotations = false;
export const description = `A Job added with \`{ versioned: true }\` (annotation \`${VERSIONED_ANNOTATION}: "true"\`) that has
\`spec.ttlSecondsAfterFinished\`.

A versioned Job is named after its spec, and the pods of each version of its dependents wait for their own version of
it. Once Kubernetes deletes the finished Job, any such pod that restarts (a node lost, a scale-up, an eviction) waits
for a Job that will never exist again.

Fix: remove \`ttlAfterFinished\`, and delete old versioned Jobs (and their Roles) yourself once no ReplicaSet needs them.`;

export function check(model: Model): Problem[] {
  const out: Problem[] = [];
  const incoming = incomingEdges(model);
  model.workloads.forEach((w, i) => {
    if (w.kind !== 'Job' || w.raw.metadata.annotations?.[VERSIONED_ANNOTATION] !== 'true') return;
    const ttl = w.raw.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null) return;
    const dependents = dependentsOf(model, incoming, i);
    out.push(finding(model, w, { id, severity },
      `versioned Job has spec.ttlSecondsAfterFinished: ${ttl}: once Kubernetes deletes it, pods `
      + (dependents.length > 0 ? `of ${dependents.join(', ')} ` : 'of its dependents ')
      + 'that restart wait for it forever. Fix: remove ttlAfterFinished, and delete old versioned Jobs once no ReplicaSet needs them'));
  });
  return out;
}
