import { kubectlSandbox, KubectlSandbox } from './kubectl-sandbox';
import { RECORDED_AT, recordedApp } from './recorded-app';
import { RecordedCluster } from './recorded-cluster';
import { kubectlPath } from './tools';
import { RESOURCES } from '../../lib/cli/kubectl';
import { main } from '../../lib/cli/main';

/** What one in-process run of the CLI wrote, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A suite's recorded cluster and the CLI run against it (see `useRecordedCluster`). */
export interface RecordedClusterSuite {
  readonly cluster: RecordedCluster;
  /** Runs the CLI in-process with `argv`. */
  cli(...argv: string[]): Promise<CliRun>;
  /** `status -n shop` with the real kubectl, and `more`. */
  status(...more: string[]): Promise<CliRun>;
  /** Serves the objects of `scenario` from the first read that starts after `ms`. */
  later(ms: number, scenario: string): void;
  /** Runs `f` after `ms` (cleared when the test ends). */
  after(ms: number, f: () => void): void;
}

/** The resource `status` lists first: kubectl lists them in the order given. */
export const FIRST_LISTED = RESOURCES[0].split('.')[0];

/**
 * Registers the suite's hooks: a stand-in API server serving recorded
 * objects and a kubectl sandbox pointed at it, made before the suite and
 * removed after it; its request log and refusals reset, and its timers
 * cleared, around each test. The CLI runs in-process, kubectl in the sandbox
 * (PATH, HOME, KUBECONFIG), the clock at the fixtures' moment (with --watch,
 * running on from there).
 */
export function useRecordedCluster(): RecordedClusterSuite {
  const cluster = new RecordedCluster();
  let sandbox: KubectlSandbox;
  let started = 0;
  const timers: NodeJS.Timeout[] = [];
  beforeAll(async () => {
    sandbox = kubectlSandbox(await cluster.start());
  });
  afterAll(async () => {
    await cluster.stop();
    sandbox.cleanUp();
  });
  beforeEach(() => {
    cluster.requests.length = 0;
    cluster.forbid([]);
    started = Date.now();
  });
  afterEach(() => timers.splice(0).forEach(clearTimeout));

  const cli = async (...argv: string[]): Promise<CliRun> => {
    const watch = argv.includes('--watch') || argv.includes('-w');
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      now: () => (watch ? RECORDED_AT + (Date.now() - started) : RECORDED_AT),
      env: sandbox.env,
    });
    return { code, stdout, stderr };
  };
  const after = (ms: number, f: () => void) => {
    timers.push(setTimeout(f, ms));
  };
  return {
    cluster,
    cli,
    status: (...more) => cli('status', '-n', 'shop', '--kubectl', kubectlPath(), ...more),
    later: (ms, scenario) => after(ms, () => cluster.setAtNextRead(recordedApp(scenario), FIRST_LISTED)),
    after,
  };
}
