/** ORD007: an unreadable dependencies annotation, or one that names a waiter the pod does not have. */
import { DEPENDENCIES_ANNOTATION } from '../../contract';
import { Model } from '../model';
import { finding, Problem, Severity } from './rule';

export const id = 'ORD007';
export const severity: Severity = 'error';
export const title = 'an unreadable or hand-edited dependencies annotation';
export const needsAnnotations = true;
export const description = `The annotation \`${DEPENDENCIES_ANNOTATION}\` is not a JSON list of entries (\`waiter\`,
\`mode\`, \`check\`, and optionally \`target\` as \`Kind/name\`, \`timeout\` in seconds, \`onTimeout\`), or it names a waiter
that the pod has no init container for.

The command line reads the graph from this annotation: \`graph\` and \`plan\` show such a workload without its
dependencies. cdk8s-ordered writes it from the same declarations as the init containers, so a mismatch means the YAML
was edited by hand, or post-processed by a tool that renamed containers.

Fix: synthesize the YAML again with cdk8s-ordered; do not edit the annotation or the init containers by hand.`;

export function check(model: Model): Problem[] {
  const out: Problem[] = [];
  for (const w of model.workloads) {
    if (w.annotationError) {
      out.push(finding(model, w, { id, severity }, `${w.annotationError}. Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation`));
      continue;
    }
    const inits: any[] = Array.isArray(w.podSpec.initContainers) ? w.podSpec.initContainers : [];
    for (const e of w.waits) {
      if (inits.some((c) => c?.name === e.waiter)) continue;
      out.push(finding(model, w, { id, severity },
        `annotation lists waiter ${e.waiter} (${e.check}), but the pod has no init container of that name. `
        + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation or the init containers by hand'));
    }
  }
  return out;
}
