/**
 * The `cdk8s-ordered` command line: graph, plan and lint for YAML written by
 * cdk8s synth. Not part of the jsii API (not exported from lib/index.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { formatProblem, lint, RULES } from './lint';
import { DEPENDENCIES_ANNOTATION as DEPENDENCIES, timeoutText, WORKLOAD_KINDS } from '../contract';
import { cyclesOf, InputError, load, Model, planOf } from './model';

/** Where the CLI writes. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const NAME = 'cdk8s-ordered';

export const USAGE = `Usage: ${NAME} <command> [options] PATH...

Reads the YAML that cdk8s synth wrote: files, or folders such as dist/ (every
*.yaml and *.yml inside, sorted).

Commands:
  graph [--format mermaid|dot] PATH...  print the startup graph (default: Mermaid)
  plan PATH...                          print the startup waves and the critical path
  lint [--strict] PATH...               report problems (rules ORD001-ORD007)

Options:
  -f, --format   graph format: mermaid (default) or dot
      --strict   lint: warnings fail too
  -h, --help     print this help
  -v, --version  print the version

Exit codes: 0 clean (lint warnings allowed unless --strict), 1 problems found,
2 usage error or unreadable input.
`;

/** Usage error: exit code 2. */
class UsageError extends Error {}

/**
 * Runs the command line `argv` (without `node` and the script), writing to
 * `io`; returns the exit code.
 */
