/**
 * The `cdk8s-ordered` command line: graph, plan and lint for YAML written by
 * cdk8s synth, rules to explain them, and status for a running app. Not part
 * of the jsii API (not exported from lib/index.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { DEPENDENCIES_ANNOTATION as DEPENDENCIES, entryCheck, timeoutText, WORKLOAD_KINDS } from '../contract';
import { edgeLabel, GRAPH_FORMATS, GraphFormat, renderGraph } from '../graph-render';
import { EXIT, EXIT_CODES } from './exit-codes';
import { InputError, load, UsageError, visibleLine } from './input';
import { parseDuration, status, StatusOptions } from './status';
import { graphOf } from '../lint/graph-view';
import { failing, formatProblem, lint, RULES } from '../lint/lint';
import { cyclesOf, Model, planOf } from '../lint/model';
import { ruleRange, ruleText } from '../lint/rules';

/** Where the CLI writes, and what it may be given instead of the real clock and environment (tests). */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Milliseconds since the epoch (default `Date.now`): `status` measures how long things wait with it. */
  readonly now?: () => number;
  /** Environment of the kubectl that `status` runs (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

const NAME = 'cdk8s-ordered';
const COMMANDS = ['graph', 'plan', 'lint', 'rules', 'status'];

/** The usage text: commands, options, every rule and every exit code. */
export function usage(): string {
  const ruleLines = RULES.flatMap((r) => wrap(r.title.replace(/`/g, ''), 60)
    .map((l, i) => (i === 0 ? `  ${r.id}  ${r.severity.padEnd(7)}  ${l}` : `${' '.repeat(19)}${l}`)));
  const codes = EXIT_CODES.flatMap(([c, meaning]) => wrap(meaning, 74).map((l, i) => `  ${i === 0 ? c : ' '}  ${l}`));
  return `Usage: ${NAME} <command> [options] [PATH...]

graph, plan and lint read the YAML that cdk8s synth wrote: files, or folders
such as dist/ (every *.yaml and *.yml inside, sorted). status reads a running
cluster through kubectl (read-only).

Commands:
  graph [--format mermaid|dot] PATH...  print the startup graph (default: Mermaid)
  plan PATH...                          print the startup waves and the critical path
  lint PATH...                          report problems (rules ${ruleRange()}, below)
  rules [ID...]                         list the rules, or explain the ones named
  status [options]                      what each component of a running app waits for

Options of graph, plan and lint (all three run the rules, and exit alike):
  -f, --format mermaid|dot   graph format (default: mermaid)
      --strict               warnings fail too

Options of status:
  -n, --namespace NS         the app's namespace (default: the kubeconfig context's)
  -A, --all-namespaces       every namespace
      --context NAME         kubeconfig context
      --kubeconfig FILE      kubeconfig (default: kubectl's: $KUBECONFIG, ~/.kube/config,
                             or in-cluster)
      --kubectl PATH         the kubectl to run (default: kubectl on the PATH)
  -w, --watch                follow the rollout until every component is ready,
                             one fails, or --timeout runs out
      --timeout DURATION     with --watch, how long to follow (default 5m; 90s, 10m, 1h)
      --interval DURATION    with --watch, time between reads (default 2s)
  -o, --output text|json     text (default), or JSON (with --watch: one document
                             per line, on each change)

  -h, --help                 print this help
  -v, --version              print the version

Rules:
${ruleLines.join('\n')}

Exit codes:
${codes.join('\n')}
`;
}

/**
 * Runs the command line `argv` (without `node` and the script), writing to
 * `io`; resolves to the exit code.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`${NAME}: ${visibleLine(e.message)}\nRun '${NAME} --help' for usage.\n`);
      return EXIT.USAGE;
    }
    if (e instanceof InputError) {
      io.stderr.write(`${NAME}: ${visibleLine(e.message)}\n`);
      return EXIT.USAGE;
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
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => { process.exitCode = code; },
    (e) => {
      // A bug of this CLI, not of the input: one line, the stack only when asked for.
      process.stderr.write(process.env.CDK8S_ORDERED_DEBUG
        ? `${NAME}: ${(e as Error)?.stack ?? e}\n`
        : `${NAME}: internal error: ${visibleLine(String((e as Error)?.message ?? e).split('\n')[0])}; `
          + 'please report it (CDK8S_ORDERED_DEBUG=1 shows where)\n');
      process.exitCode = EXIT.USAGE;
    },
  );
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(usage());
    return EXIT.USAGE;
  }
  if (command === '-h' || command === '--help' || command === 'help') return help(io);
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${version()}\n`);
    return EXIT.OK;
  }
  const strictOption: OptionSpec = { strict: { type: 'boolean' } };
  switch (command) {
    case 'graph': {
      const { values, positionals } = parse(command, rest, { ...strictOption, format: { type: 'string', short: 'f' } });
      if (values.help) return help(io);
      const format = (values.format ?? 'mermaid') as GraphFormat;
      if (!GRAPH_FORMATS.includes(format)) {
        throw new UsageError(`graph: --format must be ${GRAPH_FORMATS.join(' or ')}, not '${format}'`);
      }
      return graph(readModel(command, positionals, io), format, values.strict === true, io);
    }
    case 'plan': {
      const { values, positionals } = parse(command, rest, strictOption);
      if (values.help) return help(io);
      return plan(readModel(command, positionals, io), values.strict === true, io);
    }
    case 'lint': {
      const { values, positionals } = parse(command, rest, strictOption);
      if (values.help) return help(io);
      return lintCommand(readModel(command, positionals, io), values.strict === true, io);
    }
    case 'rules': {
      const { values, positionals } = parse(command, rest, {});
      if (values.help) return help(io);
      return rules(positionals, io);
    }
    case 'status': {
      const { values, positionals } = parse(command, rest, {
        'namespace': { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        'context': { type: 'string' },
        'kubeconfig': { type: 'string' },
        'kubectl': { type: 'string' },
        'watch': { type: 'boolean', short: 'w' },
        'timeout': { type: 'string' },
        'interval': { type: 'string' },
        'output': { type: 'string', short: 'o' },
      });
      if (values.help) return help(io);
      if (positionals.length > 0) {
        throw new UsageError(`status: reads the cluster, not files: remove '${positionals[0]}' (choose the namespace with -n)`);
      }
      const output = (values.output as string | undefined) ?? 'text';
      if (output !== 'text' && output !== 'json') throw new UsageError(`status: --output must be text or json, not '${output}'`);
      if (values.namespace !== undefined && values['all-namespaces']) throw new UsageError('status: give -n NAMESPACE or -A, not both');
      if (!values.watch && (values.timeout !== undefined || values.interval !== undefined)) {
        throw new UsageError(`status: --${values.timeout !== undefined ? 'timeout' : 'interval'} goes with --watch`);
      }
      const options: StatusOptions = {
        kubectl: (values.kubectl as string | undefined) ?? 'kubectl',
        namespace: values.namespace as string | undefined,
        allNamespaces: values['all-namespaces'] === true,
        context: values.context as string | undefined,
        kubeconfig: values.kubeconfig as string | undefined,
        watch: values.watch === true,
        timeoutMs: parseDuration('timeout', (values.timeout as string | undefined) ?? '5m'),
        intervalMs: parseDuration('interval', (values.interval as string | undefined) ?? '2s'),
        output,
      };
      return status(options, io);
    }
    default:
      throw new UsageError(command.startsWith('-')
        ? `give a command first (${list(COMMANDS, 'or')}), not '${command}'`
        : `unknown command '${command}'; the commands are ${list(COMMANDS, 'and')}`);
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
  io.stdout.write(usage());
  return EXIT.OK;
}

function readModel(command: string, paths: string[], io: Io): Model {
  if (paths.length === 0) {
    throw new UsageError(`${command}: give at least one file or folder, e.g. '${NAME} ${command} dist/'`);
  }
  return load(paths, (file, why) => io.stderr.write(`${NAME}: note: skipped '${visibleLine(file)}': ${visibleLine(why)}\n`));
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Graph and plan read the annotation: without any, a note says what they cannot know. */
function noteWithoutAnnotations(model: Model, io: Io): void {
  if (!model.workloads.some((w) => w.annotated)) {
    io.stderr.write(`${NAME}: note: ${noAnnotations(model)}, so every workload is shown without dependencies. `
      + 'Either nothing waits for anything, or this YAML was not written by cdk8s-ordered (graph and plan read the annotation).\n');
  }
}

/**
 * The findings of graph and plan: they run the same rules as lint, write the
 * failing findings (errors; with --strict, warnings too) to stderr as lint
 * writes them, and exit as lint would.
 */
function findings(model: Model, strict: boolean, io: Io): number {
  const failed = failing(lint(model).problems, strict);
  for (const p of failed) io.stderr.write(visibleLine(formatProblem(p)) + '\n');
  return failed.length > 0 ? EXIT.FINDINGS : EXIT.OK;
}

function noAnnotations(model: Model): string {
  const n = model.workloads.length;
  return n === 0
    ? `no workloads (${WORKLOAD_KINDS.join(', ')}) found in ${count(model.files.length, 'file')}`
    : `no cdk8s-ordered annotations (${DEPENDENCIES}) found in ${count(n, 'workload')}`;
}

function graph(model: Model, format: GraphFormat, strict: boolean, io: Io): number {
  noteWithoutAnnotations(model, io);
  // Labels come from the YAML: escaped before the renderer quotes them for Mermaid or dot.
  io.stdout.write(renderGraph(graphOf(model, visibleLine), format));
  return findings(model, strict, io);
}

function plan(model: Model, strict: boolean, io: Io): number {
  noteWithoutAnnotations(model, io);
  const p = planOf(model);
  if (!p) {
    const code = findings(model, strict, io);
    const cycles = cyclesOf(model).map((c) => c.map((i) => model.nodes[i].label).join(' => '));
    io.stderr.write(`${NAME}: cannot plan: dependency cycle ${visibleLine(cycles.join('; '))}\n`);
    return Math.max(code, EXIT.FINDINGS);
  }
  // What each node waits for, in the order of its annotation.
  const lines0: string[][] = model.nodes.map((n) => (n.type === 'missing' ? ['(not in the given YAML)'] : []));
  const byEntry = new Map<object, string>();
  for (const e of model.edges) byEntry.set(e.entry, edgeLabel(`${model.nodes[e.to].label}: ${entryCheck(e.entry)}`, timeoutText(e.entry)));
  for (const pre of model.preconditions) {
    for (const w of pre.waiters) byEntry.set(w.entry, `precondition: ${edgeLabel(pre.check, timeoutText(w.entry))}`);
  }
  model.nodes.forEach((n, i) => n.workload?.waits.forEach((e) => lines0[i].push(byEntry.get(e)!)));
  const waits = (i: number): string[] => (lines0[i].length > 0 ? lines0[i] : ['-']);
  if (p.order.length === 0) {
    io.stdout.write('Startup plan: no workloads\n');
    return findings(model, strict, io);
  }
  const rows: string[][] = [['WAVE', 'WORKLOAD', 'WAITS FOR']];
  for (const i of p.order) {
    const [first, ...more] = waits(i);
    rows.push([String(p.wave[i]), visibleLine(model.nodes[i].label), visibleLine(first)]);
    for (const m of more) rows.push(['', '', visibleLine(m)]);
  }
  // Loops, not Math.max(...): a spread of one argument per workload can overflow the stack on a large app.
  const width = [0, 1].map((c) => rows.reduce((m, r) => Math.max(m, r[c].length), 0));
  const waves = p.wave.reduce((m, w) => Math.max(m, w), 0) + 1;
  const workloads = model.nodes.filter((n) => n.type === 'workload').length;
  const missing = model.nodes.length - workloads;
  const lines = [
    `Startup plan: ${count(workloads, 'workload')} in ${count(waves, 'wave')}`
      + (model.preconditions.length > 0 ? `, ${count(model.preconditions.length, 'precondition')}` : '')
      + (missing > 0 ? `, ${missing} not in the given YAML` : ''),
    '',
    ...rows.map((r) => `${r[0].padEnd(width[0])}  ${r[1].padEnd(width[1])}  ${r[2]}`.trimEnd()),
    '',
    `Critical path: ${p.criticalPath.map((i) => visibleLine(model.nodes[i].label)).join(' -> ')}`,
  ];
  io.stdout.write(lines.join('\n') + '\n');
  return findings(model, strict, io);
}

function lintCommand(model: Model, strict: boolean, io: Io): number {
  const { problems, skipped } = lint(model);
  if (skipped.length > 0) {
    const ran = RULES.filter((r) => !skipped.includes(r)).map((r) => r.id);
    io.stderr.write(`${NAME}: note: ${noAnnotations(model)}; lint ran only ${list(ran, 'and')} `
      + `(taking init containers named wait-for-* as waiters) and skipped ${list(skipped.map((r) => r.id), 'and')}, which need them\n`);
  }
  for (const p of problems) io.stdout.write(visibleLine(formatProblem(p)) + '\n');
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const scope = `in ${count(model.files.length, 'file')} (${count(model.objects.length, 'object')}, ${count(model.workloads.length, 'workload')})`;
  io.stdout.write(problems.length === 0
    ? `no problems ${scope}\n`
    : `${count(errors, 'error')}, ${count(warnings, 'warning')} ${scope}${strict && errors === 0 ? ' (--strict: warnings fail)' : ''}\n`);
  return failing(problems, strict).length > 0 ? EXIT.FINDINGS : EXIT.OK;
}

function rules(ids: string[], io: Io): number {
  if (ids.length === 0) {
    const width = Math.max(...RULES.map((r) => r.severity.length));
    for (const r of RULES) io.stdout.write(`${r.id}  ${r.severity.padEnd(width)}  ${r.title.replace(/`/g, '')}\n`);
    return EXIT.OK;
  }
  const wanted = ids.map((id) => {
    const r = RULES.find((x) => x.id === id.toUpperCase());
    if (!r) throw new UsageError(`rules: no rule '${id}'; the rules are ${ruleRange()}`);
    return r;
  });
  io.stdout.write(wanted.map(ruleText).join('\n'));
  return EXIT.OK;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function list(items: string[], and: string): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/** `text` in lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
