import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as net from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { WaitFor } from '../../lib';
import { ApiJudge, gatePollScript, gateWatchScript, NetworkCheck, Script } from '../../lib/waiters';
import { useStandInApi } from '../support/kubectl-sandbox';
import { BIG, bigReplyServer, freePort, killScripts, SHELLS, listen, PROMPT_MS, runScript, sleep, terminate, until } from '../support/run-script';
import { checkContext } from '../support/synth';

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

describe('gate keeper over a probe, what it writes and how it stops', () => {
  const { server, env: sandboxEnv } = useStandInApi();
  let base: Record<string, string>;

  beforeAll(() => {
    base = { ...sandboxEnv(), POD_NAME: 'api-7d9f-abcde', POD_NAMESPACE: 'shop', GATE_CONDITION: 'ordered.cdk8s.io/db', GATE_PERIOD: '1' };
  });

  test('any bytes in the message make valid JSON, the message kept as far as JSON allows', async () => {
    // GIVEN a description with quotes, backslashes, a tab, a newline, control characters and non-ASCII text,
    // and a probe whose last output line holds bytes that are not UTF-8
    const description = 'db "primary" \\ C:\\x\tline1\nline2 \u0001\u001f\u007f ünïcødé €';
    const dir = mkdtempSync(join(tmpdir(), 'ordered-gate-'));
    const flag = join(dir, 'ready');
    const probe = ['sh', '-c', `[ -e ${flag} ] && exit 0; printf 'bad bytes: \\377\\376 \\303\\050 "q" \\\\ end'; exit 3`];
    const before = server.patches.length;
    const run = runScript(gatePollScript(NetworkCheck.COMMAND), { ...base, WAIT_FOR: description }, probe);
    await sleep(2_000);
    writeFileSync(flag, '');
    await sleep(2_000);
    run.child.kill('SIGTERM');
    await run.done;
    rmSync(dir, { recursive: true, force: true });
    // THEN the stand-in API server parsed every PATCH, and the messages say what the gate keeper meant
    const patches = server.patches.slice(before);
    expect(patches.map((p) => p.invalid)).toEqual([undefined, undefined]);
    const [notReady, ready] = patches.map((p) => p.body.status.conditions[0]);
    expect(notReady.status).toBe('False');
    expect(notReady.message).toBe('command exited 3: bad bytes: \ufffd\ufffd \ufffd( "q" \\ end');
    expect(ready.status).toBe('True');
    expect(ready.message).toBe(`${description} is ready`);
  });

  test.each(SHELLS)('under %s it stops within a second of SIGTERM while its probe waits on a server that never answers', async (_name, shell) => {
    const port = await freePort();
    const sockets: net.Socket[] = [];
    const silent = net.createServer({ allowHalfOpen: true }, (s) => { sockets.push(s); });
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    const run = runScript(gatePollScript(NetworkCheck.HTTP), { ...base, WAIT_FOR: 'http db', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/', WAIT_STATUS: '200' }, [], shell);
    await sleep(1_500);
    const { result, after } = await terminate(run);
    sockets.forEach((s) => s.destroy());
    silent.close();
    expect(result.code).toBe(0);
    expect(after).toBeLessThan(PROMPT_MS);
    expect(result.log[result.log.length - 1]).toBe('gate: stopping');
  });
});

describe('gate keeper over a probe whose output is more than a pipe holds (64 KiB)', () => {
  const { server, env: sandboxEnv } = useStandInApi();
  let base: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'ordered-gate-big-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    base = { ...sandboxEnv(), POD_NAME: 'api-7d9f-abcde', POD_NAMESPACE: 'shop', GATE_CONDITION: 'ordered.cdk8s.io/db', GATE_PERIOD: '1' };
  });

  /** Runs a gate keeper for 5 s while its dependency turns ready after 2.5 s; the conditions it wrote, and its log. */
  async function gateOver(script: Script, env: Record<string, string>, args: string[], ready: () => void) {
    const before = server.patches.length;
    const run = runScript(script, { ...base, ...env }, args);
    await sleep(2_500);
    ready();
    await sleep(2_500);
    run.child.kill('SIGTERM');
    const result = await run.done;
    return { conditions: server.patches.slice(before).map((p) => p.body.status.conditions[0]), log: result.log };
  }

  test('a command that prints 70 KB: the gate turns False, then True once the command passes', async () => {
    const flag = join(dir, 'ready');
    const probe = ['sh', '-c', `head -c ${BIG} /dev/zero | tr '\\0' x; echo; [ -e ${flag} ]`];
    const { conditions, log } = await gateOver(gatePollScript(NetworkCheck.COMMAND), { WAIT_FOR: 'chatty probe' }, probe, () => writeFileSync(flag, ''));
    expect(conditions.map((c) => c.status)).toEqual(['False', 'True']);
    expect(conditions[0].message).toMatch(/^command exited 1: x+$/);
    expect(log).toContain('gate: ordered.cdk8s.io/db=True: chatty probe is ready');
  });

  test('an HTTP server whose first replies are one 70 KB line, then 200: the gate turns False, then True', async () => {
    const port = await freePort();
    let big = true;
    const api = await bigReplyServer(port, () => big);
    const { conditions } = await gateOver(gatePollScript(NetworkCheck.HTTP),
      { WAIT_FOR: 'chatty api', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/', WAIT_STATUS: '200' }, [], () => { big = false; });
    api.close();
    expect(conditions.map((c) => c.status)).toEqual(['False', 'True']);
    expect(conditions[0].message).toMatch(/^no HTTP response \(x+\)$/);
  });
});

describe('gate keeper over a watch, with the real kubectl', () => {
  const { server, env: sandboxEnv } = useStandInApi();
  let env: Record<string, string>;

  beforeAll(() => {
    // a gate on a Secret existing, its environment as the library renders it
    const secret = WaitFor.secret('api-tls', { namespace: 'shop' })._render(checkContext({ path: 'test' }));
    env = {
      ...sandboxEnv(),
      POD_NAME: 'api-7d9f-abcde',
      POD_NAMESPACE: 'shop',
      GATE_CONDITION: 'ordered.cdk8s.io/tls',
      WAIT_FOR: secret.description,
      ...Object.fromEntries(secret.env),
    };
  });

  test('turns the gate True when the Secret is created, False when it is deleted, True when it is back', async () => {
    const before = server.patches.length;
    const run = runScript(gateWatchScript(ApiJudge.EXISTS), env);
    await until(() => server.openWatches() === 1);
    server.putSecret('shop', 'api-tls');
    await sleep(1_500);
    server.deleteSecret('shop', 'api-tls');
    await sleep(1_500);
    server.putSecret('shop', 'api-tls');
    await sleep(1_500);
    run.child.kill('SIGTERM');
    const result = await run.done;

    const conditions = server.patches.slice(before).map((p) => p.body.status.conditions[0]);
    expect(conditions.map((c) => c.status)).toEqual(['True', 'False', 'True']);
    expect(conditions[1]).toMatchObject({ type: 'ordered.cdk8s.io/tls', reason: 'NotReady', message: 'api-tls was deleted' });
    expect(result.log).toContain('gate: ordered.cdk8s.io/tls=False: api-tls was deleted');
    server.deleteSecret('shop', 'api-tls');
  });

  test.each(SHELLS)('under %s a Secret being deleted (finalizers pending) turns the gate False, and one made anew True', async (_name, shell) => {
    server.putSecret('shop', 'api-tls');
    const before = server.patches.length;
    const run = runScript(gateWatchScript(ApiJudge.EXISTS), env, [], shell);
    await until(() => server.openWatches() === 1 && server.patches.length > before);
    // WHEN its deletion starts, THEN the gate turns False
    server.startDeleting('secrets', 'shop', 'api-tls');
    await until(() => server.patches.length > before + 1);
    // WHEN it is gone and made anew, THEN True
    server.sendDeleted('secrets', 'shop', 'api-tls');
    server.putSecret('shop', 'api-tls');
    await until(() => server.patches.length > before + 2);
    run.child.kill('SIGTERM');
    await run.done;
    server.deleteSecret('shop', 'api-tls');
    const conditions = server.patches.slice(before).map((p) => p.body.status.conditions[0]);
    expect(conditions.map((c) => c.status)).toEqual(['True', 'False', 'True']);
    expect(conditions[1]).toMatchObject({ reason: 'NotReady', message: 'api-tls is being deleted' });
  });

  test('a Secret deleted while no watch was open turns the gate False when the next watch starts', async () => {
    server.putSecret('shop', 'api-tls');
    const before = server.patches.length;
    const run = runScript(gateWatchScript(ApiJudge.EXISTS), env);
    await until(() => server.openWatches() === 1 && server.patches.length > before);
    // WHEN the API server ends the watch and the Secret goes before the keeper watches again
    server.dropWatches();
    server.deleteSecret('shop', 'api-tls');
    await sleep(3_000);
    run.child.kill('SIGTERM');
    await run.done;
    const conditions = server.patches.slice(before).map((p) => p.body.status.conditions[0]);
    expect(conditions.map((c) => c.status)).toEqual(['True', 'False']);
    expect(conditions[1].message).toBe('nothing matches any more (deleted while no watch was open)');
  });

  test('backs off when the API refuses the watch (403), instead of asking every second', async () => {
    server.forbid('secrets');
    const before = server.requests.length;
    const run = runScript(gateWatchScript(ApiJudge.EXISTS), env);
    await sleep(10_000);
    run.child.kill('SIGTERM');
    const result = await run.done;
    server.forbid('secrets', false);
    // lists at 0, 1, 3 and 7 s (backoff 1, 2, 4 s), not ten
    const lists = server.requests.slice(before).filter((r) => r.includes('/secrets'));
    expect(lists.length).toBeGreaterThanOrEqual(3);
    expect(lists.length).toBeLessThanOrEqual(5);
    expect(result.log.join('\n')).toContain('gate: kubectl: Error from server (Forbidden)');
  });

  test('backs off when a PATCH is refused (403), and sets the gate once it is allowed', async () => {
    // GIVEN a Secret that exists, and a pod status the keeper may not patch
    server.putSecret('shop', 'api-tls');
    server.forbid('pods/status');
    const before = server.requests.length;
    const run = runScript(gateWatchScript(ApiJudge.EXISTS), env);
    // WHEN it tries for 10 s
    await sleep(10_000);
    const tries = server.requests.slice(before).filter((r) => r.startsWith('PATCH ')).length;
    // THEN it tried at about 0, 1, 3 and 7 s, not every second
    expect(tries).toBeGreaterThanOrEqual(3);
    expect(tries).toBeLessThanOrEqual(5);
    // AND once allowed, the gate is set
    server.forbid('pods/status', false);
    const patched = server.patches.length;
    while (server.patches.length === patched) await sleep(250);
    run.child.kill('SIGTERM');
    const result = await run.done;
    server.deleteSecret('shop', 'api-tls');
    expect(server.patches[server.patches.length - 1].body.status.conditions[0].status).toBe('True');
    expect(result.log.join('\n')).toContain('gate: could not set ordered.cdk8s.io/tls=True: Error from server (Forbidden)');
  });

  test.each(SHELLS)('under %s it stops within a second of SIGTERM while its watch is open, and closes the watch', async (_name, shell) => {
    const run = runScript(gateWatchScript(ApiJudge.EXISTS), env, [], shell);
    // (once its watch is open, however long kubectl takes to start on a busy machine)
    await until(() => server.openWatches() === 1);
    await sleep(500);
    const { result, after } = await terminate(run);
    expect(result.code).toBe(0);
    expect(after).toBeLessThan(PROMPT_MS);
    expect(result.log[result.log.length - 1]).toBe('gate: stopping');
    await sleep(300);
    expect(server.openWatches()).toBe(0);
  });
});
