import * as http from 'http';
import { AddressInfo } from 'net';

/** A PATCH the server received: path, content type, the raw body, and the body parsed (undefined when it is not JSON). */
export interface ReceivedPatch {
  readonly path: string;
  readonly contentType: string;
  readonly raw: Buffer;
  readonly body: any;
  /** Why the body is not valid JSON (valid UTF-8 included), or undefined when it is. */
  readonly invalid?: string;
}

/** The kinds it serves, by resource name: where they live and what they are. */
const KINDS: Record<string, { group: string; kind: string }> = {
  jobs: { group: 'batch/v1', kind: 'Job' },
  secrets: { group: 'v1', kind: 'Secret' },
  pods: { group: 'v1', kind: 'Pod' },
  deployments: { group: 'apps/v1', kind: 'Deployment' },
  statefulsets: { group: 'apps/v1', kind: 'StatefulSet' },
  daemonsets: { group: 'apps/v1', kind: 'DaemonSet' },
  certificates: { group: 'cert-manager.io/v1', kind: 'Certificate' },
};

/** An open watch: its resource, namespace, and what it selects. */
interface Watch {
  readonly resource: string;
  readonly namespace: string;
  readonly name?: string;
  readonly labels: string[][];
}

/**
 * A stand-in for the Kubernetes API, on loopback, with just what kubectl
 * needs to list and watch Jobs, Secrets and Certificates (a custom resource)
 * by name and Pods by labels
 * (discovery, LIST, WATCH as a JSON stream of events, ADDED, MODIFIED and
 * DELETED), and to PATCH a pod's status. It records every request so tests
 * can assert what the real kubectl asked for, and can refuse a resource
 * (403) or leave lists of it unanswered.
 */
export class StandInApiServer {
  public readonly requests: string[] = [];
  /** Every PATCH received. */
  public readonly patches: ReceivedPatch[] = [];
  private readonly server: http.Server;
  private readonly objects = new Map<string, Map<string, any>>(Object.keys(KINDS).map((r) => [r, new Map()]));
  private readonly watches = new Map<http.ServerResponse, Watch>();
  private readonly forbidden = new Set<string>();
  private readonly hanging = new Set<string>();
  private version = 1;

  constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  public async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    for (const w of this.watches.keys()) w.end();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Ends every open watch, as an API server does when its watch timeout runs out or it restarts. */
  public dropWatches(): void {
    for (const w of this.watches.keys()) w.end();
    this.watches.clear();
  }

  /** How many watches are open now. */
  public openWatches(): number {
    return this.watches.size;
  }

  /** Answers every list and watch of `resource` (e.g. 'secrets'; 'pods/status': every PATCH) with 403 Forbidden from now on, or no longer (`on` false). */
  public forbid(resource: string, on = true): void {
    if (on) this.forbidden.add(resource); else this.forbidden.delete(resource);
  }

  /** Leaves every list of `resource` unanswered from now on (an API server that hangs), or no longer. */
  public hang(resource: string, on = true): void {
    if (on) this.hanging.add(resource); else this.hanging.delete(resource);
  }

  /**
   * Creates or updates Pod `name` in `namespace` with `labels` (listed and
   * watched by label selector), and a Ready condition when `ready` is given.
   */
  public putPod(namespace: string, name: string, labels: Record<string, string>, ready?: boolean): void {
    const status = ready === undefined ? {} : { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    this.put('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: {}, status });
  }

  /** Deletes Pod `name` from `namespace`. */
  public deletePod(namespace: string, name: string): void {
    this.delete('pods', namespace, name);
  }

  /** Creates or updates Job `name` in `namespace` with the given conditions, telling open watches. */
  public putJob(namespace: string, name: string, conditions: Array<{ type: string; status: string }>): void {
    this.put('jobs', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace }, spec: {}, status: { conditions } });
  }

  /** Deletes Job `name` from `namespace`, telling open watches (DELETED, with the Job as it last was). */
  public deleteJob(namespace: string, name: string): void {
    this.delete('jobs', namespace, name);
  }

  /**
   * Creates or updates a workload (`deployments`, `statefulsets` or
   * `daemonsets`) as given: `{ metadata: { name, namespace, ... }, spec, status }`.
   */
  public putWorkload(resource: 'deployments' | 'statefulsets' | 'daemonsets', object: any): void {
    this.put(resource, { apiVersion: 'apps/v1', kind: KINDS[resource].kind, ...object, metadata: { ...object.metadata } });
  }

  /** Deletes a workload, telling open watches. */
  public deleteWorkload(resource: 'deployments' | 'statefulsets' | 'daemonsets', namespace: string, name: string): void {
    this.delete(resource, namespace, name);
  }

