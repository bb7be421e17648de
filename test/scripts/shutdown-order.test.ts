import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { shutdownScript } from '../../lib/waiters';
import { useStandInApi } from '../support/kubectl-sandbox';
import { killScripts, PROMPT_MS, runScript, sleep, terminate } from '../support/run-script';

/**
 * The ordered-shutdown container run for real: busybox sh and the real
 * kubectl against a stand-in API server that lists the dependents' pods.
 */
jest.setTimeout(60_000);
afterEach(killScripts);

describe('ordered shutdown with the real kubectl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-shutdown-'));
  const { server, env: sandboxEnv } = useStandInApi();
  let base: Record<string, string>;

  beforeAll(() => {
    base = {
      ...sandboxEnv(),
      POD_NAMESPACE: 'shop',
      SHUTDOWN_DEPENDENTS: 'shop-api, shop-worker',
      SHUTDOWN_SELECTORS: 'app=api app=worker',
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('on SIGTERM it releases the app containers only once the dependents\' pods are gone', async () => {
    const flag = join(dir, 'released-1');
    server.putPod('shop', 'api-1', { app: 'api' });
    server.putPod('shop', 'worker-1', { app: 'worker' });
    server.putPod('other', 'api-2', { app: 'api' });
    const run = runScript(shutdownScript(), { ...base, SHUTDOWN_TIMEOUT: '30', SHUTDOWN_FLAG: flag });
    await sleep(500);
    run.child.kill('SIGTERM');
    await sleep(2_000);
    server.deletePod('shop', 'api-1');
    await sleep(2_000);
    expect(existsSync(flag)).toBe(false);
    expect(run.exited()).toBe(false);
    server.deletePod('shop', 'worker-1');
    const goneAt = Date.now();
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(existsSync(flag)).toBe(true);
    expect(result.exitedAt - goneAt).toBeLessThan(2_500);
    expect(result.log[0]).toBe('shutdown-order: this pod stops only after shop-api, shop-worker (at most 30s)');
    expect(result.log[result.log.length - 1]).toMatch(/^shutdown-order: dependents stopped after \d+s; releasing$/);
  });

  test('it releases anyway when the bound runs out, and says so', async () => {
    const flag = join(dir, 'released-2');
    server.putPod('shop', 'api-9', { app: 'api' });
    const run = runScript(shutdownScript(), { ...base, SHUTDOWN_TIMEOUT: '2', SHUTDOWN_FLAG: flag });
    await sleep(500);
    run.child.kill('SIGTERM');
    const result = await run.done;
    server.deletePod('shop', 'api-9');
    expect(result.code).toBe(0);
    expect(existsSync(flag)).toBe(true);
    expect(result.log[result.log.length - 1]).toMatch(/^shutdown-order: WARNING: dependents still running after [23]s \( app=api: 1 pod\(s\);\); releasing anyway$/);
  });
  test('a selector may name another namespace (NAMESPACE:SELECTOR): it waits for those pods too', async () => {
    // GIVEN dependents in the pod's namespace and in another one, and a pod of the same labels in a third
    const flag = join(dir, 'released-3');
    server.putPod('shop', 'api-1', { app: 'api' });
    server.putPod('jobs', 'worker-1', { app: 'worker' });
    server.putPod('other', 'worker-2', { app: 'worker' });
    const run = runScript(shutdownScript(), { ...base, SHUTDOWN_SELECTORS: 'app=api jobs:app=worker', SHUTDOWN_TIMEOUT: '30', SHUTDOWN_FLAG: flag });
    await sleep(500);
    run.child.kill('SIGTERM');
    // WHEN the dependent in the pod's namespace goes
    await sleep(1_500);
    server.deletePod('shop', 'api-1');
    await sleep(2_500);
    // THEN it still waits for the one in the other namespace, and says so
    expect(run.exited()).toBe(false);
    expect(existsSync(flag)).toBe(false);
    server.deletePod('jobs', 'worker-1');
    const result = await run.done;
    server.deletePod('other', 'worker-2');
    expect(result.code).toBe(0);
    expect(existsSync(flag)).toBe(true);
    expect(server.requests.some((r) => r.startsWith('GET /api/v1/namespaces/jobs/pods?labelSelector=app%3Dworker'))).toBe(true);
    expect(result.log[result.log.length - 1]).toMatch(/^shutdown-order: dependents stopped after \d+s; releasing$/);
  });

  test('with no dependent left it releases within a second of SIGTERM', async () => {
    const flag = join(dir, 'released-4');
    const run = runScript(shutdownScript(), { ...base, SHUTDOWN_TIMEOUT: '30', SHUTDOWN_FLAG: flag });
    await sleep(500);
    const { result, after } = await terminate(run);
    expect(result.code).toBe(0);
    expect(existsSync(flag)).toBe(true);
    expect(after).toBeLessThan(PROMPT_MS);
  });

  test('it releases when the bound runs out even while the API does not answer', async () => {
    // GIVEN an API server that never answers a list of pods
    const flag = join(dir, 'released-5');
    server.hang('pods');
    const run = runScript(shutdownScript(), { ...base, SHUTDOWN_TIMEOUT: '2', SHUTDOWN_FLAG: flag });
    await sleep(500);
    const { result, after } = await terminate(run);
    server.hang('pods', false);
    // THEN it releases within a second of its bound, saying it never learnt how many were left
    expect(result.code).toBe(0);
    expect(existsSync(flag)).toBe(true);
    expect(after).toBeLessThan(2_000 + PROMPT_MS);
    expect(result.log[result.log.length - 1]).toBe('shutdown-order: WARNING: dependents still running after 2s ( no answer from the API yet;); releasing anyway');
  });
});
