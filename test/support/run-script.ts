import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'fs';
import * as net from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Script } from '../../lib/waiters';

/**
 * The text of one of the library's scripts, taken by its name. Loaded when a
 * test first asks: the benchmark, which runs the compiled library (build/)
 * and loads this file, passes script text and never needs lib/.
 */
function textOf(script: Script): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../lib/waiters') as typeof import('../../lib/waiters')).scriptText(script.file);
}

/** Debian's busybox-static: the stand-in for the busybox waiter image. */
export const BUSYBOX = '/bin/busybox';

let applets: string | undefined;
const running = new Set<ChildProcess>();

/** Kills every script still running (for afterEach, so a failed test leaves nothing behind). */
export function killScripts(): void {
  // The whole process group: a script's kubectl and helpers too, which would otherwise keep watches open and pipes
  // held after the test (each script leads a group of its own).
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  running.clear();
}

/**
 * A folder holding only busybox applets, to be the whole PATH of a script
 * under test, so nothing from the host leaks in.
 */
export function busyboxPath(): string {
  if (!applets) {
    const dir = mkdtempSync(join(tmpdir(), 'ordered-busybox-'));
    const names = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const name of names) symlinkSync(BUSYBOX, join(dir, name));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    applets = dir;
  }
  return applets;
}

/** What a script run produced. */
export interface ScriptRun {
  readonly code: number | null;
  readonly log: string[];
  /** `Date.now()` when the script exited. */
  readonly exitedAt: number;
  readonly startedAt: number;
}

/** A running script: its exit can be awaited. */
export interface RunningScript {
  readonly child: ChildProcess;
  readonly done: Promise<ScriptRun>;
  /** Its log lines so far. */
  readonly log: readonly string[];
  /** Whether it has exited yet. */
  exited(): boolean;
}

/**
 * Runs `script` (one of ours, by name, or shell text) as `sh -c SCRIPT
 * wait-for ARGS...`, which is what the containers' `sh /ordered/FILE ARGS...`
 * does but for `$0`, under busybox `sh`, with only `env` (plus a PATH of busybox applets, and a
 * termination message file of /dev/null, unless given) in its environment.
 */
export function runScript(script: string | Script, env: Record<string, string>, args: string[] = [], shell = [BUSYBOX, 'sh']): RunningScript {
  return start([...shell, '-c', typeof script === 'string' ? script : textOf(script), 'wait-for', ...args], env);
}

/**
 * Runs a hook's exec command as written (`/bin/sh -c TEXT NAME ARGS...`), but
 * under busybox `sh`, with the environment `runScript` gives.
 */
export function runHook(command: readonly string[], env: Record<string, string> = {}): RunningScript {
  if (command[0] !== '/bin/sh' || command[1] !== '-c') throw new Error(`not a /bin/sh -c hook: ${JSON.stringify(command)}`);
  return start([BUSYBOX, 'sh', ...command.slice(1)], env);
}

/** Runs `argv` with only `env` (and runScript's PATH and termination log) in its environment, its output collected. */
function start(argv: readonly string[], env: Record<string, string>): RunningScript {
  const startedAt = Date.now();
  const child = spawn(argv[0], argv.slice(1), {
    env: { PATH: busyboxPath(), WAIT_TERMINATION_LOG: '/dev/null', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const log: string[] = [];
  let buffer = '';
  const collect = (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    log.push(...lines);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let finished = false;
  const done = new Promise<ScriptRun>((resolve) => {
    child.on('close', (code) => {
      finished = true;
      running.delete(child);
      if (buffer) log.push(buffer);
      resolve({ code, log, exitedAt: Date.now(), startedAt });
    });
  });
  return { child, done, log, exited: () => finished };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A TCP listener on 127.0.0.1:port that accepts and closes; resolves once listening. */
export async function listen(port: number): Promise<net.Server> {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** More than a pipe holds (64 KiB on Linux): the length of one line a probe's target prints. */
export const BIG = 70_000;

/**
 * A server on 127.0.0.1:port that reads each request and answers with one
 * line of BIG bytes (no status line) while `big()` holds, else `HTTP/1.0 200
 * OK`; then closes. Resolves once listening.
 */
export async function bigReplyServer(port: number, big: () => boolean): Promise<net.Server> {
  const server = net.createServer((socket) => {
    let request = '';
    socket.on('data', (d) => {
      request += d.toString();
      if (!request.includes('\r\n\r\n')) return;
      socket.end(big() ? `${'x'.repeat(BIG)}\r\n` : 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    socket.on('error', () => { /* the waiter may close first */ });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * How soon a script must be gone after SIGTERM, or after its timeout: 1 s,
 * with half a second more for a loaded machine (the suites share two cores
 * with other work). A bound on a behaviour, not a benchmark.
 */
export const PROMPT_MS = 1_500;

/**
 * The shells our scripts meet, as `[name, argv]` for `test.each`: busybox's
 * (the busybox image, alpine/kubectl, alpine/k8s) and dash (/bin/sh of
 * Debian-based images; registry.k8s.io/kubectl has no shell).
 */
export const SHELLS: Array<[string, string[]]> = [['busybox sh', [BUSYBOX, 'sh']], ['dash', ['/bin/dash']]];

/** Sends SIGTERM to a running script; resolves with the run and how long after the signal it exited. */
export async function terminate(run: RunningScript): Promise<{ result: ScriptRun; after: number }> {
  const termAt = Date.now();
  run.child.kill('SIGTERM');
  const result = await run.done;
  return { result, after: result.exitedAt - termAt };
}

/** Resolves once `cond()` holds (checked every 50 ms); rejects after `ms`. */
export async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`still not so after ${ms} ms`);
    await sleep(50);
  }
}

/** A long-running program started by a test. */
export interface Started {
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts a long-running program (a server). */
export function startProcess(command: string, args: string[], options: { cwd?: string } = {}): Started {
  const child = spawn(command, args, { stdio: 'ignore', cwd: options.cwd });
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
