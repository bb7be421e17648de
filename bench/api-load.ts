/**
 * API load of an API waiter: the real Job waiter script under busybox `sh`
 * with the real kubectl (test/support/kubectl-sandbox.ts), against a fresh
 * stand-in API server (test/support/stand-in-apiserver.ts) per wait.
 */
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { library, waiterScript } from './lib-under-test';
import { kubectlSandbox } from '../test/support/kubectl-sandbox';
import { killScripts, runScript, sleep } from '../test/support/run-script';
import { StandInApiServer } from '../test/support/stand-in-apiserver';

/** Where kubectl's HOME is: a fresh writable folder (it may cache discovery), or none, as in the waiter container. */
export type Home = 'fresh' | '/nonexistent';

/** What the Job waiter asked the API server for during one wait. */
export interface ApiLoad {
  readonly home: Home;
  /** When the Job was marked complete, after the waiter started (ms). */
  readonly waitMs: number;
  /** Script start to script exit. */
  readonly seconds: number;
  readonly discovery: number;
  readonly lists: number;
  readonly watches: number;
  readonly other: string[];
  /** Whether kubectl wrote a discovery cache under HOME. */
  readonly cached: boolean;
}

/**
 * Runs the real Job waiter (its environment rendered by
 * `WaitFor.jobComplete('migrate', { namespace: 'shop' })`, as in
 * test/api-waiters.test.ts) against a fresh stand-in API server, with the Job
 * existing but not complete; after `waitMs` marks it Complete, and counts the
 * requests made from the waiter's start to its exit. Bounded: WAIT_TIMEOUT is
 * the wait + 30 s, and the script is killed 10 s after that.
 */
export async function apiLoad(waitMs: number, home: Home): Promise<ApiLoad> {
  const server = new StandInApiServer();
  const sandbox = kubectlSandbox(await server.start());
  const homeDir = home === 'fresh' ? mkdtempSync(join(tmpdir(), 'ordered-bench-home-')) : home;
  try {
    const rendered = library().WaitFor.jobComplete('migrate', { namespace: 'shop' })._render({ path: 'bench', service: () => { throw new Error('no Service here'); } });
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
    const run = runScript(waiterScript('job'), env);
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
      home,
      waitMs,
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
