import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { WaitFor } from '../../lib';
import { ApiJudge, apiScript } from '../../lib/waiters';
import { kubectlSandbox, useStandInApi } from '../support/kubectl-sandbox';
import { BUSYBOX, busyboxPath, killScripts, SHELLS, PROMPT_MS, runScript, sleep, terminate, until } from '../support/run-script';
import { checkContext } from '../support/synth';

/**
 * The Job waiter run for real: busybox sh and the real kubectl (v1.31, from
 * the npm kubectl layer) against a stand-in API server on loopback.
 */
jest.setTimeout(60_000);
afterEach(killScripts);

describe('job waiter with the real kubectl', () => {
  const { server, env: sandboxEnv } = useStandInApi();
  let env: Record<string, string>;

  beforeAll(() => {
    // the waiter's own environment, exactly as the library renders it
    const rendered = WaitFor.jobComplete('migrate', { namespace: 'shop' })._render(checkContext({ path: 'test' }));
    env = {
      ...sandboxEnv(),
      WAIT_FOR: rendered.description,
      WAIT_PROGRESS: '1',
      ...Object.fromEntries(rendered.env),
    };
  });

  test('waits for a Job that does not exist yet, then completes; it watches, not polls', async () => {
    const before = server.requests.length;
    const run = runScript(apiScript(ApiJudge.JOB), env);
    await sleep(2_000);
    server.putJob('shop', 'migrate', []);
    await sleep(2_000);
    expect(run.exited()).toBe(false);
    server.putJob('shop', 'migrate', [{ type: 'Complete', status: 'True' }]);
    const doneAt = Date.now();
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.exitedAt - doneAt).toBeLessThan(1_500);
    expect(result.log.join('\n')).toContain('wait-for: the Job has not completed yet');
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: job migrate in namespace shop complete is ready after \d+s$/);
    expect(result.log).not.toContain('Terminated'); // the shell's note on the watch it stopped
    // one LIST and one WATCH on that Job by name, whatever the wait took (plus discovery)
    const jobRequests = server.requests.slice(before).filter((r) => r.includes('/jobs'));
    expect(jobRequests).toEqual([
      'GET /apis/batch/v1/namespaces/shop/jobs?fieldSelector=metadata.name%3Dmigrate&limit=500',
      expect.stringMatching(/^GET \/apis\/batch\/v1\/namespaces\/shop\/jobs\?fieldSelector=metadata\.name%3Dmigrate&resourceVersion=\d+&watch=true$/),
    ]);
  });

  test('watches again when the API server ends the watch, and still sees the Job complete', async () => {
    // GIVEN a waiter watching a Job that has not completed
    server.putJob('shop', 'migrate', []);
    const before = server.requests.length;
    const run = runScript(apiScript(ApiJudge.JOB), env);
    await sleep(1_500);
    // WHEN the API server ends the watch, and the Job completes while no watch is open
    server.dropWatches();
    server.putJob('shop', 'migrate', [{ type: 'Complete', status: 'True' }]);
    const result = await run.done;
    // THEN the waiter says the watch ended, lists and watches again, and finds the Job complete
    expect(result.code).toBe(0);
    expect(result.log.join('\n')).toMatch(/wait-for: watch ended \(kubectl exit 0\); the Job has not completed yet/);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: job migrate in namespace shop complete is ready after \d+s$/);
    const lists = server.requests.slice(before).filter((r) => r.includes('/jobs') && !r.includes('watch=true'));
    expect(lists).toHaveLength(2);
  });

  test('fails after its timeout, saying what it waited for and why', async () => {
    server.putJob('shop', 'migrate', []);
    const run = runScript(apiScript(ApiJudge.JOB), { ...env, WAIT_TIMEOUT: '3', WAIT_ON_TIMEOUT: 'fail' });
    const result = await run.done;
    expect(result.code).toBe(1);
    expect(result.log[0]).toBe('wait-for: waiting for job migrate in namespace shop complete (timeout 3s, then fail)');
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: ERROR: timed out after [34]s waiting for job migrate in namespace shop complete: the Job has not completed yet$/);
  });

  test('an API error or an unreachable API server is a reason to keep waiting, never a verdict', async () => {
    // GIVEN a Secret waiter (any object line means "it exists") whose API answers with errors
    const secret = WaitFor.secret('api-tls', { namespace: 'shop' })._render(checkContext({ path: 'test' }));
    const secretEnv = { ...sandboxEnv(), WAIT_FOR: secret.description, WAIT_TIMEOUT: '3', ...Object.fromEntries(secret.env) };
    const unreachable = kubectlSandbox('http://127.0.0.1:9');
    server.forbid('secrets');
    try {
      for (const waiterEnv of [secretEnv, { ...secretEnv, KUBECONFIG: unreachable.env.KUBECONFIG }]) {
        // WHEN it runs until its timeout
        const result = await runScript(apiScript(ApiJudge.EXISTS), waiterEnv).done;
        // THEN it never calls the Secret ready, and says what kubectl said
        expect(result.code).toBe(1);
        expect(result.log.join('\n')).not.toContain('is ready');
        expect(result.log[result.log.length - 1]).toMatch(/^wait-for: ERROR: timed out after [34]s waiting for Secret api-tls in namespace shop exists: kubectl: /);
      }
    } finally {
      server.forbid('secrets', false);
      unreachable.cleanUp();
    }
  });

  test('backs off when the API refuses the watch, instead of asking every second', async () => {
    // GIVEN a Secret waiter whose API answers every list with an error (403: its Role does not allow it)
    const secret = WaitFor.secret('api-tls', { namespace: 'shop' })._render(checkContext({ path: 'test' }));
    const before = server.requests.length;
    server.forbid('secrets');
    // WHEN it waits for 10 s
    const result = await runScript(apiScript(ApiJudge.EXISTS), { ...sandboxEnv(), WAIT_FOR: secret.description, WAIT_TIMEOUT: '10', ...Object.fromEntries(secret.env) }).done;
    server.forbid('secrets', false);
    // THEN it tried at 0, 1, 3 and 7 s (backoff 1, 2, 4 s), not ten times
    const lists = server.requests.slice(before).filter((r) => r.includes('/secrets'));
    expect(result.code).toBe(1);
    expect(lists.length).toBeGreaterThanOrEqual(3);
    expect(lists.length).toBeLessThanOrEqual(5);
    // AND the backoff does not outlast the timeout
    expect(result.exitedAt - result.startedAt).toBeLessThan(12_500);
  });

  test.each(SHELLS)('under %s it stops within a second of SIGTERM while its watch is open, and closes the watch', async (_name, shell) => {
    // GIVEN a waiter watching a Job that does not complete
    server.putJob('shop', 'migrate', []);
    const run = runScript(apiScript(ApiJudge.JOB), env, [], shell);
    // (once its watch is open, however long kubectl takes to start on a busy machine)
    await until(() => server.openWatches() === 1);
    await sleep(500);
    // WHEN the pod is deleted
    const { result, after } = await terminate(run);
    // THEN it is gone at once, saying so, and its kubectl with it
    expect(result.code).toBe(143);
    expect(after).toBeLessThan(PROMPT_MS);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: stopping \(SIGTERM\) after \d+s, before job migrate in namespace shop complete was ready$/);
    await sleep(300);
    expect(server.openWatches()).toBe(0);
  });

  test('gives up within a second of its timeout while its watch is open', async () => {
    server.putJob('shop', 'migrate', []);
    const result = await runScript(apiScript(ApiJudge.JOB), { ...env, WAIT_TIMEOUT: '2', WAIT_WATCH_SECONDS: '600' }).done;
    expect(result.code).toBe(1);
    expect(result.exitedAt - result.startedAt).toBeLessThan(2_000 + PROMPT_MS);
    expect(result.log[result.log.length - 1]).toBe('wait-for: ERROR: timed out after 2s waiting for job migrate in namespace shop complete: the Job has not completed yet');
  });

  test('a Job deleted while it waits is not taken as done, even when its last state says Complete', async () => {
    // GIVEN a waiter watching a Job that has not completed
    server.putJob('shop', 'migrate', []);
    const run = runScript(apiScript(ApiJudge.JOB), env);
    await until(() => server.openWatches() === 1);
    await sleep(300);
    // WHEN the watch reports the Job deleted, its last state Complete=True
    server.sendDeleted('jobs', 'shop', 'migrate', [{ type: 'Complete', status: 'True' }]);
    await sleep(1_500);
    // THEN it keeps waiting, saying why
    expect(run.exited()).toBe(false);
    // WHEN a Job of that name is created and completes
    server.putJob('shop', 'migrate', [{ type: 'Complete', status: 'True' }]);
    const result = await run.done;
    // THEN that one counts
    expect(result.code).toBe(0);
    expect(result.log).toContain('wait-for: the Job was deleted');
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: job migrate in namespace shop complete is ready after \d+s$/);
  });

  test('fails clearly when the Job fails, instead of hanging', async () => {
    server.putJob('shop', 'migrate', []);
    const dir = mkdtempSync(join(tmpdir(), 'ordered-termination-'));
    const file = join(dir, 'termination-log');
    const run = runScript(apiScript(ApiJudge.JOB), { ...env, WAIT_TERMINATION_LOG: file });
    await sleep(1_500);
    server.putJob('shop', 'migrate', [{ type: 'Failed', status: 'True' }]);
    const result = await run.done;
    expect(result.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toMatch(/^job migrate in namespace shop complete failed after [12]s: the Job failed \(condition Failed=True\); see kubectl describe job\n$/);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: ERROR: job migrate in namespace shop complete failed after \d+s: the Job failed \(condition Failed=True\)/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('secret waiter with the real kubectl', () => {
  const { server, env: sandboxEnv } = useStandInApi();

  test('a Secret reported deleted is not taken as there; one created is', async () => {
    // GIVEN a waiter for a Secret that does not exist yet, as the library renders it
    const secret = WaitFor.secret('api-tls', { namespace: 'shop' })._render(checkContext({ path: 'test' }));
    const run = runScript(apiScript(ApiJudge.EXISTS), { ...sandboxEnv(), WAIT_FOR: secret.description, ...Object.fromEntries(secret.env) });
    await until(() => server.openWatches() === 1);
    await sleep(300);
    // WHEN its watch reports the Secret deleted (created and deleted between two events of the watch)
    server.sendDeleted('secrets', 'shop', 'api-tls');
    await sleep(1_500);
    // THEN it keeps waiting, saying why
    expect(run.exited()).toBe(false);
    // WHEN the Secret is created
    server.putSecret('shop', 'api-tls');
    const result = await run.done;
    // THEN it is ready
    expect(result.code).toBe(0);
    expect(result.log).toContain('wait-for: api-tls was deleted');
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: Secret api-tls in namespace shop exists is ready after \d+s$/);
  });
});

describe('pods-ready waiter with the real kubectl', () => {
  const { server, env: sandboxEnv } = useStandInApi();

  test('waits until enough distinct pods with the labels are Ready, and says how many are', async () => {
    // GIVEN a waiter for two Ready pods labelled app=db, as the library renders it
    const rendered = WaitFor.podsReady({ labels: { app: 'db' }, minReady: 2, namespace: 'shop' })._render(checkContext({ path: 'test' }));
    const run = runScript(apiScript(ApiJudge.PODS), { ...sandboxEnv(), WAIT_FOR: rendered.description, ...Object.fromEntries(rendered.env) });
    // WHEN one db pod becomes Ready, another is not Ready yet, and a pod of another app is Ready
    server.putPod('shop', 'db-0', { app: 'db' }, true);
    server.putPod('shop', 'db-1', { app: 'db' }, false);
    server.putPod('shop', 'web-0', { app: 'web' }, true);
    await sleep(2_000);
    // THEN it keeps waiting
    expect(run.exited()).toBe(false);
    // WHEN the second db pod turns Ready
    server.putPod('shop', 'db-1', { app: 'db' }, true);
    const readyAt = Date.now();
    const result = await run.done;
    // THEN it is done within about a second, having said how many were Ready
    expect(result.code).toBe(0);
    expect(result.exitedAt - readyAt).toBeLessThan(1_500);
    expect(result.log.join('\n')).toContain('wait-for: 1 of 2 pods Ready');
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: 2 Ready pod\(s\) -l app=db in namespace shop is ready after \d+s$/);
  });
  test('a Ready pod reported deleted no longer counts', async () => {
    // GIVEN a waiter for two Ready pods labelled app=cache, one of them Ready
    const rendered = WaitFor.podsReady({ labels: { app: 'cache' }, minReady: 2, namespace: 'shop' })._render(checkContext({ path: 'test' }));
    const run = runScript(apiScript(ApiJudge.PODS), { ...sandboxEnv(), WAIT_FOR: rendered.description, ...Object.fromEntries(rendered.env) });
    server.putPod('shop', 'cache-0', { app: 'cache' }, true);
    await until(() => server.openWatches() === 1);
    await sleep(300);
    // WHEN that pod is deleted at once (no deletionTimestamp seen first: a forced delete) and another turns Ready
    server.sendDeleted('pods', 'shop', 'cache-0');
    server.putPod('shop', 'cache-1', { app: 'cache' }, true);
    await sleep(1_500);
    // THEN one is Ready, not two
    expect(run.exited()).toBe(false);
    server.putPod('shop', 'cache-2', { app: 'cache' }, true);
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.log.filter((l) => l === 'wait-for: 1 of 2 pods Ready').length).toBeGreaterThanOrEqual(1);
  });

  test('a verdict early in a list longer than a pipe holds is final: the waiter reads the rest and exits', async () => {
    // GIVEN 4,000 Ready pods labelled app=many (their list is some 250 KB from kubectl, more than a pipe holds)
    for (let i = 0; i < 4_000; i++) server.putPod('shop', `many-pod-with-a-name-of-some-length-${i}`, { app: 'many' }, true);
    const rendered = WaitFor.podsReady({ labels: { app: 'many' }, minReady: 1_000, namespace: 'shop' })._render(checkContext({ path: 'test' }));
    // WHEN a waiter for a thousand of them runs, and kubectl has written them all before the judge has read a quarter (its timeout, 20 s, bounds a waiter that would hang)
    const result = await runScript(apiScript(ApiJudge.PODS), {
      ...sandboxEnv(), WAIT_FOR: rendered.description, WAIT_TIMEOUT: '20', ...Object.fromEntries(rendered.env),
    }).done;
    // THEN it is ready: the judge, done at the first pod, did not leave kubectl's output unread in the pipe
    expect(result.code).toBe(0);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: 1000 Ready pod\(s\) -l app=many in namespace shop is ready after \d+s$/);
    // AND the kubectl the judge stopped leaves no line of the shell's ("Terminated") in the log
    expect(result.log.filter((l) => !l.startsWith('wait-for: '))).toEqual([]);
  });
});

