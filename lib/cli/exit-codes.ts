/**
 * The exit codes of every `cdk8s-ordered` command: one table, printed in the
 * usage text and in the README. Not part of the jsii API.
 */
export const EXIT = {
  /** Nothing to report. */
  OK: 0,
  /** Findings: a lint error (any finding with --strict), or a component that failed or restarted. */
  FINDINGS: 1,
  /** A usage error, or input that cannot be read. */
  USAGE: 2,
  /** `status`: not settled yet. */
  NOT_SETTLED: 3,
} as const;

/** Each code, and what gives it. */
export const EXIT_CODES: ReadonlyArray<readonly [number, string]> = [
  [EXIT.OK, 'clean: no error found (warnings allowed unless --strict); status: every component ready, with no restarts'],
  [EXIT.FINDINGS, 'problems found, the same for every command: a lint error, or with --strict any warning (graph, plan and '
    + 'lint run the same rules, so a dependency cycle fails all three); status: a component failed, or a container restarted'],
  [EXIT.USAGE, 'usage error, or input that cannot be read: a missing file, not YAML, not Kubernetes objects; status: kubectl '
    + 'failed, could not reach the cluster, or could not read all it lists (e.g. pods forbidden)'],
  [EXIT.NOT_SETTLED, 'status only: not settled, some component still waiting, starting, rolling out, running (a Job) or not in the cluster yet '
    + '(with --watch: when --timeout ran out)'],
];

/** The table in Markdown. */
export function exitCodeTable(): string {
  return ['| exit code | meaning |', '|---|---|', ...EXIT_CODES.map(([c, m]) => `| ${c} | ${m} |`)].join('\n') + '\n';
}
