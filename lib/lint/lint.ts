/**
 * `cdk8s-ordered lint`: runs the rules of rules/index.ts. Not part of the jsii API.
 */
import { Model } from './model';
import { Problem, Rule, RULES } from './rules';

export { RULES } from './rules';
export type { Problem, Rule, Severity } from './rules';

/** Runs every rule (of those `only` keeps) that can judge `model`, problems sorted by file, object, rule. */
export function lint(model: Model, only: (r: Rule) => boolean = () => true): { problems: Problem[]; skipped: Rule[] } {
  const annotated = model.workloads.some((w) => w.annotated);
  const rules = RULES.filter((r) => only(r) && (annotated || !r.needsAnnotations));
  const fileIndex = new Map(model.files.map((f, i) => [f, i]));
  const problems = rules.flatMap((r) => r.check(model)).sort((a, b) =>
    (fileIndex.get(a.file) ?? 0) - (fileIndex.get(b.file) ?? 0) || a.order - b.order || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return { problems, skipped: RULES.filter((r) => !rules.includes(r)) };
}

/** Checks the ids of warnings a component silences (`path`: the component's, for the message). */
export function checkSilenced(path: string, ids: readonly string[]): void {
  for (const id of ids) {
    const rule = RULES.find((r) => r.id === id);
    if (!rule) {
      throw new Error(`${path}: silence names '${id}', which is no rule; the rules are ${RULES.map((r) => r.id).join(', ')}`);
    }
    if (rule.severity === 'error') {
      throw new Error(`${path}: silence names ${id}, an error (${rule.title.replace(/`/g, '')}); errors cannot be silenced, fix the cause`);
    }
  }
}

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.rule} ${p.severity} ${p.object}: ${p.message}`;
}

/** Whether `problems` fail a command: any error, or with `strict` any problem. */
export function failing(problems: readonly Problem[], strict: boolean): Problem[] {
  return problems.filter((p) => strict || p.severity === 'error');
}
