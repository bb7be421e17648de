import { NetworkCheck, gatePollScript } from '../lib/waiters';
import { useStandInApi } from './support/kubectl-sandbox';
import { freePort, killScripts, listen, runScript, sleep } from './support/run-script';

/**
 * The readiness-gate keeper run for real: busybox sh and the real kubectl
 * against a stand-in API server that records the PATCH requests it gets.
 */
jest.setTimeout(60_000);
afterEach(killScripts);

describe('gate keeper with the real kubectl', () => {
  const { server, env: sandboxEnv } = useStandInApi();
  let base: Record<string, string>;

  beforeAll(() => {
    base = {
      ...sandboxEnv(),
      POD_NAME: 'api-7d9f-abcde',
      POD_NAMESPACE: 'shop',
      GATE_CONDITION: 'ordered.cdk8s.io/db',
      GATE_PERIOD: '1',
    };
  });

  test('sets the condition False, then True when the dependency listens, then False when it goes: one PATCH per change', async () => {
    const port = await freePort();
    const run = runScript(gatePollScript(NetworkCheck.TCP), { ...base, WAIT_FOR: 'tcp db', WAIT_ADDRESSES: `127.0.0.1:${port}` });
    await sleep(3_000);
    const db = await listen(port);
    await sleep(3_000);
    db.close();
    await sleep(3_000);
    run.child.kill('SIGTERM');
    const result = await run.done;

    const statuses = server.patches.map((p) => p.body.status.conditions[0].status);
    expect(statuses).toEqual(['False', 'True', 'False']);
    for (const p of server.patches) {
      expect(p.path).toBe('/api/v1/namespaces/shop/pods/api-7d9f-abcde/status');
      expect(p.contentType).toBe('application/strategic-merge-patch+json');
      expect(Object.keys(p.body)).toEqual(['status']);
      expect(p.body.status.conditions).toHaveLength(1);
      expect(p.body.status.conditions[0]).toMatchObject({ type: 'ordered.cdk8s.io/db' });
      expect(p.body.status.conditions[0].lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(server.patches[1].body.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Ready', message: 'tcp db is ready' });
    expect(server.patches[0].body.status.conditions[0]).toMatchObject({ status: 'False', reason: 'NotReady' });
    expect(result.log).toContain('gate: ordered.cdk8s.io/db=True: tcp db is ready');
    expect(result.log[result.log.length - 1]).toBe('gate: stopping');
  });
});
