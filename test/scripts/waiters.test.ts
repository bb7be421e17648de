import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as http from 'http';
import * as net from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { NetworkCheck, networkScript, severalScript } from '../../lib/waiters';
import { BIG, bigReplyServer, BUSYBOX, busyboxPath, freePort, killScripts, listen, PROMPT_MS, runScript, SHELLS, sleep, Started, startProcess, terminate } from '../support/run-script';

/**
 * The network waiter scripts, run for real: busybox sh (Debian's
 * busybox-static, the stand-in for the busybox image) with nothing but busybox
 * applets on the PATH, against real listeners that appear after a delay.
 */

jest.setTimeout(30_000);
afterEach(killScripts);
const tcp = networkScript(NetworkCheck.TCP);
const httpScript = networkScript(NetworkCheck.HTTP);
const base = { WAIT_PROGRESS: '1' };

/** Latency bound: readiness is noticed "within about a second". */
const NOTICE_MS = 1_600;
/** A server that accepts connections and never answers or closes them (even after the client closes its side). */
async function silentServer(port: number): Promise<{ close(): void }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (socket) => { sockets.push(socket); });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { close: () => { sockets.forEach((s) => s.destroy()); server.close(); } };
}

describe('tcp waiter', () => {
  test('waits for a listener that appears later, and exits about a second after it is up', async () => {
    // GIVEN a port nobody listens on yet
    const port = await freePort();
    const run = runScript(tcp, { ...base, WAIT_FOR: `tcp db:${port}`, WAIT_ADDRESSES: `127.0.0.1:${port}` });
    // WHEN the listener comes up after 1.5 s
    await sleep(1_500);
    expect(run.exited()).toBe(false);
    const server = await listen(port);
    const upAt = Date.now();
    const result = await run.done;
    server.close();
    // THEN the waiter exits 0 within about a second, and says what it waited for and for how long
    expect(result.code).toBe(0);
    expect(result.exitedAt - upAt).toBeLessThan(NOTICE_MS);
    expect(result.log[0]).toBe(`wait-for: waiting for tcp db:${port} (no timeout)`);
    expect(result.log.some((l) => l.startsWith(`wait-for: still waiting for tcp db:${port} after `) && l.includes(`127.0.0.1:${port}:`))).toBe(true);
    expect(result.log[result.log.length - 1]).toMatch(new RegExp(`^wait-for: tcp db:${port} is ready after [12]s$`));
  });

  test('waits for every address', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const first = await listen(a);
    const run = runScript(tcp, { ...base, WAIT_FOR: 'two ports', WAIT_ADDRESSES: `127.0.0.1:${a} 127.0.0.1:${b}` });
    await sleep(1_500);
    expect(run.exited()).toBe(false);
    const second = await listen(b);
    const result = await run.done;
    first.close();
    second.close();
    expect(result.code).toBe(0);
    expect(result.log.join('\n')).toContain(`127.0.0.1:${b}`);
  });

  test('fails when the timeout runs out, saying what it waited for', async () => {
    const port = await freePort();
    const result = await runScript(tcp, { ...base, WAIT_FOR: 'tcp never', WAIT_ADDRESSES: `127.0.0.1:${port}`, WAIT_TIMEOUT: '2', WAIT_ON_TIMEOUT: 'fail' }).done;
    expect(result.code).toBe(1);
    expect(result.exitedAt - result.startedAt).toBeLessThan(4_000);
    expect(result.log[0]).toBe('wait-for: waiting for tcp never (timeout 2s, then fail)');
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: ERROR: timed out after [23]s waiting for tcp never: 127\.0\.0\.1:\d+: /);
  });

  test('proceeds with a warning when the policy says so', async () => {
    const port = await freePort();
    const result = await runScript(tcp, { ...base, WAIT_FOR: 'optional cache', WAIT_ADDRESSES: `127.0.0.1:${port}`, WAIT_TIMEOUT: '1', WAIT_ON_TIMEOUT: 'proceed' }).done;
    expect(result.code).toBe(0);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: WARNING: gave up on optional cache after [12]s \(.*\); starting anyway \(onTimeout: proceed\)$/);
  });

  test('a server that accepts and keeps the connection open counts as accepting, as for a kubelet tcpSocket probe', async () => {
    // GIVEN a server that accepts connections and keeps them open, even after the client closes its side
    const port = await freePort();
    const sockets: net.Socket[] = [];
    const sticky = net.createServer({ allowHalfOpen: true }, (socket) => { sockets.push(socket); });
    await new Promise<void>((r) => sticky.listen(port, '127.0.0.1', r));
    // WHEN the waiter checks it
    const result = await runScript(tcp, { ...base, WAIT_FOR: 'sticky', WAIT_ADDRESSES: `127.0.0.1:${port}`, WAIT_TIMEOUT: '4', WAIT_ON_TIMEOUT: 'fail' }).done;
    sockets.forEach((s) => s.destroy());
    sticky.close();
    // THEN the connection is what counts: ready, not waited on until the server closes
    expect(result.code).toBe(0);
    expect(result.log[result.log.length - 1]).toBe('wait-for: sticky is ready after 0s');
  });

  test('stops at once on SIGTERM (a pod deleted while it waits), saying so', async () => {
    const port = await freePort();
    const run = runScript(tcp, { ...base, WAIT_FOR: 'tcp never', WAIT_ADDRESSES: `127.0.0.1:${port}` });
    await sleep(1_500);
    const termAt = Date.now();
    run.child.kill('SIGTERM');
    const result = await run.done;
    expect(result.code).toBe(143);
    expect(result.exitedAt - termAt).toBeLessThan(500);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: stopping \(SIGTERM\) after [12]s, before tcp never was ready$/);
  });

  test('runs under dash too (POSIX sh, not busybox-only)', async () => {
    const port = await freePort();
    const server = await listen(port);
    const result = await runScript(tcp, { WAIT_FOR: 'dash', WAIT_ADDRESSES: `127.0.0.1:${port}` }, [], ['/bin/dash']).done;
    server.close();
    // dash has no nc of its own: the PATH still holds only busybox applets
    expect(result.code).toBe(0);
  });
});

