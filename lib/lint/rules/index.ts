/**
 * Every lint rule, in order: the one list that `lint`, the usage text, the
 * README's rule table and docs/rules.md are made from. Not part of the jsii
 * API.
 */
import * as ord001 from './ord001-target-without-readiness';
import * as ord002 from './ord002-unpinned-waiter-image';
import * as ord003 from './ord003-versioned-job-with-ttl';
import * as ord004 from './ord004-dependency-cycle';
import * as ord005 from './ord005-missing-service';
import * as ord006 from './ord006-missing-target';
import * as ord007 from './ord007-bad-annotation';
import * as ord008 from './ord008-waited-for-job-with-ttl';
import * as ord009 from './ord009-on-delete-upgrade';
import { Rule } from './rule';

export type { Problem, Rule, Severity } from './rule';

export const RULES: readonly Rule[] = [ord001, ord002, ord003, ord004, ord005, ord006, ord007, ord008, ord009];

/** `ORD001-ORD009`: the range of rule ids. */
export function ruleRange(): string {
  return `${RULES[0].id}-${RULES[RULES.length - 1].id}`;
}

/** The rule table in Markdown (README.md and docs/rules.md), linking each rule to its section of docs/rules.md. */
export function ruleTable(docsPath = 'docs/rules.md'): string {
  return [
    '| rule | severity | finds |',
    '|---|---|---|',
    ...RULES.map((r) => `| [${r.id}](${docsPath}#${r.id.toLowerCase()}) | ${r.severity} | ${r.title} |`),
  ].join('\n') + '\n';
}

/** docs/rules.md: the table, then one section per rule. */
export function rulesDoc(exitCodes: string): string {
  const lines = [
    '# cdk8s-ordered lint rules',
    '',
    '<!-- Generated from lib/lint/rules/ by scripts/rules-doc.ts; test/cli/docs.test.ts keeps it current. -->',
    '',
    '`cdk8s-ordered lint dist/` runs every rule on the YAML that `cdk8s synth` wrote; `graph` and `plan` run them too, and',
    'exit as `lint` does. Errors fail the command; warnings fail it only with `--strict`. Rules marked "needs the',
    'annotation" read `ordered.cdk8s.io/dependencies`, which cdk8s-ordered writes on every workload that waits; on other',
    'YAML they are skipped, and the command says so.',
    '',
    ruleTable('').trimEnd(),
    '',
    '## Exit codes',
    '',
    exitCodes.trimEnd(),
  ];
  for (const r of RULES) {
    lines.push('', `## ${r.id}`, '', `**${r.severity}**: ${r.title}.${r.needsAnnotations ? ' Needs the annotation.' : ''}`, '', r.description);
  }
  return lines.join('\n') + '\n';
}

/** One rule for the terminal (`cdk8s-ordered rules ID`). */
export function ruleText(r: Rule): string {
  return `${r.id} (${r.severity}${r.needsAnnotations ? ', needs the annotation' : ''}): ${r.title.replace(/`/g, '')}\n\n`
    + `${r.description.replace(/`/g, '')}\n`;
}
