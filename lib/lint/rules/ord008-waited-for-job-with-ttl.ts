/** ORD008: a Job that others wait for, not versioned, with `ttlSecondsAfterFinished`. */
import { VERSIONED_ANNOTATION } from '../../contract';
import { Model } from '../model';
import { dependentsOf, finding, incomingEdges, Problem, Severity } from './rule';

export const id = 'ORD008';
export const severity: Severity = 'warning';
export const title = 'a Job others wait for has `ttlSecondsAfterFinished` (not versioned): restarted dependents would wait forever';
export const needsAnnotations = true;
export const description = `A Job that other workloads wait for (to complete), not versioned, with
\`spec.ttlSecondsAfterFinished\`.

Kubernetes deletes the Job that many seconds after it finishes. Pods of its dependents that start after that (a restart,
a node lost, a scale-up) wait for a Job that no longer exists, until the Job is applied again. A warning, not an error:
a deploy that re-applies the Job each time may be what you want.

Fix: remove \`ttlAfterFinished\`, or add the Job with \`{ versioned: true }\` and keep it while its dependents run.`;

export function check(model: Model): Problem[] {
  const out: Problem[] = [];
  const incoming = incomingEdges(model);
  model.workloads.forEach((w, i) => {
    if (w.kind !== 'Job' || w.raw.metadata.annotations?.[VERSIONED_ANNOTATION] === 'true') return;
    const ttl = w.raw.spec?.ttlSecondsAfterFinished;
    const dependents = dependentsOf(model, incoming, i);
    if (ttl === undefined || ttl === null || dependents.length === 0) return;
    out.push(finding(model, w, { id, severity },
      `Job has spec.ttlSecondsAfterFinished: ${ttl} and ${dependents.join(', ')} wait for it: once Kubernetes deletes it, `
      + 'their pods that restart (a node lost, a scale-up) wait for it forever. '
      + 'Fix: remove ttlAfterFinished, or add the Job with { versioned: true } and keep it while its dependents run'));
  });
  return out;
}
