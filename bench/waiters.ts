/**
 * The network waiters, run for real: the library's scripts under Debian's
 * busybox-static `sh`, with a PATH of busybox applets only (as
 * test/support/run-script.ts runs them), against real listeners on loopback.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import * as http from 'http';
import { waiterScript } from './lib-under-test';
import { seededRandom } from './workload';
import { freePort, listen, runScript, sleep } from '../test/support/run-script';

/** One latency trial. */
export interface LatencyTrial {
  /** When the listener came up, after the waiter started (ms). */
  readonly delayMs: number;
  /** Listener up to waiter exit (ms); undefined if the waiter did not exit ready. */
  readonly latencyMs?: number;
  /** Why the trial failed, if it did. */
  readonly error?: string;
}

/** A waiter gets this long after the listener is up to exit, before the trial counts as failed. */
const EXIT_BOUND_MS = 15_000;

/**
 * `trials` times: start the waiter against a free port, bring a listener up
 * there after a random 0.3-1.5 s (seeded), and time from "listening" to the
 * waiter's exit. TCP: a listener that accepts and closes. HTTP: a server
 * answering 200 to every GET.
 */
export async function waiterLatency(kind: 'tcp' | 'http', trials: number): Promise<LatencyTrial[]> {
  const script = waiterScript(kind);
  const rand = seededRandom(kind === 'tcp' ? 7 : 11);
  const out: LatencyTrial[] = [];
  for (let t = 0; t < trials; t++) {
    const delayMs = Math.round(300 + rand() * 1200);
    const port = await freePort();
    const env: Record<string, string> = kind === 'tcp'
      ? { WAIT_FOR: `tcp bench:${port}`, WAIT_ADDRESSES: `127.0.0.1:${port}` }
      : { WAIT_FOR: `http bench:${port}`, WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_PATH: '/', WAIT_STATUS: '200' };
    const run = runScript(script, env);
    await sleep(delayMs);
    let close: () => void;
    if (kind === 'tcp') {
      const server = await listen(port);
      close = () => server.close();
    } else {
      const server = http.createServer((_, res) => res.end('ok\n'));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      close = () => { server.closeAllConnections(); server.close(); };
    }
    const up = Date.now();
    const result = await Promise.race([run.done, sleep(EXIT_BOUND_MS).then(() => undefined)]);
    close();
    if (!result) {
      run.child.kill('SIGKILL');
      await run.done;
      out.push({ delayMs, error: `no exit within ${EXIT_BOUND_MS / 1000} s of the listener coming up` });
    } else if (result.code !== 0 || !/ is ready after \d+s$/.test(result.log[result.log.length - 1] ?? '')) {
      out.push({ delayMs, error: `exited ${result.code}: ${result.log.slice(-2).join(' | ')}` });
    } else {
      out.push({ delayMs, latencyMs: result.exitedAt - up });
    }
  }
  return out;
}

/** CPU a waiter used while it waited. */
export interface WaitingCpu {
  readonly seconds: number;
  /** utime + stime + cutime + cstime of the shell, in clock ticks. */
  readonly ticks: number;
  readonly clockTicksPerSecond: number;
  /** ticks / CLK_TCK / seconds, in percent of one core. */
  readonly percentOfCore: number;
}

/**
 * The TCP waiter against a port nobody listens on, for `seconds`: the CPU of
 * its shell and of every child the shell has reaped (each check's `nc`,
 * `timeout`, `date`, `sleep`, subshells), from /proc/PID/stat (utime, stime,
 * cutime, cstime), read just before the waiter is stopped. A child still
 * running at that moment (at most one `sleep 1` or one check) is not counted.
 */
export async function waitingCpu(seconds: number): Promise<WaitingCpu> {
  const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const port = await freePort();
  const startedAt = Date.now();
  const run = runScript(waiterScript('tcp'), { WAIT_FOR: `tcp closed:${port}`, WAIT_ADDRESSES: `127.0.0.1:${port}` });
  try {
    await sleep(seconds * 1000);
    const stat = readFileSync(`/proc/${run.child.pid}/stat`, 'utf8');
    const readAt = Date.now();
    if (run.exited()) throw new Error('the TCP waiter exited while the port was closed');
    // Fields after the command name (which may hold spaces): state is field 3, utime..cstime are fields 14-17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields.slice(11, 15).map(Number).reduce((a, b) => a + b, 0);
    const elapsed = (readAt - startedAt) / 1000;
    return { seconds: elapsed, ticks, clockTicksPerSecond, percentOfCore: (ticks / clockTicksPerSecond / elapsed) * 100 };
  } finally {
    run.child.kill('SIGTERM');
    await run.done;
  }
}
