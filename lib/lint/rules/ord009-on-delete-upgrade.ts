/** ORD009: an upgrade-checked dependency whose workload updates its pods only when they are deleted (`OnDelete`). */
import { Model } from '../model';
import { dependentsOf, finding, incomingEdges, Problem, Severity } from './rule';

export const id = 'ORD009';
export const severity: Severity = 'warning';
export const title = 'an upgrade-checked dependency updates `OnDelete`: its rollout is not waited for';
export const needsAnnotations = true;
export const description = `A StatefulSet or DaemonSet with \`updateStrategy.type: OnDelete\` that other workloads depend on with the
upgrade check (\`upgrade: true\` in their dependencies annotation, the default for these kinds).

With \`OnDelete\`, a new pod template reaches a pod only when something deletes that pod: the rollout never completes by
itself, so the waiters do not wait for it (they wait for the controller to see the latest spec and for an available pod,
then run the check). On an upgrade of both, a dependent's new pods may be answered by the dependency's previous version.
\`cdk8s-ordered status\` shows such a workload as \`OnDelete: pods update only when deleted\`.

Fix: use the \`RollingUpdate\` strategy (with a \`partition\` for a staged rollout), or delete the dependency's old pods
before you roll its dependents; silence it with the component option \`silence: ['ORD009']\` when that is how you deploy.`;

export function check(model: Model): Problem[] {
  const out: Problem[] = [];
  const incoming = incomingEdges(model);
  model.workloads.forEach((w, i) => {
    if (w.kind !== 'StatefulSet' && w.kind !== 'DaemonSet') return;
    if (w.raw.spec?.updateStrategy?.type !== 'OnDelete') return;
    const dependents = dependentsOf(model, incoming, i, (e) => e.entry.upgrade === true);
    if (dependents.length === 0) return;
    out.push(finding(model, w, { id, severity },
      `updateStrategy is OnDelete and ${dependents.join(', ')} wait for it with the upgrade check: its pods change only `
      + 'when deleted, so its rollout is not waited for, and on an upgrade their new pods may reach its previous version. '
      + 'Fix: use the RollingUpdate strategy (with a partition for a staged rollout), or delete its old pods before rolling its dependents'));
  });
  return out;
}
