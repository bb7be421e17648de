import { Chart } from 'cdk8s';
import { WORKLOAD_KINDS, WrittenEntries } from './contract';
import { formatProblem, lint } from './lint/lint';
import { modelOf, objectOf } from './lint/model';

/**
 * Synthesis tells what `cdk8s-ordered lint` knows: the same rules, run on
 * each chart's output as it is written. What lint calls an error fails the
 * synthesis with the rule's id and message; a warning is printed, one line
 * each, unless the component silences it.
 *
 * Rules that judge the whole output rather than objects are left to the
 * command line: cycles (ORD004) are already synth errors of their own, and a
 * Service or workload "not in the YAML" (ORD005, ORD006) may well be in
 * another chart.
 *
 * @internal
 */

/** Rules the command line runs that synthesis does not (see above). */
export const WHOLE_OUTPUT_RULES: readonly string[] = ['ORD004', 'ORD005', 'ORD006'];

/**
 * Lints a chart's manifests: throws on errors, and writes each warning not
 * silenced for its object (`Kind/name` -> rule ids) to `warn`. `written`:
 * the dependencies annotations as the plan wrote them (see `modelOf`).
 */
export function lintChart(chart: Chart, manifests: any[], silenced: Map<string, Set<string>>, warn: (line: string) => void,
  written?: ReadonlyMap<any, WrittenEntries>): void {
  const file = `chart ${chart.node.path}`;
  // The rules run here judge workloads only (those about Services are whole-output rules, above).
  const workloads = manifests.filter((m) => WORKLOAD_KINDS.includes(m?.kind) && m?.metadata?.name).map((m) => objectOf(file, m));
  const model = modelOf([file], workloads, written);
  const problems = lint(model, (r) => !WHOLE_OUTPUT_RULES.includes(r.id)).problems;
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map(formatProblem).join('\n'));
  for (const p of problems) {
    if (!silenced.get(p.object)?.has(p.rule)) warn(`cdk8s-ordered: ${formatProblem(p)} (silence it with the component option silence: ['${p.rule}'])`);
  }
}