describe('an object being deleted (deletionTimestamp set, finalizers pending) is not there, whatever its status says', () => {
  const { server, env: sandboxEnv } = useStandInApi();
  const ctx = () => checkContext({ path: 'test' });
  const cases: Array<{ what: string; judge: ApiJudge; wait: () => WaitFor; resource: string; name: string; put: () => void; why: string }> = [
    {
      what: 'a Certificate Ready=True (WaitFor.condition)',
      judge: ApiJudge.CONDITION,
      wait: () => WaitFor.condition({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'api-tls', condition: 'Ready', namespace: 'shop' }),
      resource: 'certificates',
      name: 'api-tls',
      put: () => server.putCertificate('shop', 'api-tls', [{ type: 'Ready', status: 'True' }]),
      why: 'api-tls is being deleted',
    },
    {
      what: 'a Secret (WaitFor.secret)',
      judge: ApiJudge.EXISTS,
      wait: () => WaitFor.secret('db-password', { namespace: 'shop' }),
      resource: 'secrets',
      name: 'db-password',
      put: () => server.putSecret('shop', 'db-password'),
      why: 'db-password is being deleted',
    },
    {
      what: 'a Job Complete=True (WaitFor.jobComplete)',
      judge: ApiJudge.JOB,
      wait: () => WaitFor.jobComplete('seed', { namespace: 'shop' }),
      resource: 'jobs',
      name: 'seed',
      put: () => server.putJob('shop', 'seed', [{ type: 'Complete', status: 'True' }]),
      why: 'the Job is being deleted',
    },
  ];

  test.each(cases)('$what: waited for until it is gone and made anew', async ({ judge, wait, resource, name, put, why }) => {
    // GIVEN the object, ready by its status, being deleted
    put();
    server.startDeleting(resource, 'shop', name);
    const rendered = wait()._render(ctx());
    const run = runScript(apiScript(judge), { ...sandboxEnv(), WAIT_FOR: rendered.description, WAIT_PROGRESS: '1', ...Object.fromEntries(rendered.env) });
    await until(() => server.openWatches() === 1);
    await sleep(1_500);
    // THEN the waiter keeps waiting, saying why
    expect(run.exited()).toBe(false);
    // WHEN its finalizers are done (it is deleted) and it is made anew
    server.sendDeleted(resource, 'shop', name);
    await sleep(300);
    expect(run.exited()).toBe(false);
    put();
    const result = await run.done;
    // THEN the new one counts
    expect(result.code).toBe(0);
    expect(result.log).toContain(`wait-for: ${why}`);
    expect(result.log[result.log.length - 1]).toMatch(new RegExp(`^wait-for: ${rendered.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is ready after \\d+s$`));
  });

  test.each(cases)('$what: one that stays being deleted times out with the reason', async ({ judge, wait, resource, name, put, why }) => {
    put();
    server.startDeleting(resource, 'shop', name);
    const rendered = wait()._render(ctx());
    const result = await runScript(apiScript(judge), { ...sandboxEnv(), WAIT_FOR: rendered.description, WAIT_TIMEOUT: '2', ...Object.fromEntries(rendered.env) }).done;
    server.sendDeleted(resource, 'shop', name);
    expect(result.code).toBe(1);
    expect(result.log[result.log.length - 1]).toBe(`wait-for: ERROR: timed out after 2s waiting for ${rendered.description}: ${why}`);
  });

  test('a condition waiter still sees the condition it waits for, and is ready, when nothing is being deleted', async () => {
    server.putCertificate('shop', 'web-tls', [{ type: 'Issuing', status: 'True' }, { type: 'Ready', status: 'False' }]);
    const rendered = WaitFor.condition({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'web-tls', condition: 'Ready', namespace: 'shop' })._render(ctx());
    const run = runScript(apiScript(ApiJudge.CONDITION), { ...sandboxEnv(), WAIT_FOR: rendered.description, ...Object.fromEntries(rendered.env) });
    await until(() => server.openWatches() === 1);
    await sleep(500);
    expect(run.exited()).toBe(false);
    server.putCertificate('shop', 'web-tls', [{ type: 'Ready', status: 'True' }]);
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.log).toContain('wait-for: condition Ready is False');
  });
});

