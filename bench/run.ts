/**
 * Benchmarks: one run, one table. `npx ts-node -P test/tsconfig.json bench/run.ts`
 *
 * 1. Synthesis of N components (~3 dependsOn edges each) with cdk8s-ordered,
 *    against the same workloads in plain cdk8s-plus-27, in the same run: median
 *    wall time and the ratio; heap used after synthesis; peak resident set
 *    size of the child process; growth from N=100 to N=1000. Each
 *    configuration runs in a fresh child process so memory peaks don't mix.
 * 2. Graph work alone (cycle check + topological order) at 1k, 10k, 100k
 *    components, to show it stays linear.
 * 3. Waiter latency: from "listener up" to "waiter exited", TCP and HTTP
 *    scripts under busybox sh, median and worst of repeated runs.
 * 4. API load of an API waiter: the real Job waiter script (busybox sh, the
 *    real kubectl) against the stand-in API server, for waits of ~5 s and
 *    ~20 s before the Job completes; the requests it made (discovery GETs,
 *    LISTs, WATCHes), against one request a second for a 1-second polling
 *    loop. Once with HOME a fresh writable directory (kubectl may cache
 *    discovery), once with HOME=/nonexistent (as in the waiter container,
 *    whose root filesystem is read-only).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import * as http from 'http';
import { cpus, tmpdir } from 'os';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, WaitFor } from '../lib';
import { findCycles, topologicalOrder } from '../lib/graph';
import { ApiJudge, apiScript, NetworkCheck, networkScript } from '../lib/waiters';
import { kubectlSandbox } from '../test/support/kubectl-sandbox';
import { freePort, killScripts, listen, runScript, sleep } from '../test/support/run-script';
import { StandInApiServer } from '../test/support/stand-in-apiserver';
import { checkContext } from '../test/support/synth';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A seeded random DAG of n workloads; with `ordered`, each depends on up to 3 earlier ones. */
function synthOnce(n: number, ordered: boolean): number {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const app = new App();
  const chart = new Chart(app, 'bench');
  const oa = ordered ? new OrderedApp(chart, 'ordered') : undefined;
  const comps: any[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10 === 0 ? 'job' : i % 3 === 0 ? 'sts' : 'dep';
    const containers = [{ image: `app${i}:1.0.0`, portNumber: 8000 + (i % 1000) }];
    const w = kind === 'job' ? new kplus.Job(chart, `w${i}`, { containers: [{ image: `job${i}:1.0.0` }] })
      : kind === 'sts' ? new kplus.StatefulSet(chart, `w${i}`, { containers })
        : new kplus.Deployment(chart, `w${i}`, { containers });
    if (kind === 'dep') (w as kplus.Deployment).exposeViaService();
    const c = oa?.add(w);
    if (oa && i > 0) {
      for (let e = 0; e < 3; e++) c!.dependsOn(comps[Math.floor(rand() * i)]);
    }
    comps.push(c);
  }
  const t0 = process.hrtime.bigint();
  app.synthYaml();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

interface SynthResult {
  /** Median synth time of 3 runs after a warm-up. */
  ms: number;
  /** Heap used after the last synth. */
  heapMB: number;
  /** Peak resident set size of the whole child process (ts-node included), over all its runs. */
  maxRssMB: number;
}

/** Child-process entry: prints a SynthResult. */
function child(n: number, ordered: boolean) {
  const times = [];
  for (let r = 0; r < 4; r++) times.push(synthOnce(n, ordered));
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  const result: SynthResult = { ms: median(times.slice(1)), heapMB: heap, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
}

function measure(n: number, ordered: boolean): SynthResult {
  const out = execFileSync('npx', ['ts-node', '-P', 'test/tsconfig.json', __filename, 'child', String(n), String(ordered)],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function graphWork(n: number): number {
  const pick = (i: number, k: number) => Math.floor(((i * 7919 + k * 104729) % 1000003) / 1000003 * i);
  const edges = Array.from({ length: n }, (_, i) => (i === 0 ? [] : [0, 1, 2].map((k) => pick(i, k))));
  const t0 = process.hrtime.bigint();
  findCycles(n, edges);
  topologicalOrder(n, edges);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function latency(kind: 'tcp' | 'http', runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const port = await freePort();
    const env: Record<string, string> = kind === 'tcp'
      ? { WAIT_FOR: 'bench', WAIT_ADDRESSES: `127.0.0.1:${port}` }
      : { WAIT_FOR: 'bench', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/', WAIT_STATUS: '200' };
    const run = runScript(networkScript(kind === 'tcp' ? NetworkCheck.TCP : NetworkCheck.HTTP), env);
    await sleep(300 + ((r * 397) % 1200));
    let up: number;
    let close: () => void;
    if (kind === 'tcp') {
      const s = await listen(port);
      up = Date.now();
      close = () => s.close();
    } else {
      const s = http.createServer((_, res) => res.end('ok'));
      await new Promise<void>((res) => s.listen(port, '127.0.0.1', res));
      up = Date.now();
      close = () => { s.closeAllConnections(); s.close(); };
    }
    const result = await run.done;
    close();
    out.push(result.exitedAt - up);
  }
  return out;
}

/** What the Job waiter asked the API server for during one wait. */
interface ApiLoad {
  /** Script start to script exit. */
  seconds: number;
  discovery: number;
  lists: number;
  watches: number;
  other: string[];
  /** Whether kubectl wrote a discovery cache under HOME. */
  cached: boolean;
}

/**
 * Runs the real Job waiter (environment rendered by the library, as in
 * test/api-waiters.test.ts) against a fresh stand-in API server, with the Job
 * existing but not complete; after `waitMs` marks it Complete, and counts the
 * requests made from the waiter's start to its exit. Bounded: WAIT_TIMEOUT is
 * the wait + 30 s, and the script is killed 10 s after that.
 */
async function apiLoad(waitMs: number, home: 'fresh' | '/nonexistent'): Promise<ApiLoad> {
  const server = new StandInApiServer();
  const sandbox = kubectlSandbox(await server.start());
  const homeDir = home === 'fresh' ? mkdtempSync(join(tmpdir(), 'ordered-bench-home-')) : home;
  try {
    const rendered = WaitFor.jobComplete('migrate', { namespace: 'shop' })._render(checkContext({ path: 'bench' }));
    const limit = Math.ceil(waitMs / 1000) + 30;
    const env = {
      ...sandbox.env,
      HOME: homeDir,
      WAIT_FOR: rendered.description,
      ...Object.fromEntries(rendered.env),
      WAIT_TIMEOUT: String(limit),
      WAIT_ON_TIMEOUT: 'fail',
    };
    server.putJob('shop', 'migrate', []);
    const before = server.requests.length;
    const run = runScript(apiScript(ApiJudge.JOB), env);
    await sleep(waitMs);
    server.putJob('shop', 'migrate', [{ type: 'Complete', status: 'True' }]);
    const result = await Promise.race([run.done, sleep((limit + 10) * 1000).then(() => undefined)]);
    if (!result) {
      run.child.kill('SIGKILL');
      throw new Error(`job waiter (HOME=${home}) did not exit within ${limit + 10}s`);
    }
    const last = result.log[result.log.length - 1] ?? '';
    if (result.code !== 0 || !/ is ready after \d+s$/.test(last)) {
      throw new Error(`job waiter (HOME=${home}) exited ${result.code}:\n${result.log.join('\n')}`);
    }
    const requests = server.requests.slice(before);
    const isJobs = (r: string) => r.startsWith('GET /apis/batch/v1/namespaces/shop/jobs?');
    const watches = requests.filter((r) => isJobs(r) && /[?&]watch=true(&|$)/.test(r));
    const lists = requests.filter((r) => isJobs(r) && !watches.includes(r));
    const discovery = requests.filter((r) => /^GET \/(api|apis)(\/[^/?]+){0,2}(\?|$)/.test(r));
    return {
      seconds: (result.exitedAt - result.startedAt) / 1000,
      discovery: discovery.length,
      lists: lists.length,
      watches: watches.length,
      other: requests.filter((r) => !isJobs(r) && !discovery.includes(r)),
      cached: home === 'fresh' && existsSync(join(homeDir, '.kube', 'cache', 'discovery')),
    };
  } finally {
    killScripts();
    await server.stop();
    sandbox.cleanUp();
    if (home === 'fresh') rmSync(homeDir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.argv[2] === 'child') return child(Number(process.argv[3]), process.argv[4] === 'true');
  const rows: string[] = ['| measure | value |', '|---|---|'];
  const r: Record<string, SynthResult> = {};
  for (const n of [100, 1000]) {
    for (const o of [false, true]) r[`${n}-${o}`] = measure(n, o);
    const [plain, ord] = [r[`${n}-false`], r[`${n}-true`]];
    rows.push(`| synth N=${n}: cdk8s-plus alone / with cdk8s-ordered (median ms) | ${plain.ms.toFixed(0)} / ${ord.ms.toFixed(0)} (ratio ${(ord.ms / plain.ms).toFixed(2)}) |`);
    rows.push(`| synth N=${n}: heap used after synth, plain / ordered (MiB) | ${plain.heapMB.toFixed(0)} / ${ord.heapMB.toFixed(0)} (ratio ${(ord.heapMB / plain.heapMB).toFixed(2)}) |`);
    rows.push(`| synth N=${n}: peak RSS of the child process, plain / ordered (MiB) | ${plain.maxRssMB.toFixed(0)} / ${ord.maxRssMB.toFixed(0)} (ratio ${(ord.maxRssMB / plain.maxRssMB).toFixed(2)}) |`);
  }
  rows.push(`| growth 100 -> 1000, plain / ordered | x${(r['1000-false'].ms / r['100-false'].ms).toFixed(1)} / x${(r['1000-true'].ms / r['100-true'].ms).toFixed(1)} |`);
  const g = [1_000, 10_000, 100_000].map((n) => { graphWork(n); return median([graphWork(n), graphWork(n), graphWork(n)]); });
  rows.push(`| cycle check + topological order, 1k / 10k / 100k components (ms) | ${g.map((x) => x.toFixed(1)).join(' / ')} |`);
  for (const kind of ['tcp', 'http'] as const) {
    const l = await latency(kind, 15);
    rows.push(`| ${kind} waiter: listener up -> waiter exit, median / worst of 15 (ms) | ${median(l)} / ${Math.max(...l)} |`);
  }
  try {
    for (const home of ['fresh', '/nonexistent'] as const) {
      for (const waitS of [5, 20]) {
        const a = await apiLoad(waitS * 1000, home);
        const label = home === 'fresh'
          ? `HOME a fresh writable dir (kubectl ${a.cached ? 'wrote' : 'did not write'} a discovery cache)`
          : 'HOME=/nonexistent (kubectl cannot cache)';
        const other = a.other.length ? `, other: ${a.other.join(', ')}` : '';
        rows.push(`| job waiter, ~${waitS} s wait, ${label}: API requests discovery / LIST / WATCH (total) vs 1-s polling | `
          + `${a.discovery} / ${a.lists} / ${a.watches} (${a.discovery + a.lists + a.watches}) in ${a.seconds.toFixed(1)} s vs ${Math.round(a.seconds)}${other} |`);
      }
    }
  } finally {
    killScripts();
  }
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(`machine: ${cpus().length} x ${cpu}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log(rows.join('\n'));
}

void main();