  /** Creates or updates Certificate `name` (cert-manager.io/v1, a custom resource) in `namespace` with the given status conditions. */
  public putCertificate(namespace: string, name: string, conditions: Array<{ type: string; status: string }>): void {
    this.put('certificates', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name, namespace }, spec: {}, status: { conditions } });
  }

  /**
   * Starts deleting `name` of `resource` in `namespace`, as the API server
   * does for an object with finalizers pending: sets its deletionTimestamp
   * (and a finalizer), keeps it, and tells the open watches (MODIFIED). The
   * object must be held.
   */
  public startDeleting(resource: string, namespace: string, name: string): void {
    const object = this.objects.get(resource)!.get(`${namespace}/${name}`);
    if (!object) throw new Error(`no ${resource} ${namespace}/${name} to delete`);
    object.metadata = { ...object.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['example.com/hold'] };
    this.put(resource, object);
  }

  /** Creates or updates Secret `name` in `namespace`. */
  public putSecret(namespace: string, name: string): void {
    this.put('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data: {} });
  }

  /** Deletes Secret `name` from `namespace`. */
  public deleteSecret(namespace: string, name: string): void {
    this.delete('secrets', namespace, name);
  }

  /**
   * Deletes `name` of `resource` in `namespace` if the server holds it, and
   * tells the open watches, whether it held it or not, that it was deleted,
   * its last state having the given status `conditions` (when given): what a
   * watch sees when the object changed and went between two of its events.
   */
  public sendDeleted(resource: string, namespace: string, name: string, conditions?: Array<{ type: string; status: string }>): void {
    const store = this.objects.get(resource)!;
    const held = store.get(`${namespace}/${name}`);
    store.delete(`${namespace}/${name}`);
    const object = held ?? { apiVersion: KINDS[resource].group, kind: KINDS[resource].kind, metadata: { name, namespace } };
    const status = conditions ? { status: { conditions } } : {};
    this.tell(resource, 'DELETED', { ...object, ...status, metadata: { ...object.metadata, resourceVersion: String(++this.version) } });
  }

  private put(resource: string, object: any): void {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    const store = this.objects.get(resource)!;
    const existed = store.has(key);
    object.metadata.resourceVersion = String(++this.version);
    store.set(key, object);
    this.tell(resource, existed ? 'MODIFIED' : 'ADDED', object);
  }

  private delete(resource: string, namespace: string, name: string): void {
    const store = this.objects.get(resource)!;
    const object = store.get(`${namespace}/${name}`);
    store.delete(`${namespace}/${name}`);
    if (object) this.tell(resource, 'DELETED', { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.version) } });
  }

  private tell(resource: string, type: string, object: any): void {
    for (const [w, watch] of this.watches) {
      if (watch.resource === resource && selects(watch, object)) w.write(JSON.stringify({ type, object }) + '\n');
    }
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
        groups: ['batch', 'apps', 'cert-manager.io'].map((name) => ({
          name, versions: [{ groupVersion: `${name}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
        })),
      });
      case '/api/v1': return json(200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [resource('Pod', 'pods'), { ...resource('Pod', 'pods/status'), verbs: ['get', 'patch', 'update'] }, resource('Secret', 'secrets')],
      });
      case '/apis/batch/v1': return json(200, { kind: 'APIResourceList', groupVersion: 'batch/v1', resources: [resource('Job', 'jobs')] });
      case '/apis/apps/v1': return json(200, {
        kind: 'APIResourceList',
        groupVersion: 'apps/v1',
        resources: [resource('Deployment', 'deployments'), resource('StatefulSet', 'statefulsets'), resource('DaemonSet', 'daemonsets')],
      });
      case '/apis/cert-manager.io/v1': return json(200, { kind: 'APIResourceList', groupVersion: 'cert-manager.io/v1', resources: [resource('Certificate', 'certificates')] });
    }
    // GET of one workload by name (what `kubectl rollout status KIND/NAME` asks first)
    const one = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets|daemonsets)\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const object = this.objects.get(one[2])!.get(`${one[1]}/${one[3]}`);
      if (object) return json(200, object);
      return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${one[2]}.apps "${one[3]}" not found` });
    }
    const pod = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(\/status)?$/.exec(url.pathname);
    if (pod) {
      const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod[2], namespace: pod[1], resourceVersion: String(this.version) }, spec: {}, status: {} };
      if (req.method !== 'PATCH') return json(200, object);
      if (this.forbidden.has('pods/status')) {
        return json(403, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `pods "${pod[2]}" is forbidden: cannot patch resource "pods/status"` });
      }
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let body: any;
        let invalid: string | undefined;
        try {
          body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
        } catch (e: any) {
          invalid = String(e.message ?? e);
        }
        this.patches.push({ path: url.pathname, contentType: String(req.headers['content-type']), raw, body, invalid });
        if (invalid) return json(400, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', message: invalid, code: 400 });
        json(200, object);
      });
      return;
    }
    const list = /^\/(?:api\/v1|apis\/batch\/v1|apis\/apps\/v1|apis\/cert-manager\.io\/v1)\/namespaces\/([^/]+)\/(pods|jobs|secrets|deployments|statefulsets|daemonsets|certificates)$/.exec(url.pathname);
    if (!list) return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    const [, namespace, what] = list;
    const expectedPrefix = KINDS[what].group === 'v1' ? '/api/v1/' : `/apis/${KINDS[what].group}/`;
    if (!url.pathname.startsWith(expectedPrefix)) return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    if (this.forbidden.has(what)) {
      return json(403, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Forbidden',
        code: 403,
        message: `${what} is forbidden: User "system:serviceaccount:${namespace}:waiter" cannot list resource "${what}" in the namespace "${namespace}"`,
      });
    }
    const watch: Watch = {
      resource: what,
      namespace,
      name: /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1],
      labels: (url.searchParams.get('labelSelector') ?? '').split(',').filter(Boolean).map((kv) => kv.split('=')),
    };
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      // As an API server does: the headers go at once, so a client waiting for them (an informer) is not held until the first event.
      res.flushHeaders();
      this.watches.set(res, watch);
      req.on('close', () => this.watches.delete(res));
      return;
    }
    if (this.hanging.has(what)) return; // never answered
    const items = [...this.objects.get(what)!.values()].filter((o) => selects(watch, o));
    return json(200, { kind: `${KINDS[what].kind}List`, apiVersion: KINDS[what].group, metadata: { resourceVersion: String(this.version) }, items });
  }
}

/** Whether `watch` (its namespace, name and labels) selects `object`. */
function selects(watch: Watch, object: any): boolean {
  return object.metadata.namespace === watch.namespace
    && (!watch.name || object.metadata.name === watch.name)
    && watch.labels.every(([k, v]) => object.metadata.labels?.[k] === v);
}
