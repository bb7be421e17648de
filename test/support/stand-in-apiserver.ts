import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A stand-in for the Kubernetes API, on loopback, with just what kubectl
 * needs to list and watch Jobs by name (discovery, LIST, WATCH as a JSON
 * stream of events), list Pods by labels, and PATCH a pod's status. It records every request so tests can assert what the
 * real kubectl asked for.
 */
export class StandInApiServer {
  public readonly requests: string[] = [];
  /** Every PATCH received: path, content type and body. */
  public readonly patches: Array<{ path: string; contentType: string; body: any }> = [];
  private readonly server: http.Server;
  private readonly watches = new Set<http.ServerResponse>();
  private jobs = new Map<string, any>();
  private pods = new Map<string, any>();
  private readonly podWatches = new Map<http.ServerResponse, { namespace: string; wanted: string[][] }>();
  private version = 1;

  constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  public async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    for (const w of [...this.watches, ...this.podWatches.keys()]) w.end();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Ends every open watch, as an API server does when its watch timeout runs out or it restarts. */
  public dropWatches(): void {
    for (const w of [...this.watches, ...this.podWatches.keys()]) w.end();
    this.watches.clear();
    this.podWatches.clear();
  }

  /**
   * Creates or updates Pod `name` in `namespace` with `labels` (listed and
   * watched by label selector), and a Ready condition when `ready` is given.
   */
  public putPod(namespace: string, name: string, labels: Record<string, string>, ready?: boolean): void {
    const existed = this.pods.has(`${namespace}/${name}`);
    const status = ready === undefined ? {} : { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels, resourceVersion: String(++this.version) }, spec: {}, status };
    this.pods.set(`${namespace}/${name}`, pod);
    this.tellPodWatches(existed ? 'MODIFIED' : 'ADDED', pod);
  }

  /** Deletes Pod `name` from `namespace`. */
  public deletePod(namespace: string, name: string): void {
    const pod = this.pods.get(`${namespace}/${name}`);
    this.pods.delete(`${namespace}/${name}`);
    if (pod) this.tellPodWatches('DELETED', pod);
  }

  private tellPodWatches(type: string, pod: any): void {
    for (const [w, { namespace, wanted }] of this.podWatches) {
      if (matches(pod, namespace, wanted)) w.write(JSON.stringify({ type, object: pod }) + '\n');
    }
  }

  /** Creates or updates Job `name` in `namespace` with the given conditions, telling open watches. */
  public putJob(namespace: string, name: string, conditions: Array<{ type: string; status: string }>): void {
    const existed = this.jobs.has(`${namespace}/${name}`);
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace, resourceVersion: String(++this.version) },
      spec: {},
      status: { conditions },
    };
    this.jobs.set(`${namespace}/${name}`, job);
    for (const w of this.watches) w.write(JSON.stringify({ type: existed ? 'MODIFIED' : 'ADDED', object: job }) + '\n');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url!, 'http://stand-in');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (code: number, body: any) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const resource = (kind: string, name: string) => ({ name, singularName: '', namespaced: true, kind, verbs: ['get', 'list', 'watch'] });
    switch (url.pathname) {
      case '/api': return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      case '/apis': return json(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [{ name: 'batch', versions: [{ groupVersion: 'batch/v1', version: 'v1' }], preferredVersion: { groupVersion: 'batch/v1', version: 'v1' } }],
      });
      case '/api/v1': return json(200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [resource('Pod', 'pods'), { ...resource('Pod', 'pods/status'), verbs: ['get', 'patch', 'update'] }, resource('Secret', 'secrets')],
      });
      case '/apis/batch/v1': return json(200, { kind: 'APIResourceList', groupVersion: 'batch/v1', resources: [resource('Job', 'jobs')] });
    }
    const podList = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
    if (podList) {
      const wanted = (url.searchParams.get('labelSelector') ?? '').split(',').filter(Boolean).map((kv) => kv.split('='));
      if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
        this.podWatches.set(res, { namespace: podList[1], wanted });
        req.on('close', () => this.podWatches.delete(res));
        return;
      }
      const items = [...this.pods.values()].filter((p) => matches(p, podList[1], wanted));
      return json(200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(this.version) }, items });
    }
    const pod = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(\/status)?$/.exec(url.pathname);
    if (pod) {
      const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod[2], namespace: pod[1], resourceVersion: String(this.version) }, spec: {}, status: {} };
      if (req.method !== 'PATCH') return json(200, object);
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        this.patches.push({ path: url.pathname, contentType: String(req.headers['content-type']), body: JSON.parse(body) });
        json(200, object);
      });
      return;
    }
    const m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/.exec(url.pathname);
    if (!m) return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    const name = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
    const items = [...this.jobs.values()].filter((j) => j.metadata.namespace === m[1] && (!name || j.metadata.name === name));
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      this.watches.add(res);
      req.on('close', () => this.watches.delete(res));
      return;
    }
    return json(200, { kind: 'JobList', apiVersion: 'batch/v1', metadata: { resourceVersion: String(this.version) }, items });
  }
}

/** Whether `pod` is in `namespace` and carries every `key=value` of `wanted`. */
function matches(pod: any, namespace: string, wanted: string[][]): boolean {
  return pod.metadata.namespace === namespace && wanted.every(([k, v]) => pod.metadata.labels?.[k] === v);
}