describe('a status too long for a pipe', () => {
  const { server, env: sandboxEnv } = useStandInApi();

  test('a condition whose status is 70 KB neither blocks the condition waiter nor fills its log', async () => {
    // GIVEN a custom resource whose condition status is one 70 KB word (nothing validates a custom resource's status)
    server.putCertificate('shop', 'odd-tls', [{ type: 'Ready', status: 'x'.repeat(70_000) }]);
    const rendered = WaitFor.condition({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'odd-tls', condition: 'Ready', namespace: 'shop' })._render(checkContext({ path: 'test' }));
    // WHEN the waiter runs until its timeout
    const result = await runScript(apiScript(ApiJudge.CONDITION), { ...sandboxEnv(), WAIT_FOR: rendered.description, WAIT_TIMEOUT: '3', ...Object.fromEntries(rendered.env) }).done;
    // THEN it gives up on time, saying so in lines of bounded length
    expect(result.code).toBe(1);
    expect(result.log[result.log.length - 1]).toBe(`wait-for: ERROR: timed out after 3s waiting for ${rendered.description}: condition Ready is a value of 70000 bytes`);
    for (const l of result.log) expect(l.length).toBeLessThan(1_000);
  });
});

describe('a kubectl stopped in the middle of a line', () => {
  let dir: string;
  beforeAll(() => {
    // A kubectl that lists the Secret, then has written part of its next line when the judge, done, stops it.
    dir = mkdtempSync(join(tmpdir(), 'ordered-cut-kubectl-'));
    for (const applet of readdirSync(busyboxPath())) symlinkSync(BUSYBOX, join(dir, applet));
    writeFileSync(join(dir, 'kubectl'), `#!${BUSYBOX} sh\nprintf 'obj ADDED db-password deleting=\\nobj ADDED db-pass'\nexec sleep 30\n`, { mode: 0o755 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('does not hold the waiter: the end of its round is read on a line of its own', async () => {
    const rendered = WaitFor.secret('db-password', { namespace: 'shop' })._render(checkContext({ path: 'test' }));
    // WHEN the waiter runs with it (5 s timeout: a waiter that missed the end of the round would give up then)
    const result = await runScript(apiScript(ApiJudge.EXISTS), { PATH: dir, WAIT_FOR: rendered.description, WAIT_TIMEOUT: '5', ...Object.fromEntries(rendered.env) }).done;
    // THEN it is ready at once, and the cut line is no reason of its
    expect(result.code).toBe(0);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: Secret db-password in namespace shop exists is ready after [01]s$/);
  });
});
