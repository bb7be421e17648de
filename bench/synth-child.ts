/**
 * One synthesis process (run by run.ts, compiled, with `node --expose-gc`):
 *
 *   node --expose-gc synth-child.js SIDE N EDGES REPS [--charts K] [--additions FILE]
 *
 * `--charts K` splits the N components over K charts (workload.ts). SIDE
 * `floor` (see floor.ts) reads what the library adds from the JSON file that
 * `--additions` names, which the harness wrote.
 *
 * Loads every module first, then runs one warm-up rep and REPS timed reps,
 * letting what it wrote to stderr leave before each.
 * Each rep: `gc()`, then CPU time (user + system, `process.cpuUsage()`, all
 * of this process's threads) of building the app (App, Chart, Deployments,
 * Services, and on the ordered side the OrderedApp, `add` and `dependsOn`)
 * plus `app.synthYaml()`. Prints one JSON line (a ChildResult).
 */
import { readFileSync } from 'fs';
import { buildFloorApp, FloorAdditions } from './floor';
import { library } from './lib-under-test';
import { buildApp, dependencyEdges, Side } from './workload';

/** One rep: CPU and wall time of construction + synthYaml. */
export interface Rep {
  readonly cpuMs: number;
  readonly userMs: number;
  readonly systemMs: number;
  readonly wallMs: number;
}

/** What one process measured. */
export interface ChildResult {
  readonly side: Side;
  readonly n: number;
  readonly edges: number;
  /** The warm-up rep (not counted). */
  readonly warmup: Rep;
  readonly reps: Rep[];
  /** Bytes of the YAML (the same in every rep; checked). */
  readonly yamlBytes: number;
  /** Objects in the YAML (documents). */
  readonly objects: number;
  /** Resident set size after loading the modules, before the warm-up (KiB). */
  readonly startRssKiB: number;
  /** Peak resident set size of this process over its whole life (`process.resourceUsage().maxRSS`, KiB). */
  readonly maxRssKiB: number;
}

/**
 * One rep, and the size of its YAML. Only the numbers leave: the string is
 * dropped here, so no rep's output is still held while the next rep runs
 * (which would count it in that rep's peak memory, more so for the side with
 * the larger output).
 */
function rep(run: () => string): { rep: Rep; bytes: number; objects: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const yaml = run();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  return {
    rep: { cpuMs: (cpu.user + cpu.system) / 1000, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, wallMs },
    bytes: Buffer.byteLength(yaml),
    objects: documents(yaml),
  };
}

/**
 * The YAML documents in `yaml`, by their `kind:` lines. Counted with
 * `indexOf`, not a regular expression: V8 keeps the input of the last match
 * (`RegExp.input`) alive, which would hold this output into the next rep.
 */
function documents(yaml: string): number {
  let count = yaml.startsWith('kind: ') ? 1 : 0;
  for (let at = yaml.indexOf('\nkind: '); at >= 0; at = yaml.indexOf('\nkind: ', at + 1)) count++;
  return count;
}

/**
 * Waits until what this process wrote to stderr has left it. The library's
 * warnings (ORD001 for every waited-for workload without a readinessProbe:
 * 1.15 MB per rep at N = 3000) go to a pipe the harness reads; a write the
 * pipe cannot take at once stays queued in this process until the event loop
 * runs, which the synchronous reps never let it do. Unwaited, every rep's
 * warnings would stay in memory through the later reps.
 */
async function stderrDrained(): Promise<void> {
  while (process.stderr.writableLength > 0) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function main(): Promise<void> {
  const [side, n, edgeCount, reps] = [process.argv[2] as Side, Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
  const option = (flag: string) => {
    const i = process.argv.indexOf(flag, 6);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const additionsFile = option('--additions');
  const charts = Number(option('--charts') ?? 1);
  const upgradeChecks = !process.argv.includes('--no-upgrade-checks', 6);
  if (!['plain', 'ordered', 'floor'].includes(side) || !(n > 0) || !(edgeCount >= 0) || !(reps > 0) || !(charts >= 1)
    || (side === 'floor') !== (additionsFile !== undefined) || (side === 'floor' && charts !== 1)) {
    throw new Error('usage: node --expose-gc synth-child.js plain|ordered|floor N EDGES REPS [--charts K] [--no-upgrade-checks] '
      + '[--additions FILE (floor only, one chart)]');
  }
  const lib = library();
  const edges = dependencyEdges(n, edgeCount);
  const additions = additionsFile === undefined ? undefined : JSON.parse(readFileSync(additionsFile, 'utf8')) as FloorAdditions;
  const run = () => (additions ? buildFloorApp(lib, edges, additions) : buildApp(lib, side as 'plain' | 'ordered', edges, charts, upgradeChecks)).synthYaml();
  const startRssKiB = process.memoryUsage().rss / 1024;
  const { rep: warmup, bytes, objects } = rep(run);
  const timed: Rep[] = [];
  for (let r = 0; r < reps; r++) {
    await stderrDrained();
    const x = rep(run);
    if (x.bytes !== bytes || x.objects !== objects) {
      throw new Error(`the YAML changed between reps (${bytes} bytes in ${objects} documents, then ${x.bytes} in ${x.objects})`);
    }
    timed.push(x.rep);
  }
  const result: ChildResult = {
    side,
    n,
    edges: edgeCount,
    warmup,
    reps: timed,
    yamlBytes: bytes,
    objects,
    startRssKiB,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