export function main(argv: string[], io: Io): number {
  try {
    return dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`${NAME}: ${e.message}\nRun '${NAME} --help' for usage.\n`);
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr.write(`${NAME}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** Entry point of bin/cdk8s-ordered. */
export function run(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); // e.g. `| head`
    throw e;
  });
  process.exitCode = main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}

function dispatch(argv: string[], io: Io): number {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(USAGE);
    return 2;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  switch (command) {
    case 'graph': {
      const { values, positionals } = parse(command, rest, { format: { type: 'string', short: 'f' } });
      if (values.help) return help(io);
      const format = values.format ?? 'mermaid';
      if (format !== 'mermaid' && format !== 'dot') {
        throw new UsageError(`graph: --format must be mermaid or dot, not '${format}'`);
      }
      return graph(readModel(command, positionals), format, io);
    }
    case 'plan': {
      const { values, positionals } = parse(command, rest, {});
      if (values.help) return help(io);
      return plan(readModel(command, positionals), io);
    }
    case 'lint': {
      const { values, positionals } = parse(command, rest, { strict: { type: 'boolean' } });
      if (values.help) return help(io);
      return lintCommand(readModel(command, positionals), values.strict === true, io);
    }
    default:
      throw new UsageError(command.startsWith('-')
        ? `give a command first (graph, plan or lint), not '${command}'`
        : `unknown command '${command}'; the commands are graph, plan and lint`);
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

function parse(command: string, args: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    const message = (e as Error).message;
    const option = /'([^']+)'/.exec(message)?.[1];
    throw new UsageError((e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option
      ? `${command}: unknown option '${option}'`
      : `${command}: ${message.split('. ')[0].replace(/\.$/, '')}`);
  }
}

function help(io: Io): number {
  io.stdout.write(USAGE);
  return 0;
}

function readModel(command: string, paths: string[]): Model {
  if (paths.length === 0) {
    throw new UsageError(`${command}: give at least one file or folder, e.g. '${NAME} ${command} dist/'`);
  }
  return load(paths);
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Graph and plan read the annotation: an unreadable one is unreadable input, none at all gets a note. */
function needAnnotations(model: Model, io: Io): void {
  const bad = model.workloads.find((w) => w.annotationError);
  if (bad) {
    throw new InputError(`${bad.file}: ${bad.ref}: ${bad.annotationError}; run '${NAME} lint' for every problem`);
  }
  if (!model.workloads.some((w) => w.annotated)) {
    io.stderr.write(`${NAME}: note: ${noAnnotations(model)}, so every workload is shown without dependencies. `
      + 'Either nothing waits for anything, or this YAML was not written by cdk8s-ordered (graph and plan read the annotation).\n');
  }
}

function noAnnotations(model: Model): string {
  const n = model.workloads.length;
  return n === 0
    ? `no workloads (${WORKLOAD_KINDS.join(', ')}) found in ${count(model.files.length, 'file')}`
    : `no cdk8s-ordered annotations (${DEPENDENCIES}) found in ${count(n, 'workload')}`;
}

function graph(model: Model, format: 'mermaid' | 'dot', io: Io): number {
  needAnnotations(model, io);
  const lines: string[] = [];
  let node: (id: string, label: string, style: 'workload' | 'missing' | 'precondition') => void;
  let edge: (from: string, to: string, label: string) => void;
  if (format === 'mermaid') {
    const q = (s: string) => s.replace(/"/g, '\'');
    lines.push('flowchart LR');
    node = (id, label, style) => {
      if (style === 'precondition') lines.push(`  ${id}(["${q(label)}"])`);
      else lines.push(`  ${id}["${q(label)}"]`);
      if (style === 'missing') lines.push(`  style ${id} stroke-dasharray: 5 5`);
    };
    edge = (from, to, label) => lines.push(`  ${from} -->|"${q(label)}"| ${to}`);
  } else {
    const q = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    lines.push('digraph startup {', '  rankdir=LR;', '  node [shape=box];');
    node = (id, label, style) => lines.push(`  ${id} [label="${q(label)}"${style === 'precondition'
      ? ', shape=ellipse, style=dashed' : style === 'missing' ? ', style=dotted' : ''}];`);
    edge = (from, to, label) => lines.push(`  ${from} -> ${to} [label="${q(label)}"];`);
  }
  const ids = model.nodes.map((n, i) => (n.type === 'workload' ? `w${i}` : `m${i}`));
  model.nodes.forEach((n, i) => node(ids[i], n.type === 'missing' ? `${n.label} (not in the given YAML)` : n.label, n.type));
  for (const e of model.edges) edge(ids[e.from], ids[e.to], withTimeout(e.entry.check, timeoutText(e.entry)));
  model.preconditions.forEach((p, i) => {
    node(`p${i}`, p.check, 'precondition');
    for (const w of p.waiters) edge(ids[w.from], `p${i}`, withTimeout('waits for', timeoutText(w.entry)));
  });
  if (format === 'dot') lines.push('}');
  io.stdout.write(lines.join('\n') + '\n');
  for (const c of cyclesOf(model)) {
    io.stderr.write(`${NAME}: note: dependency cycle ${c.map((i) => model.nodes[i].label).join(' => ')}; run '${NAME} lint'\n`);
  }
  return 0;
}

function withTimeout(label: string, timeout: string | undefined): string {
  return timeout ? `${label} (${timeout})` : label;
}

function plan(model: Model, io: Io): number {
  needAnnotations(model, io);
  const p = planOf(model);
  if (!p) {
    const cycles = cyclesOf(model).map((c) => c.map((i) => model.nodes[i].label).join(' => '));
    io.stderr.write(`${NAME}: cannot plan: dependency cycle ${cycles.join('; ')}; run '${NAME} lint'\n`);
    return 1;
  }
  // What each node waits for, in the order of its annotation.
  const lines0: string[][] = model.nodes.map((n) => (n.type === 'missing' ? ['(not in the given YAML)'] : []));
  const byEntry = new Map<object, string>();
  for (const e of model.edges) byEntry.set(e.entry, withTimeout(`${model.nodes[e.to].label}: ${e.entry.check}`, timeoutText(e.entry)));
  for (const pre of model.preconditions) {
    for (const w of pre.waiters) byEntry.set(w.entry, `precondition: ${withTimeout(pre.check, timeoutText(w.entry))}`);
  }
  model.nodes.forEach((n, i) => n.workload?.waits.forEach((e) => lines0[i].push(byEntry.get(e)!)));
  const waits = (i: number): string[] => (lines0[i].length > 0 ? lines0[i] : ['-']);
  if (p.order.length === 0) {
    io.stdout.write('Startup plan: no workloads\n');
    return 0;
  }
  const rows: string[][] = [['WAVE', 'WORKLOAD', 'WAITS FOR']];
  for (const i of p.order) {
    const w = waits(i);
    rows.push([String(p.wave[i]), model.nodes[i].label, w[0]]);
    for (const more of w.slice(1)) rows.push(['', '', more]);
  }
  const width = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const waves = Math.max(...p.wave) + 1;
  const workloads = model.nodes.filter((n) => n.type === 'workload').length;
  const missing = model.nodes.length - workloads;
  const lines = [
    `Startup plan: ${count(workloads, 'workload')} in ${count(waves, 'wave')}`
      + (model.preconditions.length > 0 ? `, ${count(model.preconditions.length, 'precondition')}` : '')
      + (missing > 0 ? `, ${missing} not in the given YAML` : ''),
    '',
    ...rows.map((r) => `${r[0].padEnd(width[0])}  ${r[1].padEnd(width[1])}  ${r[2]}`.trimEnd()),
    '',
    `Critical path: ${p.criticalPath.map((i) => model.nodes[i].label).join(' -> ')}`,
  ];
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function lintCommand(model: Model, strict: boolean, io: Io): number {
  const { problems, skipped } = lint(model);
  if (skipped.length > 0) {
    const ran = RULES.filter((r) => !skipped.includes(r)).map((r) => r.id);
    io.stderr.write(`${NAME}: note: ${noAnnotations(model)}; lint ran only ${list(ran)} `
      + `(taking init containers named wait-for-* as waiters) and skipped ${list(skipped.map((r) => r.id))}, which need them\n`);
  }
  for (const p of problems) io.stdout.write(formatProblem(p) + '\n');
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const scope = `in ${count(model.files.length, 'file')} (${count(model.objects.length, 'object')}, ${count(model.workloads.length, 'workload')})`;
  const failed = errors > 0 || (strict && warnings > 0);
  io.stdout.write(problems.length === 0
    ? `no problems ${scope}\n`
    : `${count(errors, 'error')}, ${count(warnings, 'warning')} ${scope}${strict && errors === 0 ? ' (--strict: warnings fail)' : ''}\n`);
  return failed ? 1 : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
