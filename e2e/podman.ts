import { ChildProcess, execFileSync, spawn } from 'child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * A small harness around podman (Debian's package, run as root) for the
 * end-to-end suite: a local busybox image, and `podman kube play` of
 * synthesized workloads. Nothing here edits the YAML.
 */

/** The local image standing in for `busybox` (built from Debian's busybox-static, never pulled). */
export const BUSYBOX_IMAGE = 'localhost/ordered-busybox:e2e';

const work = mkdtempSync(join(tmpdir(), 'ordered-e2e-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/**
 * Engine settings this sandbox needs (see e2e/README.md): runc, limits the
 * sandbox lets a container set, no syslog/journald, and netavark (whose
 * aardvark-dns resolves pod names and aliases on a podman network; the CNI
 * backend does not without a plugin).
 */
const CONTAINERS_CONF = join(work, 'containers.conf');
writeFileSync(CONTAINERS_CONF, `[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
runtime = "runc"
events_logger = "file"
[network]
network_backend = "netavark"
`);
const ENV = { ...process.env, CONTAINERS_CONF };

/** Runs podman; returns its stdout. */
export function podman(...args: string[]): string {
  return execFileSync('podman', args, { env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs podman, returning undefined instead of throwing. */
export function tryPodman(...args: string[]): string | undefined {
  try {
    return podman(...args);
  } catch {
    return undefined;
  }
}

/** Why podman cannot run here, or undefined when it can. */
export function podmanUnavailable(): string | undefined {
  try {
    execFileSync('podman', ['info'], { env: ENV, stdio: 'pipe' });
    execFileSync('runc', ['--version'], { stdio: 'pipe' });
    return undefined;
  } catch (e: any) {
    return `podman cannot run on this machine: ${String(e.stderr ?? e.message).split('\n')[0]}`;
  }
}

/** Builds the busybox image once: a rootfs of Debian's static busybox and its applets. */
export function buildBusyboxImage(): void {
  if (tryPodman('image', 'exists', BUSYBOX_IMAGE) !== undefined) return;
  const rootfs = join(work, 'rootfs');
  for (const d of ['bin', 'etc', 'tmp']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const a of applets) symlinkSync('busybox', join(rootfs, 'bin', a));
  writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n');
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
  const tar = join(work, 'rootfs.tar');
  execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
  podman('import', '--change', 'CMD ["sh"]', '--change', 'ENV PATH=/bin', tar, BUSYBOX_IMAGE);
}

/** A `podman kube play` that may still be running (it blocks while init containers run). */
export interface Play {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; output: string }>;
  /** Every line the pod's containers wrote so far (init and app, in order), as conmon logged them. */
  log(): LogLine[];
}

/** One line of a container's output, with the time conmon received it. */
export interface LogLine {
  readonly at: number;
  readonly text: string;
}

/**
 * Plays one synthesized manifest. `podmanArgs` carries the harness's stand-ins
 * (the network, a Service alias: see service-shim.ts).
 */
export function play(manifest: string, podmanArgs: string[]): Play {
  const base = join(work, `play-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const file = `${base}.yaml`;
  const logFile = `${base}.log`;
  writeFileSync(file, manifest);
  // One k8s-file log for the whole pod: init containers are removed once they ran, their log stays.
  const child = spawn('podman', ['kube', 'play', '--log-opt', `path=${logFile}`, ...podmanArgs, file], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '').split('\n').filter(Boolean).map((l) => {
    const [time, , , ...rest] = l.split(' ');
    return { at: Date.parse(time), text: rest.join(' ') };
  });
  return { child, done, log };
}

/** When a container of the pod first wrote `text`, by conmon's log (throws, showing the log, when it never did). */
export function when(log: LogLine[], text: string): number {
  const line = log.find((l) => l.text === text);
  if (!line) throw new Error(`no '${text}' line in: ${log.map((l) => l.text).join(' | ')}`);
  return line.at;
}

/** A container's state, from podman's own records. */
export interface ContainerState {
  readonly name: string;
  readonly status: string;
  readonly exitCode: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly restartCount: number;
}

/** Every container of a pod (its infra container left out). */
export function podContainers(pod: string): ContainerState[] {
  const ids = podman('ps', '-a', '--filter', `pod=${pod}`, '--format', '{{.ID}}').split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const data = JSON.parse(podman('inspect', ...ids));
  return data.filter((c: any) => !c.IsInfra).map((c: any) => ({
    name: c.Name,
    status: c.State.Status,
    exitCode: c.State.ExitCode,
    startedAt: Date.parse(c.State.StartedAt),
    finishedAt: Date.parse(c.State.FinishedAt),
    restartCount: c.RestartCount,
  }));
}

/** Removes every pod and the test network. */
export function cleanUp(network: string): void {
  tryPodman('pod', 'rm', '-af', '-t', '0');
  tryPodman('network', 'rm', '-f', network);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `predicate` holds, or throws after `ms`. */
export async function until(what: string, predicate: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await sleep(200);
  }
}

/**
 * The hooks every podman suite needs: before it, a clean network and the
 * busybox image; after each test, no pod left; after it, nothing left.
 */
export function usePodmanNetwork(network: string): void {
  beforeAll(() => {
    cleanUp(network);
    buildBusyboxImage();
    podman('network', 'create', network);
  });
  afterEach(() => tryPodman('pod', 'rm', '-af', '-t', '0'));
  afterAll(() => cleanUp(network));
}
