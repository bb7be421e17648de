/**
 * The benchmark harness (compiled, run by bench/run.sh; method and measures in
 * bench/README.md). Prints one markdown table to stdout (progress goes to
 * stderr) and writes every sample to bench/results/.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import { join, relative } from 'path';
import { ApiLoad, apiLoad, Home } from './api-load';
import { checkFloor, floorAdditions, FloorAdditions, FloorPart, FLOOR_PARTS, floorWithout } from './floor';
import { graph, library, libraryVersion, ROOT } from './lib-under-test';
import { median, percentile, spread, Spread } from './stats';
import type { StatusChildResult } from './status-child';
import type { ChildResult } from './synth-child';
import { LatencyTrial, waiterLatency, WaitingCpu, waitingCpu } from './waiters';
import { dependencyEdges, Side } from './workload';
import { yamlShare } from './yaml-share';
import { killScripts } from '../test/support/run-script';

// ---------------------------------------------------------------- cases and goals

interface SynthCase {
  readonly id: string;
  readonly n: number;
  readonly edges: number;
  /** Charts the components are split over (default 1). */
  readonly charts?: number;
  /** Whether the OrderedApp waits for its dependencies' rollouts (its `upgradeChecks`; default true). */
  readonly upgradeChecks?: boolean;
}

/** The synthesis cases, at full size; --quick divides N by 10. */
const SYNTH_CASES: SynthCase[] = [
  { id: 'n100e3', n: 100, edges: 3 },
  { id: 'n1000e3', n: 1000, edges: 3 },
  { id: 'n3000e3', n: 3000, edges: 3 },
  { id: 'n1000e0', n: 1000, edges: 0 },
  { id: 'n1000e1', n: 1000, edges: 1 },
  { id: 'n1000e10', n: 1000, edges: 10 },
  { id: 'n1000e3c10', n: 1000, edges: 3, charts: 10 },
  { id: 'n1000e3nu', n: 1000, edges: 3, upgradeChecks: false },
  { id: 'n3000e3nu', n: 3000, edges: 3, upgradeChecks: false },
];
const OTHER_CASES = ['floor', 'floor-parts', 'graph', 'yaml-share', 'tcp', 'http', 'waiting-cpu', 'api', 'status'] as const;
const GROUPS: Record<string, string[]> = {
  all: [...SYNTH_CASES.map((c) => c.id), ...OTHER_CASES],
  synth: SYNTH_CASES.map((c) => c.id),
  waiters: ['tcp', 'http', 'waiting-cpu'],
};

/** Goals from issue 9: each an upper bound on a measure. */
/**
 * Issue 9's goals, as issue 18 restated them: synthesis CPU ordered / plain
 * <= 1.5 at N=1000 and N=3000 (3 edges) and ordered / floor (the library's
 * own work) <= 1.10 at both; N=3000 at most 3.1x the CPU of N=1000; YAML
 * <= 2.2x plain at N=1000; peak RSS <= 1.2x plain at N=3000 (1.3x, issue 9's,
 * in the other cases); the waiters' as issue 9 set them.
 */
const GOALS = {
  cpuRatio: { n1000e3: 1.5, n3000e3: 1.5 } as Record<string, number>,
  floorRatio: 1.1,
  linear: 3.1,
  yamlRatio: { n1000e3: 2.2 } as Record<string, number>,
  rssRatio: 1.3,
  rssRatioOf: { n3000e3: 1.2 } as Record<string, number>,
  tcpMedianMs: 250,
  tcpMaxMs: 600,
  httpMedianMs: 300,
  waitingCpuPercent: 1.5,
};

// ---------------------------------------------------------------- options

interface Options {
  readonly quick: boolean;
  readonly cases: string[];
  /** Processes per side per synthesis case (interleaved rounds). */
  readonly procs: number;
  /** Timed reps per process (after one warm-up rep). */
  readonly reps: number;
  /** Latency trials per waiter. */
  readonly trials: number;
  /** How long the waiting-CPU waiter runs. */
  readonly waitingSeconds: number;
  /** When the Job is completed in the API-load waits (s). */
  readonly apiWaits: number[];
  /** Component counts of the graph-only measure. */
  readonly graphSizes: number[];
  /** Pods of the one workload of the status case. */
  readonly statusPods: number[];
}

