/** ORD004: a dependency cycle. */
import { cyclesOf, Model } from '../model';
import { finding, Problem, Severity } from './rule';

export const id = 'ORD004';
export const severity: Severity = 'error';
export const title = 'a dependency cycle';
export const needsAnnotations = true;
export const description = `Workloads that wait for each other in a circle (\`a\` waits for \`b\`, \`b\` waits for \`a\`).

None of their pods can start: each waits for another that waits for it. cdk8s-ordered refuses cycles at synth time, so
this finds YAML that was edited by hand, or several apps synthesized separately and deployed together. Every cycle is
reported, once, from its first workload in the input. \`plan\` cannot order such a graph; \`graph\` still draws it.

Fix: remove one of the \`dependsOn\` edges of the cycle.`;

export function check(model: Model): Problem[] {
  return cyclesOf(model).map((cycle) => {
    const first = model.nodes[cycle[0]];
    const names = cycle.map((i) => model.nodes[i].label);
    const at = first.workload ?? { file: model.files[0], ref: first.label };
    return finding(model, at, { id, severity },
      `dependency cycle ${names.join(' => ')}: none of these pods can start. Fix: remove one of these dependsOn edges`);
  });
}
