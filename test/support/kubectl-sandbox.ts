import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BUSYBOX, busyboxPath } from './run-script';
import { StandInApiServer } from './stand-in-apiserver';
import { kubectlPath } from './tools';

/** Where an API-using script runs in tests: its environment, and how to remove it. */
export interface KubectlSandbox {
  /** PATH, HOME and KUBECONFIG, as in the kubectl image with a service-account token. */
  readonly env: Record<string, string>;
  cleanUp(): void;
}

/**
 * A PATH holding only busybox applets and the real kubectl (as in the kubectl
 * image), and a kubeconfig pointing at `serverUrl` with a bearer token.
 */
export function kubectlSandbox(serverUrl: string): KubectlSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-kubectl-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const applet of readdirSync(busyboxPath())) symlinkSync(BUSYBOX, join(bin, applet));
  symlinkSync(kubectlPath(), join(bin, 'kubectl'));
  writeFileSync(join(dir, 'kubeconfig'), `apiVersion: v1
kind: Config
clusters: [{ name: s, cluster: { server: "${serverUrl}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: s, user: u } }]
current-context: c
`);
  return {
    env: { PATH: bin, HOME: '/nonexistent', KUBECONFIG: join(dir, 'kubeconfig') },
    cleanUp: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A stand-in API server and a kubectl sandbox pointed at it, for one suite. */
export interface StandInApi {
  readonly server: StandInApiServer;
  /** The sandbox's environment (PATH, HOME, KUBECONFIG); valid once the suite has started. */
  env(): Record<string, string>;
}

/** Registers the suite's hooks: the server started and the sandbox made before it, both removed after it. */
export function useStandInApi(): StandInApi {
  const server = new StandInApiServer();
  let sandbox: KubectlSandbox | undefined;
  beforeAll(async () => {
    sandbox = kubectlSandbox(await server.start());
  });
  afterAll(async () => {
    await server.stop();
    sandbox?.cleanUp();
  });
  return { server, env: () => sandbox!.env };
}
