import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { shutdownScript } from '../lib/waiters';
import { useStandInApi } from './support/kubectl-sandbox';
import { killScripts, runScript, sleep } from './support/run-script';

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
});
