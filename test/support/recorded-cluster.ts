import * as http from 'http';
import { AddressInfo } from 'net';

/** The resources a RecordedCluster serves: API group/version, plural, kind. */
const RESOURCES: Array<{ groupVersion: string; plural: string; kind: string }> = [
  { groupVersion: 'v1', plural: 'pods', kind: 'Pod' },
  { groupVersion: 'apps/v1', plural: 'deployments', kind: 'Deployment' },
  { groupVersion: 'apps/v1', plural: 'statefulsets', kind: 'StatefulSet' },
  { groupVersion: 'apps/v1', plural: 'daemonsets', kind: 'DaemonSet' },
  { groupVersion: 'apps/v1', plural: 'replicasets', kind: 'ReplicaSet' },
  { groupVersion: 'batch/v1', plural: 'jobs', kind: 'Job' },
  { groupVersion: 'batch/v1', plural: 'cronjobs', kind: 'CronJob' },
];

/**
 * A stand-in Kubernetes API server, on loopback, that serves a set of
 * recorded objects to `kubectl get`: discovery of the core, apps and batch
 * groups, and LIST of pods, workloads, ReplicaSets and Jobs, in one namespace
 * or all. The objects can be replaced while it runs (a rollout, step by
 * step). It records every request, so a test can check that a reader only
 * read.
 */
export class RecordedCluster {
  public readonly requests: string[] = [];
  private objects: any[] = [];
  private next: any[] | undefined;
  private firstPlural = '';
  private version = 1;
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  /** Plurals whose LIST is refused as RBAC refuses it (403 Forbidden). */
  private forbidden = new Set<string>();

  public async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Serves `objects` from now on (each with apiVersion, kind, metadata.name and metadata.namespace). */
  public set(objects: any[]): void {
    this.objects = objects;
    this.next = undefined;
    this.version++;
  }

  /** Refuses every LIST of `plurals` from now on, as an API server does for a user without `list` on them; `[]`: none. */
  public forbid(plurals: string[]): void {
    this.forbidden = new Set(plurals);
  }

  /**
   * Serves `objects` from the next read on: when a LIST of `firstPlural` (the
   * first resource a reader lists) arrives. One `kubectl get` of several
   * resources makes one request each; a change in between would give that
   * read half of each set of objects.
   */
  public setAtNextRead(objects: any[], firstPlural: string): void {
    this.next = objects;
    this.firstPlural = firstPlural;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url!, 'http://stand-in');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (code: number, body: any) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return json(405, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'MethodNotAllowed', code: 405 });
    const groups = [...new Set(RESOURCES.map((r) => r.groupVersion).filter((gv) => gv.includes('/')))];
    if (url.pathname === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') {
      return json(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((gv) => ({
          name: gv.split('/')[0],
          versions: [{ groupVersion: gv, version: 'v1' }],
          preferredVersion: { groupVersion: gv, version: 'v1' },
        })),
      });
    }
    const discovery = /^\/(?:api\/v1|apis\/([^/]+\/v1))$/.exec(url.pathname);
    if (discovery) {
      const gv = discovery[1] ?? 'v1';
      return json(200, {
        kind: 'APIResourceList',
        groupVersion: gv,
        resources: RESOURCES.filter((r) => r.groupVersion === gv)
          .map((r) => ({ name: r.plural, singularName: '', namespaced: true, kind: r.kind, verbs: ['get', 'list', 'watch'] })),
      });
    }
    const list = /^\/(?:api\/v1|apis\/([^/]+\/v1))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(url.pathname);
    const resource = list && RESOURCES.find((r) => r.groupVersion === (list[1] ?? 'v1') && r.plural === list[3]);
    if (!list || !resource) return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    if (this.next && resource.plural === this.firstPlural) this.set(this.next);
    if (this.forbidden.has(resource.plural)) {
      const group = resource.groupVersion.includes('/') ? resource.groupVersion.split('/')[0] : '';
      return json(403, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: `${resource.plural}${group ? `.${group}` : ''} is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource `
          + `"${resource.plural}" in API group "${group}"${list[2] !== undefined ? ` in the namespace "${list[2]}"` : ' at the cluster scope'}`,
        reason: 'Forbidden',
        details: { kind: resource.plural, group },
        code: 403,
      });
    }
    const items = this.objects.filter((o) => o.kind === resource.kind && (list[2] === undefined || o.metadata.namespace === list[2]));
    return json(200, {
      kind: `${resource.kind}List`,
      apiVersion: resource.groupVersion,
      metadata: { resourceVersion: String(this.version) },
      items: items.map((o) => ({ ...o, apiVersion: resource.groupVersion })),
    });
  }
}