describe('http waiter against real servers', () => {
  const dirs: string[] = [];
  const servers: Started[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('waits while busybox httpd answers 404, and exits once the page is there', async () => {
    // GIVEN a real busybox httpd whose health page does not exist yet
    const root = mkdtempSync(join(tmpdir(), 'ordered-www-'));
    dirs.push(root);
    const port = await freePort();
    const run = runScript(httpScript, { ...base, WAIT_FOR: 'http health', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/healthz', WAIT_STATUS: '200-399' });
    await sleep(2_000);
    servers.push(startProcess(BUSYBOX, ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', root]));
    // WHEN the server is up but the page is missing, THEN it keeps waiting
    await sleep(2_000);
    expect(run.exited()).toBe(false);
    writeFileSync(join(root, 'healthz'), 'ok\n');
    const readyAt = Date.now();
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.exitedAt - readyAt).toBeLessThan(NOTICE_MS);
    const log = result.log.join('\n');
    expect(log).toContain('HTTP 404, want 200-399');
    expect(log).toMatch(/no HTTP response/);
  });

  test('waits through 503 from nginx until it answers 200', async () => {
    // GIVEN a real nginx answering 503 (not ready) on loopback
    const prefix = mkdtempSync(join(tmpdir(), 'ordered-nginx-'));
    dirs.push(prefix);
    const port = await freePort();
    const conf = (status: number) => `worker_processes 1; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;
events { worker_connections 16; }
http { access_log off; client_body_temp_path ${prefix}; proxy_temp_path ${prefix}; fastcgi_temp_path ${prefix}; uwsgi_temp_path ${prefix}; scgi_temp_path ${prefix};
  server { listen 127.0.0.1:${port}; location /ready { return ${status}; } } }`;
    writeFileSync(join(prefix, 'nginx.conf'), conf(503));
    servers.push(startProcess('nginx', ['-c', join(prefix, 'nginx.conf'), '-p', prefix, '-g', 'daemon off;']));
    await sleep(500);
    const run = runScript(httpScript, { ...base, WAIT_FOR: 'nginx ready', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/ready', WAIT_STATUS: '200 204' });
    await sleep(2_000);
    expect(run.exited()).toBe(false);
    // WHEN nginx is reloaded to answer 200
    writeFileSync(join(prefix, 'nginx.conf'), conf(200));
    execFileSync('nginx', ['-c', join(prefix, 'nginx.conf'), '-p', prefix, '-s', 'reload']);
    const readyAt = Date.now();
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.exitedAt - readyAt).toBeLessThan(NOTICE_MS + 500);
    expect(result.log.join('\n')).toContain('HTTP 503, want 200 204');
  });

  test('a server that accepts but never answers does not hang the check', async () => {
    const port = await freePort();
    const silent = http.createServer(() => { /* never answers */ });
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    const result = await runScript(httpScript, { ...base, WAIT_FOR: 'silent', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/', WAIT_STATUS: '200', WAIT_TIMEOUT: '3', WAIT_ON_TIMEOUT: 'fail' }).done;
    silent.closeAllConnections();
    silent.close();
    expect(result.code).toBe(1);
    expect(result.exitedAt - result.startedAt).toBeLessThan(9_000);
    expect(result.log[result.log.length - 1]).toMatch(/timed out after \d+s waiting for silent: no HTTP response/);
  });
});

describe('a probe in flight (a server that accepts and never answers, a command that hangs) holds nothing up', () => {
  test.each(SHELLS)('under %s an HTTP waiter stops within a second of SIGTERM', async (_name, shell) => {
    // GIVEN an HTTP waiter whose probe is waiting on a server that never answers
    const port = await freePort();
    const silent = await silentServer(port);
    const run = runScript(httpScript, { ...base, WAIT_FOR: 'silent', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/', WAIT_STATUS: '200' }, [], shell);
    await sleep(1_500);
    // WHEN the pod is deleted
    const { result, after } = await terminate(run);
    silent.close();
    // THEN it is gone at once, saying so
    expect(result.code).toBe(143);
    expect(after).toBeLessThan(PROMPT_MS);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: stopping \(SIGTERM\) after 1s, before silent was ready$/);
  });

  test('an HTTP waiter gives up when its timeout runs out, not when the probe ends', async () => {
    const port = await freePort();
    const silent = await silentServer(port);
    const result = await runScript(httpScript, { ...base, WAIT_FOR: 'silent', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/', WAIT_STATUS: '200', WAIT_TIMEOUT: '2' }).done;
    silent.close();
    expect(result.code).toBe(1);
    expect(result.exitedAt - result.startedAt).toBeLessThan(2_000 + PROMPT_MS);
    expect(result.log[result.log.length - 1]).toBe('wait-for: ERROR: timed out after 2s waiting for silent: no HTTP response after 2s (connecting, or the server has not answered)');
  });

  test('a command waiter stops within a second of SIGTERM, and gives up when its timeout runs out', async () => {
    const command = networkScript(NetworkCheck.COMMAND);
    const run = runScript(command, { ...base, WAIT_FOR: 'hanging probe' }, ['sleep', '30']);
    await sleep(1_500);
    const { result, after } = await terminate(run);
    expect(result.code).toBe(143);
    expect(after).toBeLessThan(PROMPT_MS);

    const timedOut = await runScript(command, { ...base, WAIT_FOR: 'hanging probe', WAIT_TIMEOUT: '2', WAIT_ON_TIMEOUT: 'proceed' }, ['sleep', '30']).done;
    expect(timedOut.code).toBe(0);
    expect(timedOut.exitedAt - timedOut.startedAt).toBeLessThan(2_000 + PROMPT_MS);
    expect(timedOut.log[timedOut.log.length - 1]).toBe('wait-for: WARNING: gave up on hanging probe after 2s (the command has run 2s without exiting); starting anyway (onTimeout: proceed)');
  });
});

describe('what a network waiter needs', () => {
  test('under busybox sh it polls with neither date nor sleep nor timeout on the PATH: no fork for the clock or the naps', async () => {
    // GIVEN a PATH of busybox applets without date, sleep and timeout
    const dir = mkdtempSync(join(tmpdir(), 'ordered-applets-'));
    try {
      for (const applet of readdirSync(busyboxPath()).filter((a) => !['date', 'sleep', 'timeout', 'usleep'].includes(a))) symlinkSync(BUSYBOX, join(dir, applet));
      const port = await freePort();
      const run = runScript(tcp, { ...base, PATH: dir, WAIT_FOR: 'tcp db', WAIT_ADDRESSES: `127.0.0.1:${port}`, WAIT_TIMEOUT: '30' });
      // WHEN the listener comes up after 2.5 s
      await sleep(2_500);
      expect(run.exited()).toBe(false);
      const server = await listen(port);
      const result = await run.done;
      server.close();
      // THEN it noticed, and its clock counted the seconds (progress every second, no error from a missing applet)
      expect(result.code).toBe(0);
      expect(result.log.filter((l) => l.startsWith('wait-for: still waiting for tcp db after ')).map((l) => /after (\d+s):/.exec(l)?.[1]))
        .toEqual(['1s', '2s']);
      expect(result.log.join('\n')).not.toMatch(/not found|can't execute/);
      expect(result.log[result.log.length - 1]).toBe('wait-for: tcp db is ready after 2s');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const root = process.getuid?.() === 0;
  (root ? test : test.skip)('without /proc it still works, with sleep and date (as root: /proc hidden in a mount namespace of its own)', async () => {
    // GIVEN a shell that sees an empty /proc
    const hidden = ['unshare', '-m', '--', '/bin/sh', '-c', 'mount -t tmpfs none /proc && exec "$0" "$@"', BUSYBOX, 'sh'];
    const port = await freePort();
    const run = runScript(tcp, { ...base, WAIT_FOR: 'tcp db', WAIT_ADDRESSES: `127.0.0.1:${port}` }, [], hidden);
    // WHEN the listener comes up later
    await sleep(2_500);
    expect(run.exited()).toBe(false);
    const server = await listen(port);
    const result = await run.done;
    server.close();
    // THEN it is ready; only its reasons say less (the probes' output has nowhere to go)
    expect(result.code).toBe(0);
    expect(result.log.some((l) => /^wait-for: still waiting for tcp db after [12]s: 127\.0\.0\.1:\d+: connection failed \(nc exit 1\)$/.test(l))).toBe(true);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: tcp db is ready after [23]s$/);
  });
});

describe('the reason, as the container\'s termination message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-termination-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a waiter that times out writes which dependency and why to WAIT_TERMINATION_LOG', async () => {
    const port = await freePort();
    const file = join(dir, 'fail');
    const result = await runScript(tcp, { ...base, WAIT_FOR: 'tcp db:5432', WAIT_ADDRESSES: `127.0.0.1:${port}`, WAIT_TIMEOUT: '1', WAIT_TERMINATION_LOG: file }).done;
    expect(result.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^timed out after 1s waiting for tcp db:5432: 127\\.0\\.0\\.1:${port}: nc: can't connect to remote host \\(127\\.0\\.0\\.1\\): Connection refused\n$`));
  });

  test('one that proceeds after its timeout says so there too', async () => {
    const port = await freePort();
    const file = join(dir, 'proceed');
    const result = await runScript(tcp, { ...base, WAIT_FOR: 'optional cache', WAIT_ADDRESSES: `127.0.0.1:${port}`, WAIT_TIMEOUT: '1', WAIT_ON_TIMEOUT: 'proceed', WAIT_TERMINATION_LOG: file }).done;
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^gave up on optional cache after 1s \(127\.0\.0\.1:\d+: .*Connection refused\); started anyway \(onTimeout: proceed\)\n$/);
  });

  test('one that is ready writes nothing there, and a file it cannot write is no error', async () => {
    const port = await freePort();
    const server = await listen(port);
    const file = join(dir, 'ready');
    const ready = await runScript(tcp, { ...base, WAIT_FOR: 'tcp db', WAIT_ADDRESSES: `127.0.0.1:${port}`, WAIT_TERMINATION_LOG: file }).done;
    server.close();
    expect(ready.code).toBe(0);
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
    const closed = await freePort();
    const failed = await runScript(tcp, { ...base, WAIT_FOR: 'tcp db', WAIT_ADDRESSES: `127.0.0.1:${closed}`, WAIT_TIMEOUT: '1', WAIT_TERMINATION_LOG: join(dir, 'no-such-folder', 'log') }).done;
    expect(failed.code).toBe(1);
    expect(failed.log[failed.log.length - 1]).toMatch(/^wait-for: ERROR: timed out after 1s waiting for tcp db: /);
    expect(failed.log.join('\n')).not.toMatch(/can't create|No such file|nonexistent/);
  });
});

/**
 * A DNS server of our own: dnsmasq on a loopback `address`, answering only
 * from a hosts file in `dir` (empty at first; `add` writes a record and tells
 * dnsmasq to reread it), stopped and removed after the suite.
 */
function useDnsmasq(address: string): { start(): Promise<void>; add(line: string): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-dns-'));
  const hosts = join(dir, 'hosts');
  let dnsmasq: Started | undefined;
  afterAll(async () => {
    await dnsmasq?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    async start() {
      writeFileSync(hosts, '');
      dnsmasq = startProcess('/usr/sbin/dnsmasq', ['--no-daemon', '--conf-file=/dev/null', `--listen-address=${address}`, '--bind-interfaces', '--port=53',
        '--no-resolv', '--no-hosts', `--addn-hosts=${hosts}`, '--user=root']);
      await sleep(500);
    },
    add(line: string) {
      writeFileSync(hosts, `${line}\n`);
      process.kill(dnsmasq!.pid, 'SIGHUP'); // dnsmasq rereads its hosts file on SIGHUP
    },
  };
}

describe('dns waiter against a real DNS server', () => {
  const address = '127.0.0.77';
  const dns = useDnsmasq(address);

  test('waits until dnsmasq knows the name', async () => {
    // GIVEN dnsmasq on a loopback address with no record for the name yet
    await dns.start();
    const run = runScript(networkScript(NetworkCheck.DNS), { ...base, WAIT_FOR: 'dns db.shop.test', WAIT_HOST: 'db.shop.test', WAIT_DNS_SERVER: address });
    await sleep(2_000);
    expect(run.exited()).toBe(false);
    // WHEN the record appears
    dns.add('127.0.0.5 db.shop.test');
    const readyAt = Date.now();
    const result = await run.done;
    // THEN
    expect(result.code).toBe(0);
    expect(result.exitedAt - readyAt).toBeLessThan(NOTICE_MS);
    expect(result.log.join('\n')).toContain('db.shop.test does not resolve yet');
  });
});

describe('one waiter for several network checks (WAIT_CHECKS)', () => {
  const several = severalScript();
  const dir = mkdtempSync(join(tmpdir(), 'ordered-several-'));
  const address = '127.0.0.78';
  const dns = useDnsmasq(address);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('takes a TCP, an HTTP and a DNS check one after another, each ready as it passes, and names the one it waits for', async () => {
    // GIVEN a port that listens after 2 s, an HTTP server that comes up after 3.5 s, and a name dnsmasq knows only later
    const [tcpPort, httpPort] = [await freePort(), await freePort()];
    await dns.start();
    const run = runScript(several, {
      ...base,
      WAIT_FOR: 'db, api and mail',
      WAIT_CHECKS: [`tcp db 127.0.0.1:${tcpPort}`, `http api 127.0.0.1 ${httpPort} /healthz 200 204`, `dns mail mail.shop.test ${address}`].join('\n'),
    });
    await sleep(2_000);
    const tcpServer = await listen(tcpPort);
    await sleep(1_500);
    const httpServer = http.createServer((req, res) => { res.statusCode = req.url === '/healthz' ? 204 : 404; res.end(); });
    await new Promise<void>((r) => httpServer.listen(httpPort, '127.0.0.1', r));
    await sleep(1_500);
    expect(run.exited()).toBe(false);
    // WHEN the name appears
    dns.add('127.0.0.6 mail.shop.test');
    const result = await run.done;
    tcpServer.close();
    httpServer.close();
    // THEN each check was logged ready in turn, every reason named its dependency, and the waiter is done
    expect(result.code).toBe(0);
    const at = (re: RegExp) => result.log.findIndex((l) => re.test(l));
    const [db, api, mail] = [at(/^wait-for: db is ready after [23]s$/), at(/^wait-for: api is ready after [34]s$/), at(/^wait-for: mail is ready after \d+s$/)];
    expect([db, api, mail].every((i) => i > 0)).toBe(true);
    expect(db).toBeLessThan(api);
    expect(api).toBeLessThan(mail);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: db, api and mail is ready after \d+s$/);
    const progress = result.log.filter((l) => l.startsWith('wait-for: still waiting for db, api and mail after '));
    expect(progress.some((l) => l.includes(`: db: 127.0.0.1:${tcpPort}: `))).toBe(true);
    expect(progress.some((l) => l.includes(': api: '))).toBe(true);
    expect(progress.some((l) => l.endsWith(': mail: mail.shop.test does not resolve yet'))).toBe(true);
  });

  test('gives up naming the dependency it still waits for, and stops within a second of SIGTERM', async () => {
    const [up, down] = [await freePort(), await freePort()];
    const server = await listen(up);
    const file = join(dir, 'termination');
    const checks = `tcp db 127.0.0.1:${up}\ntcp cache 127.0.0.1:${down}`;
    const failed = await runScript(several, { ...base, WAIT_FOR: 'db and cache', WAIT_CHECKS: checks, WAIT_TIMEOUT: '2', WAIT_TERMINATION_LOG: file }).done;
    expect(failed.code).toBe(1);
    expect(failed.log).toContain('wait-for: db is ready after 0s');
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^timed out after [23]s waiting for db and cache: cache: 127\\.0\\.0\\.1:${down}: .*Connection refused\n$`));
    const run = runScript(several, { ...base, WAIT_FOR: 'db and cache', WAIT_CHECKS: checks });
    await sleep(1_500);
    const termAt = Date.now();
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    server.close();
    expect(stopped.code).toBe(143);
    expect(stopped.exitedAt - termAt).toBeLessThan(PROMPT_MS);
  });
});

describe('command waiter', () => {
  test('runs the probe until it succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordered-cmd-'));
    const flag = join(dir, 'ready');
    const run = runScript(networkScript(NetworkCheck.COMMAND), { ...base, WAIT_FOR: 'probe' }, ['test', '-e', flag]);
    await sleep(1_500);
    expect(run.exited()).toBe(false);
    writeFileSync(flag, '');
    const result = await run.done;
    rmSync(dir, { recursive: true, force: true });
    expect(result.code).toBe(0);
    expect(result.log.join('\n')).toContain('command exited 1');
  });

  test('fails after its timeout with the probe\'s last output line', async () => {
    const result = await runScript(networkScript(NetworkCheck.COMMAND), { ...base, WAIT_FOR: 'probe', WAIT_TIMEOUT: '1' },
      ['sh', '-c', 'echo "connection refused: db:5432"; exit 2']).done;
    expect(result.code).toBe(1);
    expect(result.log[result.log.length - 1]).toMatch(/timed out after \d+s waiting for probe: command exited 2: connection refused: db:5432/);
  });
});

describe('a probe that prints more than a pipe holds (64 KiB) neither blocks the waiter nor fills its log', () => {
  const shells: Array<[string, string[]]> = [...SHELLS, ['bash', ['/bin/bash']]];
  const dir = mkdtempSync(join(tmpdir(), 'ordered-big-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A shell command printing one line of BIG bytes. */
  const bigLine = `head -c ${BIG} /dev/zero | tr '\\0' x; echo`;

  test.each(shells)('under %s a command that prints 70 KB and exits 0 is ready', async (_name, shell) => {
    const result = await runScript(networkScript(NetworkCheck.COMMAND), { ...base, WAIT_FOR: 'chatty probe', WAIT_TIMEOUT: '10' },
      ['sh', '-c', `${bigLine}; exit 0`], shell).done;
    expect(result.code).toBe(0);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: chatty probe is ready after [01]s$/);
  });

  test.each(shells)('under %s a command that prints 70 KB and fails is logged while it waits, its line cut short, until it passes', async (_name, shell) => {
    // GIVEN a probe that prints 70 KB and fails until a file exists, then prints 70 KB and passes
    const flag = join(dir, `ready-${_name.replace(/ /g, '-')}`);
    const run = runScript(networkScript(NetworkCheck.COMMAND), { ...base, WAIT_FOR: 'chatty probe', WAIT_TIMEOUT: '20' },
      ['sh', '-c', `${bigLine}; [ -e ${flag} ]`], shell);
    await sleep(2_500);
    expect(run.exited()).toBe(false);
    // WHEN the file appears
    writeFileSync(flag, '');
    const result = await run.done;
    // THEN it was logged waiting, with a bounded reason, and is ready
    expect(result.code).toBe(0);
    const progress = result.log.filter((l) => l.startsWith('wait-for: still waiting for chatty probe after '));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatch(/: command exited 1: x+$/);
    for (const l of result.log) expect(l.length).toBeLessThan(1_000);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: chatty probe is ready after \d+s$/);
  });

  test.each(shells)('under %s an HTTP server whose first replies are one 70 KB line, then 200, is waited for and ready', async (_name, shell) => {
    // GIVEN a server that answers a 70 KB line for 2.5 s, then 200
    const port = await freePort();
    const until200 = Date.now() + 2_500;
    const server = await bigReplyServer(port, () => Date.now() < until200);
    const result = await runScript(httpScript, { ...base, WAIT_FOR: 'chatty api', WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/', WAIT_STATUS: '200', WAIT_TIMEOUT: '20' }, [], shell).done;
    server.close();
    // THEN it logged waiting with a bounded reason, and is ready
    expect(result.code).toBe(0);
    const progress = result.log.filter((l) => l.startsWith('wait-for: still waiting for chatty api after '));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatch(/: no HTTP response \(x+\)$/);
    for (const l of result.log) expect(l.length).toBeLessThan(1_000);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: chatty api is ready after [2-4]s$/);
  });
});

describe('a DNS answer longer than a pipe holds', () => {
  test('an nslookup that lists thousands of addresses (as one that asks again over TCP does) neither blocks the waiter nor fills its log', async () => {
    // GIVEN an image whose nslookup prints 3,000 addresses for the name (over 64 KiB)
    const dir = mkdtempSync(join(tmpdir(), 'ordered-nslookup-'));
    try {
      for (const applet of readdirSync(busyboxPath()).filter((a) => a !== 'nslookup')) symlinkSync(BUSYBOX, join(dir, applet));
      writeFileSync(join(dir, 'nslookup'), `#!${BUSYBOX} sh
printf 'Server:\\t\\t10.96.0.10\\nAddress:\\t10.96.0.10#53\\n\\n'
i=0
while [ $i -lt 3000 ]; do printf 'Name:\\t%s\\nAddress: 10.1.%s.%s\\n' "$1" $(( i / 250 )) $(( i % 250 )); i=$(( i + 1 )); done
`, { mode: 0o755 });
      // WHEN the DNS waiter runs there, under dash (busybox sh would run its own nslookup applet, whatever the PATH)
      const result = await runScript(networkScript(NetworkCheck.DNS), { ...base, PATH: dir, WAIT_FOR: 'dns pods.shop.test', WAIT_HOST: 'pods.shop.test', WAIT_TIMEOUT: '10' }, [], ['/bin/dash']).done;
      // THEN it is ready
      expect(result.code).toBe(0);
      expect(result.log[result.log.length - 1]).toMatch(/^wait-for: dns pods\.shop\.test is ready after [01]s$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a probe that runs long', () => {
  test.each(SHELLS)('under %s a command that hangs is logged while it runs, with no timeout', async (_name, shell) => {
    // GIVEN a command waiter, no timeout, whose command never exits
    const run = runScript(networkScript(NetworkCheck.COMMAND), { ...base, WAIT_FOR: 'hanging probe' }, ['sleep', '30'], shell as string[]);
    await sleep(3_500);
    // THEN it has said, every second or so, that it is still waiting and why
    run.child.kill('SIGTERM');
    const result = await run.done;
    const progress = result.log.filter((l) => l.startsWith('wait-for: still waiting for hanging probe after '));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatch(/^wait-for: still waiting for hanging probe after [12]s: the command has run [12]s without exiting$/);
    expect(result.code).toBe(143);
  });
});

describe('the clock', () => {
  test.each(SHELLS)('under %s a read of /proc/uptime that fails mid-run keeps the last reading, never a reading of date', async (_name, shell) => {
    // GIVEN base.sh, with `read` failing once on its fourth call (as one a signal cuts short in a trap does)
    const baseSh = readFileSync(join(__dirname, '..', '..', 'lib', 'sh', 'base.sh'), 'utf8');
    const failOnce = 'calls=0\nread() { calls=$((calls + 1)); [ "$calls" -eq 4 ] && return 1; command read "$@"; }\n';
    // WHEN the clock is read before, at and after that failure
    const result = await runScript(`${failOnce}${baseSh}clock; a=$now; clock; b=$now; clock; c=$now\necho "$t0 $a $b $c"\n`, {}, [], shell).done;
    // THEN every reading is of the same clock, a few centiseconds apart, and the failed one repeats the last
    expect(result.code).toBe(0);
    const [t0, a, b, c] = result.log[result.log.length - 1].split(' ').map(Number);
    expect(b).toBe(a);
    for (const x of [a, b, c]) expect(x - t0).toBeLessThan(100);
    expect(c).toBeGreaterThanOrEqual(b);
  });
});
