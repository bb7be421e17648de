/** ORD006: a dependency target that is not in the input. */
import { Model } from '../model';
import { finding, Problem, Severity } from './rule';

export const id = 'ORD006';
export const severity: Severity = 'warning';
export const title = 'a dependency that is not in the YAML (pass every file of the app)';
export const needsAnnotations = true;
export const description = `A dependencies annotation names a target (\`Kind/name\`) that is in none of the files given.

Usually only part of the app was passed (one file of \`dist/\`); it may also be a workload deployed separately. \`graph\`
draws the target dashed, and \`plan\` counts it as not in the given YAML, so both are incomplete.

Fix: pass every file of the app, e.g. the whole \`dist/\` folder.`;

export function check(model: Model): Problem[] {
  return model.edges.filter((e) => model.nodes[e.to].type === 'missing').map((e) => {
    const w = model.nodes[e.from].workload!;
    return finding(model, w, { id, severity },
      `waiter ${e.entry.waiter} waits for ${e.entry.target} (${e.entry.check}), which is not in the given YAML, `
      + 'so graph and plan are incomplete. Fix: pass every file of the app (e.g. the whole dist/ folder)');
  });
}
