/**
 * One synthesis process (run by run.ts, compiled, with `node --expose-gc`):
 *
 *   node --expose-gc synth-child.js SIDE N EDGES REPS [--charts K] [--additions FILE]
 *
 * `--charts K` splits the N components over K charts (workload.ts). SIDE
 * `floor` (see floor.ts) reads what the library adds from the JSON file that
 * `--additions` names, which the harness wrote.
 *
 * Loads every module first, then runs one warm-up rep and REPS timed reps.
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

function rep(run: () => string): { rep: Rep; yaml: string } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const yaml = run();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  return { rep: { cpuMs: (cpu.user + cpu.system) / 1000, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, wallMs }, yaml };
}

/** The warm-up rep, and the size of its YAML (the string itself is not kept, so it does not count in later reps' memory). */
function warmUp(run: () => string): { warmup: Rep; bytes: number; objects: number } {
  const { rep: warmup, yaml } = rep(run);
  return { warmup, bytes: Buffer.byteLength(yaml), objects: (yaml.match(/^kind: /gm) ?? []).length };
}

function main(): void {
  const [side, n, edgeCount, reps] = [process.argv[2] as Side, Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
  const option = (flag: string) => {
    const i = process.argv.indexOf(flag, 6);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const additionsFile = option('--additions');
  const charts = Number(option('--charts') ?? 1);
  if (!['plain', 'ordered', 'floor'].includes(side) || !(n > 0) || !(edgeCount >= 0) || !(reps > 0) || !(charts >= 1)
    || (side === 'floor') !== (additionsFile !== undefined) || (side === 'floor' && charts !== 1)) {
    throw new Error('usage: node --expose-gc synth-child.js plain|ordered|floor N EDGES REPS [--charts K] [--additions FILE (floor only, one chart)]');
  }
  const lib = library();
  const edges = dependencyEdges(n, edgeCount);
  const additions = additionsFile === undefined ? undefined : JSON.parse(readFileSync(additionsFile, 'utf8')) as FloorAdditions;
  const run = () => (additions ? buildFloorApp(lib, edges, additions) : buildApp(lib, side as 'plain' | 'ordered', edges, charts)).synthYaml();
  const startRssKiB = process.memoryUsage().rss / 1024;
  const { warmup, bytes, objects } = warmUp(run);
  const timed: Rep[] = [];
  for (let r = 0; r < reps; r++) {
    const { rep: x, yaml } = rep(run);
    if (Buffer.byteLength(yaml) !== bytes) throw new Error(`the YAML changed between reps (${bytes} then ${Buffer.byteLength(yaml)} bytes)`);
    timed.push(x);
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

main();