const USAGE = `usage: bash bench/run.sh [--quick] [--cases LIST] [--procs P] [--reps R] [--trials T] [--waiting-seconds S]

  --quick          a smoke run: N divided by 10, 2 processes x 2 reps per side, 5 trials, 5 s of waiting CPU, one 3 s API wait
  --cases LIST     comma-separated case ids or groups (default: all)
                   synthesis: ${SYNTH_CASES.map((c) => c.id).join(', ')} (group: synth)
                   others: ${OTHER_CASES.join(', ')} (group waiters: tcp, http, waiting-cpu)
  --procs P        processes per side per synthesis case (default 3)
  --reps R         timed reps per process, after one warm-up rep (default 3)
  --trials T       latency trials per waiter (default 20)
  --waiting-seconds S  how long the waiting-CPU waiter runs (default 20)`;

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    if (i + 1 >= argv.length) throw new Error(`${flag} needs a value\n${USAGE}`);
    return argv[i + 1];
  };
  const known = ['--quick', '--cases', '--procs', '--reps', '--trials', '--waiting-seconds', '--help'];
  for (let i = 0; i < argv.length; i++) {
    if (!known.includes(argv[i])) throw new Error(`unknown argument '${argv[i]}'\n${USAGE}`);
    if (argv[i] !== '--quick' && argv[i] !== '--help') i++;
  }
  const count = (flag: string, full: number, smoke: number): number => {
    const v = value(flag);
    const n = v === undefined ? (quick ? smoke : full) : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a positive whole number, not '${v}'`);
    return n;
  };
  const cases: string[] = [];
  for (const name of (value('--cases') ?? 'all').split(',').map((s) => s.trim()).filter(Boolean)) {
    const ids = GROUPS[name] ?? (GROUPS.all.includes(name) ? [name] : undefined);
    if (!ids) throw new Error(`unknown case '${name}'\n${USAGE}`);
    for (const id of ids) if (!cases.includes(id)) cases.push(id);
  }
  return {
    quick,
    cases: GROUPS.all.filter((id) => cases.includes(id)),
    procs: count('--procs', 3, 2),
    reps: count('--reps', 3, 2),
    trials: count('--trials', 20, 5),
    waitingSeconds: count('--waiting-seconds', 20, 5),
    apiWaits: quick ? [3] : [5, 20],
    graphSizes: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
    statusPods: quick ? [2_000] : [5_000, 20_000],
  };
}

// ---------------------------------------------------------------- synthesis

/** The sides of the synthesis cases. */
type TwoSides = 'plain' | 'ordered';

/** One interleaved round: a plain process and an ordered process, run one after the other. */
interface Round {
  readonly first: TwoSides;
  readonly plain: ChildResult;
  readonly ordered: ChildResult;
}

interface SynthSummary {
  readonly n: number;
  readonly edges: number;
  readonly cpuMs: Record<TwoSides, Spread>;
  /** ordered / plain CPU, rep r of round p against rep r of round p. */
  readonly cpuRatio: Spread;
  readonly yamlBytes: Record<TwoSides, number>;
  readonly objects: Record<TwoSides, number>;
  readonly maxRssMiB: Record<TwoSides, Spread>;
  /** ordered / plain peak RSS, per round. */
  readonly rssRatio: Spread;
}

const CHILD = join(__dirname, 'synth-child.js');

function runChild(side: Side, n: number, edges: number, reps: number,
  more: { charts?: number; additionsFile?: string; upgradeChecks?: boolean } = {}): ChildResult {
  const args = [side, String(n), String(edges), String(reps)];
  if (more.charts !== undefined && more.charts !== 1) args.push('--charts', String(more.charts));
  if (more.upgradeChecks === false) args.push('--no-upgrade-checks');
  if (more.additionsFile) args.push('--additions', more.additionsFile);
  const r = spawnSync(process.execPath, ['--expose-gc', CHILD, ...args],
    { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`synthesis child (${side}, N=${n}, ${edges} edges) failed: ${r.error ?? ''}${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/**
 * `procs` rounds of one child process per variant, one after the other. Each
 * round starts with the next variant (round 1 with the first, round 2 with
 * the second...), so drift on a shared machine hits all of them.
 */
function interleaved<V extends string>(label: string, variants: readonly V[], procs: number,
  run: (v: V) => ChildResult): Array<Record<V, ChildResult>> {
  const rounds: Array<Record<V, ChildResult>> = [];
  for (let p = 0; p < procs; p++) {
    const k = p % variants.length;
    const got = {} as Record<V, ChildResult>;
    for (const v of [...variants.slice(k), ...variants.slice(0, k)]) {
      got[v] = run(v);
      progress(`  ${label} round ${p + 1}/${procs} ${v}: ${got[v].reps.map((x) => x.cpuMs.toFixed(0)).join(', ')} ms CPU`);
    }
    rounds.push(got);
  }
  return rounds;
}

/** Writes each of `sets` to a JSON file for the floor processes, runs `use` with the files, and removes them. */
function withAdditionFiles<K extends string, T>(sets: Record<K, FloorAdditions>, use: (files: Record<K, string>) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-floor-'));
  try {
    const files = {} as Record<K, string>;
    for (const k of Object.keys(sets) as K[]) {
      files[k] = join(dir, `${k}.json`);
      writeFileSync(files[k], JSON.stringify(sets[k]));
    }
    return use(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function synth(c: SynthCase, n: number, options: Options): { rounds: Round[]; summary: SynthSummary } {
  const sides: TwoSides[] = ['plain', 'ordered'];
  const child = (side: TwoSides) => runChild(side, n, c.edges, options.reps, { charts: c.charts, upgradeChecks: c.upgradeChecks });
  const rounds: Round[] = interleaved(c.id, sides, options.procs, child).map((r, p) => ({ first: sides[p % 2], ...r }));
  const bytes = (side: TwoSides) => {
    const all = new Set(rounds.map((r) => r[side].yamlBytes));
    if (all.size !== 1) throw new Error(`${c.id}: the ${side} YAML differs between processes (${[...all].join(', ')} bytes)`);
    return [...all][0];
  };
  const cpu = (side: TwoSides) => rounds.flatMap((r) => r[side].reps.map((x) => x.cpuMs));
  const rss = (side: TwoSides) => rounds.map((r) => r[side].maxRssKiB / 1024);
  const summary: SynthSummary = {
    n,
    edges: c.edges,
    cpuMs: { plain: spread(cpu('plain')), ordered: spread(cpu('ordered')) },
    cpuRatio: spread(rounds.flatMap((r) => r.ordered.reps.map((x, i) => x.cpuMs / r.plain.reps[i].cpuMs))),
    yamlBytes: { plain: bytes('plain'), ordered: bytes('ordered') },
    objects: { plain: rounds[0].plain.objects, ordered: rounds[0].ordered.objects },
    maxRssMiB: { plain: spread(rss('plain')), ordered: spread(rss('ordered')) },
    rssRatio: spread(rounds.map((r) => r.ordered.maxRssKiB / r.plain.maxRssKiB)),
  };
  return { rounds, summary };
}

// ---------------------------------------------------------------- the output's own cost

/** The `floor` case at one N: plain, floor and ordered processes, interleaved. */
interface FloorSummary {
  readonly n: number;
  readonly edges: number;
  readonly cpuMs: Record<Side, Spread>;
  /** Per rep pair within a round: floor / plain, ordered / plain, ordered / floor. */
  readonly cpuRatio: { floorPlain: Spread; orderedPlain: Spread; orderedFloor: Spread };
  readonly maxRssMiB: Record<Side, Spread>;
  /** Per round: floor / plain, ordered / plain. */
  readonly rssRatio: { floorPlain: Spread; orderedPlain: Spread };
  /** Bytes of the JSON text of the additions the floor processes read. */
  readonly additionsBytes: number;
}

function floorCase(n: number, edges: number, options: Options, upgradeChecks = true):
{ rounds: Array<Record<Side, ChildResult>>; summary: FloorSummary } {
  const lib = library();
  const graphEdges = dependencyEdges(n, edges);
  const additions = floorAdditions(lib, graphEdges, upgradeChecks);
  checkFloor(lib, graphEdges, additions, upgradeChecks);
  const sides: Side[] = ['plain', 'floor', 'ordered'];
  const rounds = withAdditionFiles({ floor: additions }, (files) => interleaved(`floor N=${n}${upgradeChecks ? '' : ' nu'}`, sides, options.procs,
    (side) => runChild(side, n, edges, options.reps, { additionsFile: side === 'floor' ? files.floor : undefined, upgradeChecks })));
  for (const r of rounds) {
    if (r.floor.yamlBytes !== r.ordered.yamlBytes) throw new Error(`floor N=${n}: floor wrote ${r.floor.yamlBytes} bytes, ordered ${r.ordered.yamlBytes}`);
  }
  const cpu = (side: Side) => spread(rounds.flatMap((r) => r[side].reps.map((x) => x.cpuMs)));
  const pairs = (a: Side, b: Side) => spread(rounds.flatMap((r) => r[a].reps.map((x, i) => x.cpuMs / r[b].reps[i].cpuMs)));
  const rss = (side: Side) => spread(rounds.map((r) => r[side].maxRssKiB / 1024));
  const rssPairs = (a: Side, b: Side) => spread(rounds.map((r) => r[a].maxRssKiB / r[b].maxRssKiB));
  return {
    rounds,
    summary: {
      n,
      edges,
      cpuMs: { plain: cpu('plain'), floor: cpu('floor'), ordered: cpu('ordered') },
      cpuRatio: { floorPlain: pairs('floor', 'plain'), orderedPlain: pairs('ordered', 'plain'), orderedFloor: pairs('ordered', 'floor') },
      maxRssMiB: { plain: rss('plain'), floor: rss('floor'), ordered: rss('ordered') },
      rssRatio: { floorPlain: rssPairs('floor', 'plain'), orderedPlain: rssPairs('ordered', 'plain') },
      additionsBytes: Buffer.byteLength(JSON.stringify(additions)),
    },
  };
}

/** A side of the `floor-parts` case: plain, the floor, or the floor without one part. */
type PartVariant = 'plain' | 'floor' | FloorPart;

interface FloorPartsSummary {
  readonly n: number;
  readonly edges: number;
  readonly cpuMs: Record<PartVariant, Spread>;
  /** Per rep pair within a round: variant / plain. */
  readonly cpuRatio: Record<PartVariant, Spread>;
  /** YAML bytes of each variant. */
  readonly yamlBytes: Record<PartVariant, number>;
}

/**
 * The `floor-parts` case: plain, the floor, and the floor without each part
 * of what the library adds (`floorWithout`), interleaved; what each part of
 * the output costs to write.
 */
function floorPartsCase(n: number, edges: number, options: Options): { rounds: Array<Record<PartVariant, ChildResult>>; summary: FloorPartsSummary } {
  const lib = library();
  const graphEdges = dependencyEdges(n, edges);
  const additions = floorAdditions(lib, graphEdges);
  checkFloor(lib, graphEdges, additions);
  const variants: PartVariant[] = ['plain', 'floor', ...FLOOR_PARTS];
  const sets = { floor: additions } as Record<Exclude<PartVariant, 'plain'>, FloorAdditions>;
  for (const part of FLOOR_PARTS) sets[part] = floorWithout(additions, part);
  const rounds = withAdditionFiles(sets, (files) => interleaved(`floor-parts N=${n}`, variants, options.procs,
    (v) => runChild(v === 'plain' ? 'plain' : 'floor', n, edges, options.reps, { additionsFile: v === 'plain' ? undefined : files[v] })));
  const each = <T>(f: (v: PartVariant) => T) => Object.fromEntries(variants.map((v) => [v, f(v)])) as Record<PartVariant, T>;
  return {
    rounds,
    summary: {
      n,
      edges,
      cpuMs: each((v) => spread(rounds.flatMap((r) => r[v].reps.map((x) => x.cpuMs)))),
      cpuRatio: each((v) => spread(rounds.flatMap((r) => r[v].reps.map((x, i) => x.cpuMs / r.plain.reps[i].cpuMs)))),
      yamlBytes: each((v) => rounds[0][v].yamlBytes),
    },
  };
}

// ---------------------------------------------------------------- graph work alone

/** CPU ms of the cycle check + topological order over n components with 3 seeded edges each: median of 3 after a warm-up, in this process. */
function graphWork(n: number): { n: number; cpuMs: Spread } {
  const { findCycles, topologicalOrder } = graph();
  const edges = dependencyEdges(n, 3);
  const once = () => {
    const t0 = process.cpuUsage();
    findCycles(n, edges);
    topologicalOrder(n, edges);
    const t = process.cpuUsage(t0);
    return (t.user + t.system) / 1000;
  };
  once();
  return { n, cpuMs: spread([once(), once(), once()]) };
}

// ---------------------------------------------------------------- status

/** CPU ms of `status` (snapshotOf + text) over one workload of `pods` pods: one process, `reps` reps after a warm-up. */
function statusWork(pods: number, reps: number): StatusChildResult {
  const r = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'status-child.js'), String(pods), String(reps)],
    { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`status child (${pods} pods) failed: ${r.error ?? ''}${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as StatusChildResult;
}

// ---------------------------------------------------------------- report

interface Row {
  readonly case: string;
  readonly measure: string;
  readonly value: string;
  readonly detail: string;
  readonly goal?: string;
  readonly result?: string;
}

const fixed = (x: number, digits = 0) => x.toFixed(digits);
const thousands = (x: number) => Math.round(x).toLocaleString('en-US');
const range = (s: Spread, digits = 0) => `${fixed(s.min, digits)}-${fixed(s.max, digits)}`;

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

function machine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    node: process.version,
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpuModel: model.trim(),
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseOptions(argv);
  const command = process.env.BENCH_COMMAND ?? ['node', relative(process.cwd(), process.argv[1]), ...argv].join(' ');
  const startedAt = new Date();
  const atStart = machine();
  const version = libraryVersion();
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const errors: string[] = [];
  const mark = options.quick ? '*' : '';
  const verdict = (value: number, bound: number) => `${value <= bound ? 'PASS' : 'FAIL'}${mark}`;

  for (const id of options.cases) {
    progress(`bench: ${id}`);
    try {
      const c = SYNTH_CASES.find((x) => x.id === id);
      if (c) {
        const n = options.quick ? Math.max(10, Math.round(c.n / 10)) : c.n;
        const { rounds, summary: s } = synth(c, n, options);
        raw[id] = { summary: s, rounds };
        const name = `N=${n}, ${c.edges} edge${c.edges === 1 ? '' : 's'}${c.charts ? `, ${c.charts} charts` : ''}`
          + `${c.upgradeChecks === false ? ', upgrade checks off' : ''}${options.quick ? ` (full: N=${c.n})` : ''}`;
        const reps = `${s.cpuMs.plain.count} reps per side (${options.procs} processes x ${options.reps})`;
        rows.push({
          case: name,
          measure: 'synth CPU ms, plain / ordered (median)',
          value: `${fixed(s.cpuMs.plain.median)} / ${fixed(s.cpuMs.ordered.median)}`,
          detail: `min-max ${range(s.cpuMs.plain)} / ${range(s.cpuMs.ordered)}; ${reps}`,
        });
        const cpuGoal = GOALS.cpuRatio[id];
        rows.push({
          case: name,
          measure: 'synth CPU ratio ordered/plain (median of pairs)',
          value: fixed(s.cpuRatio.median, 2),
          detail: `min-max ${range(s.cpuRatio, 2)} over ${s.cpuRatio.count} interleaved pairs`,
          goal: cpuGoal === undefined ? undefined : `<= ${cpuGoal}`,
          result: cpuGoal === undefined ? undefined : verdict(s.cpuRatio.median, cpuGoal),
        });
        const yamlRatio = s.yamlBytes.ordered / s.yamlBytes.plain;
        const yamlGoal = GOALS.yamlRatio[id];
        rows.push({
          case: name,
          measure: 'YAML bytes, plain / ordered (ratio)',
          value: `${thousands(s.yamlBytes.plain)} / ${thousands(s.yamlBytes.ordered)} (${fixed(yamlRatio, 2)})`,
          detail: `${s.objects.plain} / ${s.objects.ordered} objects; the same in every rep and process`,
          goal: yamlGoal === undefined ? undefined : `<= ${yamlGoal}`,
          result: yamlGoal === undefined ? undefined : verdict(yamlRatio, yamlGoal),
        });
        rows.push({
          case: name,
          measure: 'peak RSS MiB, plain / ordered (ratio)',
          value: `${fixed(s.maxRssMiB.plain.median)} / ${fixed(s.maxRssMiB.ordered.median)} (${fixed(s.rssRatio.median, 2)})`,
          detail: `ratio min-max ${range(s.rssRatio, 2)} over ${s.rssRatio.count} pairs; medians of per-process maxRSS`,
          goal: `<= ${GOALS.rssRatioOf[id] ?? GOALS.rssRatio}`,
          result: verdict(s.rssRatio.median, GOALS.rssRatioOf[id] ?? GOALS.rssRatio),
        });
        const n1000 = (raw.n1000e3 as { summary?: SynthSummary } | undefined)?.summary;
        if (id === 'n3000e3' && n1000) {
          const growth = s.cpuMs.ordered.median / n1000.cpuMs.ordered.median;
          rows.push({
            case: name,
            measure: 'synth CPU of the ordered side, N=3000 / N=1000 (medians)',
            value: fixed(growth, 2),
            detail: `${fixed(s.cpuMs.ordered.median)} / ${fixed(n1000.cpuMs.ordered.median)} ms; 3.0 is linear`,
            goal: `<= ${GOALS.linear}`,
            result: verdict(growth, GOALS.linear),
          });
        }
      } else if (id === 'floor') {
        const out = [];
        for (const [full, upgradeChecks] of [[1000, true], [3000, true], [1000, false]] as Array<[number, boolean]>) {
          const n = options.quick ? full / 10 : full;
          const { rounds, summary: f } = floorCase(n, 3, options, upgradeChecks);
          out.push({ summary: f, rounds, upgradeChecks });
          const name = `N=${n}, 3 edges${upgradeChecks ? '' : ', upgrade checks off'}: the output's own cost`;
          rows.push({
            case: name,
            measure: 'synth CPU ms, plain / floor / ordered (median)',
            value: `${fixed(f.cpuMs.plain.median)} / ${fixed(f.cpuMs.floor.median)} / ${fixed(f.cpuMs.ordered.median)}`,
            detail: `floor: plain cdk8s-plus writing the ordered YAML (checked identical) with none of the library's work; ${f.cpuMs.plain.count} reps per side (${options.procs} processes x ${options.reps}), three sides interleaved`,
          });
          rows.push({
            case: name,
            measure: 'synth CPU ratio floor/plain (the output) ; ordered/floor (the library\'s work)',
            value: `${fixed(f.cpuRatio.floorPlain.median, 2)} ; ${fixed(f.cpuRatio.orderedFloor.median, 2)}`,
            detail: `min-max ${range(f.cpuRatio.floorPlain, 2)} ; ${range(f.cpuRatio.orderedFloor, 2)}; ordered/plain in the same run ${fixed(f.cpuRatio.orderedPlain.median, 2)} (${range(f.cpuRatio.orderedPlain, 2)})`,
            // The goal on the library's own work is stated for the default output (upgrade checks on).
            goal: upgradeChecks ? `ordered/floor <= ${GOALS.floorRatio}` : undefined,
            result: upgradeChecks ? verdict(f.cpuRatio.orderedFloor.median, GOALS.floorRatio) : undefined,
          });
          rows.push({
            case: name,
            measure: 'peak RSS MiB, plain / floor / ordered; ratios floor/plain, ordered/plain',
            value: `${fixed(f.maxRssMiB.plain.median)} / ${fixed(f.maxRssMiB.floor.median)} / ${fixed(f.maxRssMiB.ordered.median)}; ${fixed(f.rssRatio.floorPlain.median, 2)}, ${fixed(f.rssRatio.orderedPlain.median, 2)}`,
            detail: `ratio min-max ${range(f.rssRatio.floorPlain, 2)}, ${range(f.rssRatio.orderedPlain, 2)} over ${options.procs} rounds; the floor processes also hold the additions' JSON text (${(f.additionsBytes / 2 ** 20).toFixed(1)} MiB)`,
          });
        }
        raw[id] = out;
      } else if (id === 'floor-parts') {
        const n = options.quick ? 100 : 1000;
        const { rounds, summary: f } = floorPartsCase(n, 3, options);
        raw[id] = { summary: f, rounds };
        const name = `floor parts, N=${n}, 3 edges`;
        const extra = f.cpuRatio.floor.median - 1;
        rows.push({
          case: name,
          measure: 'synth CPU ratio floor/plain (the whole output)',
          value: fixed(f.cpuRatio.floor.median, 2),
          detail: `min-max ${range(f.cpuRatio.floor, 2)}; ${thousands(f.yamlBytes.floor)} bytes, plain ${thousands(f.yamlBytes.plain)}; `
            + `${f.cpuMs.plain.count} reps per variant (${options.procs} processes x ${options.reps}), ${FLOOR_PARTS.length + 2} variants interleaved`,
        });
        for (const part of FLOOR_PARTS) {
          const without = f.cpuRatio[part].median;
          rows.push({
            case: name,
            measure: `synth CPU ratio to plain, the floor without ${part === 'annotation' ? 'the dependencies annotation' : part === 'waiters' ? 'the waiter containers (and their volume)' : `the waiters' ${part}`}`,
            value: fixed(without, 2),
            detail: `min-max ${range(f.cpuRatio[part], 2)}; ${thousands(f.yamlBytes.floor - f.yamlBytes[part])} bytes fewer; `
              + `${extra > 0 ? `${fixed((100 * (f.cpuRatio.floor.median - without)) / extra)}% of the floor's extra CPU` : 'the floor costs no extra'}`,
          });
        }
      } else if (id === 'graph') {
        const g = options.graphSizes.map(graphWork);
        raw[id] = g;
        rows.push({
          case: 'graph work alone',
          measure: `cycle check + topological order, CPU ms at ${g.map((x) => `${x.n / 1000}k`).join(' / ')} components`,
          value: g.map((x) => fixed(x.cpuMs.median, 1)).join(' / '),
          detail: '3 edges each; median of 3 after a warm-up, in the harness process',
        });
      } else if (id === 'status') {
        const st = options.statusPods.map((pods) => statusWork(pods, options.reps));
        raw[id] = st;
        rows.push({
          case: 'status, one workload',
          measure: `snapshotOf + text, CPU ms at ${st.map((x) => `${x.pods / 1000}k`).join(' / ')} pods`,
          value: st.map((x) => fixed(median(x.cpuMs))).join(' / '),
          detail: `median of ${options.reps} reps after a warm-up, one process per size; min-max ${st.map((x) => range(spread(x.cpuMs))).join(' / ')}`,
        });
      } else if (id === 'yaml-share') {
        const n = options.quick ? 100 : 1000;
        const y = yamlShare(n, 3);
        raw[id] = y;
        rows.push({
          case: `N=${n}, 3 edges`,
          measure: 'YAML writing CPU ms (Yaml.stringify), ordered output / the same without the library\'s additions',
          value: `${fixed(y.withMs.median)} / ${fixed(y.withoutMs.median)} (+${fixed(y.withMs.median - y.withoutMs.median)})`,
          detail: `min-max ${range(y.withMs)} / ${range(y.withoutMs)}; ${y.withBytes.toLocaleString('en-US')} / ${y.withoutBytes.toLocaleString('en-US')} bytes; median of 5 after a warm-up, gc() before each, in the harness process`,
        });
      } else if (id === 'tcp' || id === 'http') {
        const trials: LatencyTrial[] = await waiterLatency(id, options.trials);
        raw[id] = trials;
        const ok = trials.flatMap((t) => (t.latencyMs === undefined ? [] : [t.latencyMs]));
        const failed = trials.length - ok.length;
        const name = `${id.toUpperCase()} waiter`;
        const detail = `p90 ${ok.length ? percentile(ok, 90) : '-'}, max ${ok.length ? Math.max(...ok) : '-'}; ${ok.length} trials`
          + `${failed ? `, ${failed} FAILED (${trials.find((t) => t.error)!.error})` : ''}; listener up 0.3-1.5 s after start`;
        const medianGoal = id === 'tcp' ? GOALS.tcpMedianMs : GOALS.httpMedianMs;
        const med = ok.length ? median(ok) : Infinity;
        rows.push({
          case: name,
          measure: 'latency ms, listener up -> waiter exit: median',
          value: fixed(med),
          detail,
          goal: `<= ${medianGoal}`,
          result: failed ? `FAIL${mark}` : verdict(med, medianGoal),
        });
        if (id === 'tcp') {
          const worst = ok.length ? Math.max(...ok) : Infinity;
          rows.push({
            case: name,
            measure: 'latency ms: max',
            value: fixed(worst),
            detail: `over ${trials.length} trials`,
            goal: `<= ${GOALS.tcpMaxMs}`,
            result: failed ? `FAIL${mark}` : verdict(worst, GOALS.tcpMaxMs),
          });
        }
      } else if (id === 'waiting-cpu') {
        const w: WaitingCpu = await waitingCpu(options.waitingSeconds);
        raw[id] = w;
        rows.push({
          case: 'TCP waiter, closed port',
          measure: 'waiting CPU, % of one core',
          value: fixed(w.percentOfCore, 2),
          detail: `${w.ticks} ticks (CLK_TCK ${w.clockTicksPerSecond}) of shell + reaped children in ${fixed(w.seconds, 1)} s`,
          goal: `<= ${GOALS.waitingCpuPercent}`,
          result: verdict(w.percentOfCore, GOALS.waitingCpuPercent),
        });
      } else if (id === 'api') {
        const loads: ApiLoad[] = [];
        for (const home of ['fresh', '/nonexistent'] as Home[]) {
          for (const waitS of options.apiWaits) {
            const a = await apiLoad(waitS * 1000, home);
            loads.push(a);
            const label = home === 'fresh'
              ? `HOME a fresh writable dir (kubectl ${a.cached ? 'wrote' : 'did not write'} a discovery cache)`
              : 'HOME=/nonexistent (kubectl cannot cache)';
            rows.push({
              case: `Job waiter, ~${waitS} s wait`,
              measure: 'API requests: discovery / LIST / WATCH (total)',
              value: `${a.discovery} / ${a.lists} / ${a.watches} (${a.discovery + a.lists + a.watches})`,
              detail: `${label}; in ${fixed(a.seconds, 1)} s, vs ${Math.round(a.seconds)} for 1-s polling`
                + `${a.other.length ? `; other: ${a.other.join(', ')}` : ''}`,
            });
          }
        }
        raw[id] = loads;
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      errors.push(`${id}: ${message}`);
      rows.push({ case: id, measure: 'ERROR', value: '-', detail: message.split('\n')[0], result: 'ERROR' });
      progress(`bench: ${id} failed: ${message}`);
    } finally {
      killScripts();
    }
  }

  const atEnd = machine();
  const header = {
    date: startedAt.toISOString(),
    command,
    node: atStart.node,
    nproc: atStart.nproc,
    cpuModel: atStart.cpuModel,
    loadAverage: { start: atStart.loadAverage, end: atEnd.loadAverage },
    library: version,
    seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
  };
  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}${options.quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify({ header, options, rows, errors, raw }, undefined, 2) + '\n');

  const cell = (s: string | undefined) => (s ?? '-').replace(/\|/g, '\\|');
  const lines = [
    `## cdk8s-ordered benchmark, ${header.date}`,
    '',
    `- command: \`${command}\``,
    `- node ${header.node}, nproc ${header.nproc}, CPU ${header.cpuModel}; load average (1/5/15 min) at start ${atStart.loadAverage.join(' ')}, `
      + `at end ${atEnd.loadAverage.join(' ')}; ${header.seconds} s in all`,
    `- library: build/ of commit ${version.commit}${version.libChanged ? ' with uncommitted changes in lib/' : ''}`
      + `${version.buildOlderThanLib ? ' (WARNING: build/ is older than lib/)' : ''}`,
    `- synthesis: ${options.procs} processes x ${options.reps} timed reps per side (plus 1 warm-up rep per process, not counted), `
      + 'plain and ordered processes interleaved (order alternating per round), `gc()` before each rep, CPU = user + system of construction + `synthYaml()`',
    ...(options.quick ? ['- *: --quick: N divided by 10, fewer reps and trials: not the conditions the goals are stated for'] : []),
    '',
    '| case | measure | value | spread / detail | goal | result |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${[r.case, r.measure, r.value, r.detail, r.goal, r.result].map(cell).join(' | ')} |`),
    '',
    `Samples: ${relative(process.cwd(), file)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return errors.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  killScripts();
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
