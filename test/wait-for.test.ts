import { execFileSync } from 'child_process';
import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { RolloutKind, WaitFor } from '../lib';
import { CheckMode } from '../lib/wait-for';
import { checkContext } from './support/synth';

const ctx = checkContext({ namespace: 'shop', path: 'shop/api' });
const envOf = (w: WaitFor) => Object.fromEntries(w._render(ctx).env);

describe('WaitFor', () => {
  test('tcp connects to one address, with no API access', () => {
    const r = WaitFor.tcp('db', 5432)._render(ctx);
    expect(r.mode).toBe(CheckMode.NETWORK);
    expect(r.permission).toBeUndefined();
    expect(envOf(WaitFor.tcp('db', 5432))).toStrictEqual({ WAIT_ADDRESSES: 'db:5432' });
  });

  test('http splits the URL and defaults to the statuses a Kubernetes probe accepts', () => {
    expect(envOf(WaitFor.http('http://api:8080/healthz?deep=1'))).toStrictEqual({
      WAIT_HOST: 'api', WAIT_PORT: '8080', WAIT_PATH: '/healthz?deep=1', WAIT_STATUS: '200-399',
    });
    expect(envOf(WaitFor.http('http://api', { statusCodes: [200, 204] }))).toMatchObject({ WAIT_PORT: '80', WAIT_PATH: '/', WAIT_STATUS: '200 204' });
  });

  test('fails when the http URL is https or not a URL', () => {
    expect(() => WaitFor.http('https://api/healthz')).toThrow(/WaitFor.http: url "https:\/\/api\/healthz" is https.*use WaitFor.tcp\(host, 443\)/);
    expect(() => WaitFor.http('api:8080')).toThrow('WaitFor.http: url "api:8080"');
    expect(() => WaitFor.http('http://api', { statusCodes: [700] }))
      .toThrow('WaitFor.http: statusCodes[0] 700 is not an HTTP status code: a whole number from 100 to 599; give the codes that count as ready');
    expect(() => WaitFor.http('http://api', { statusCodes: [] })).toThrow('WaitFor.http: statusCodes [] is empty, so no answer would count as ready');
  });

  test('fails when the command image is not an image reference', () => {
    expect(() => WaitFor.command('postgres 16', ['pg_isready']))
      .toThrow('WaitFor.command: image "postgres 16" is not an image reference: [REGISTRY[:PORT]/]PATH[:TAG][@DIGEST]');
    expect(() => WaitFor.command('Postgres:16', ['pg_isready'])).toThrow("; give the image that holds your probe, such as 'postgres:16'");
  });

  test('fails when a command argument has a NUL or a lone surrogate, or the program is empty', () => {
    expect(() => WaitFor.command('postgres:16', ['pg_isready', '-h', 'db\u0000']))
      .toThrow('WaitFor.command: command[2] "db\\u0000" has a NUL character, which no argument or environment variable can carry');
    expect(() => WaitFor.command('postgres:16', ['pg_isready', '\ud83d']))
      .toThrow('WaitFor.command: command[1] "\\ud83d" has a lone UTF-16 surrogate, which has no UTF-8 form');
    expect(() => WaitFor.command('postgres:16', ['', '-h', 'db'])).toThrow('WaitFor.command: command[0] "" is empty, so there is no program to run');
  });

  test('fails when the rollout kind is not a RolloutKind', () => {
    expect(() => WaitFor.rolloutComplete('deployment' as RolloutKind, 'api'))
      .toThrow('WaitFor.rolloutComplete: kind "deployment" is not one of "Deployment", "StatefulSet", "DaemonSet"; give RolloutKind.DEPLOYMENT');
  });

  test('fails when serviceReady is given something that is not a construct', () => {
    expect(() => WaitFor.serviceReady('db' as any)).toThrow('WaitFor.serviceReady: service "db" is not a construct; pass the Service construct');
  });

  test('fails when a host or port is invalid', () => {
    expect(() => WaitFor.tcp('DB_HOST', 5432)).toThrow('WaitFor.tcp: host "DB_HOST" is not a host');
    expect(() => WaitFor.tcp('db', 0)).toThrow('WaitFor.tcp: port 0');
    expect(() => WaitFor.tcp('db', 70000)).toThrow('WaitFor.tcp: port 70000');
  });

  test('serviceReady connects to every port of the Service', () => {
    const chart = Testing.chart();
    const svc = new kplus.Service(chart, 'db', { ports: [{ port: 5432 }, { port: 9187, name: 'metrics' }] });
    svc.ports.length; // ports are read at render time
    expect(envOf(WaitFor.serviceReady(svc))).toStrictEqual({ WAIT_ADDRESSES: `${svc.name}:5432 ${svc.name}:9187` });
  });

  test('serviceReady names the namespace of a Service in another namespace', () => {
    const chart = Testing.chart();
    const svc = new kplus.Service(chart, 'db', { ports: [{ port: 5432 }], metadata: { namespace: 'data' } });
    expect(envOf(WaitFor.serviceReady(svc)).WAIT_ADDRESSES).toBe(`${svc.name}.data:5432`);
  });

  test('fails when the Service has no ports', () => {
    // (a cdk8s-plus Service without ports cannot even render: a raw one can)
    const chart = Testing.chart();
    const svc = new ApiObject(chart, 'db', { apiVersion: 'v1', kind: 'Service', spec: { selector: { app: 'db' } } });
    expect(() => WaitFor.serviceReady(svc)._render(ctx)).toThrow(/shop\/api: Service 'test\/db' has no ports to connect to/);
  });

  test('jobComplete watches one Job by name and needs list and watch on it', () => {
    const r = WaitFor.jobComplete('migrate')._render(ctx);
    expect(r.mode).toBe(CheckMode.API);
    expect(r.permission).toStrictEqual({ apiGroup: 'batch', resource: 'jobs', namespace: 'shop', resourceName: 'migrate' });
    expect(envOf(WaitFor.jobComplete('migrate'))).toMatchObject({ WAIT_RESOURCE: 'jobs.batch', WAIT_SELECTOR: 'metadata.name=migrate', WAIT_NAMESPACE: 'shop' });
  });

  test('an object check without a namespace looks in the pod\'s own namespace', () => {
    const r = WaitFor.secret('api-tls')._render(checkContext({ path: 'x' }));
    expect(Object.fromEntries(r.env).WAIT_NAMESPACE).toBe('$(POD_NAMESPACE)');
    expect(r.permission!.namespace).toBeUndefined();
  });

  test('condition guesses the plural resource, and takes an explicit one', () => {
    const cert = WaitFor.condition({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'tls', condition: 'Ready' })._render(ctx);
    expect(Object.fromEntries(cert.env)).toMatchObject({ WAIT_RESOURCE: 'certificates.cert-manager.io', WAIT_CONDITION: 'Ready', WAIT_STATUS: 'True' });
    const policy = WaitFor.condition({ apiVersion: 'x.io/v1', kind: 'Policy', name: 'p', condition: 'Synced', status: 'False' })._render(ctx);
    expect(policy.permission!.resource).toBe('policies');
    const custom = WaitFor.exists({ apiVersion: 'v1', kind: 'Endpoints', name: 'db', resource: 'endpoints' })._render(ctx);
    expect(custom.permission).toStrictEqual({ apiGroup: '', resource: 'endpoints', namespace: 'shop', resourceName: 'db' });
  });

  test('rolloutComplete watches the workload kind in the apps group', () => {
    const r = WaitFor.rolloutComplete(RolloutKind.STATEFUL_SET, 'db')._render(ctx);
    expect(r.permission).toStrictEqual({ apiGroup: 'apps', resource: 'statefulsets', namespace: 'shop', resourceName: 'db' });
    expect(Object.fromEntries(r.env).WAIT_RESOURCE).toBe('statefulsets.apps');
    // The query sits beside the judge in checks/rollout/judge.sh: a StatefulSet counts readyReplicas as available
    // (paths under .object: kubectl prints watch events, so a deletion is told apart).
    const query = execFileSync('sh', ['-c', '. lib/checks/rollout/judge.sh; printf %s "$query"'],
      { env: { WAIT_RESOURCE: 'statefulsets.apps', PATH: process.env.PATH } }).toString();
    expect(query).toContain('available={.object.status.readyReplicas}');
  });

  test('podsReady selects by labels, in a stable order, with no resourceNames', () => {
    const r = WaitFor.podsReady({ labels: { tier: 'db', app: 'shop' }, minReady: 2 })._render(ctx);
    expect(Object.fromEntries(r.env)).toMatchObject({ WAIT_SELECTOR_FLAG: '-l', WAIT_SELECTOR: 'app=shop,tier=db', WAIT_MIN_READY: '2' });
    expect(r.permission!.resourceName).toBeUndefined();
  });

  test('command runs the user probe as positional arguments', () => {
    const r = WaitFor.command('postgres:16', ['pg_isready', '-h', 'db'])._render(ctx);
    expect(r).toMatchObject({ mode: CheckMode.COMMAND, image: 'postgres:16', args: ['pg_isready', '-h', 'db'], slug: 'pg_isready' });
  });

  test('fails with the fix when object names or options are invalid', () => {
    expect(() => WaitFor.jobComplete('Migrate')).toThrow('WaitFor.jobComplete: name "Migrate" is not a DNS-1123 subdomain');
    expect(() => WaitFor.podsReady({ labels: {} })).toThrow('WaitFor.podsReady: labels {} is empty, so it would select every pod');
    expect(() => WaitFor.podsReady({ labels: { a: 'b' }, minReady: 0 }))
      .toThrow('WaitFor.podsReady: minReady 0 is not a whole number of at least 1; give how many pods must be Ready, such as 1');
    expect(() => WaitFor.condition({ apiVersion: 'v1', kind: 'X', name: 'x', condition: 'not valid' })).toThrow('WaitFor.condition: condition "not valid"');
    expect(() => WaitFor.exists({ apiVersion: 'a/b/c', kind: 'X', name: 'x' })).toThrow('WaitFor.exists: apiVersion "a/b/c"');
    expect(() => WaitFor.command('', ['x'])).toThrow('WaitFor.command: image "" is not an image reference');
    expect(() => WaitFor.command('img:1', [])).toThrow("WaitFor.command: command [] is empty; give the probe to run, such as ['pg_isready', '-h', 'db']");
    // what used to reach the RBAC, the selector or the request line as it was
    expect(() => WaitFor.http('http://api/\r\nX-Injected: 1')).toThrow(/WaitFor.http: url .* whitespace or a control character/);
    expect(() => WaitFor.exists({ apiVersion: '*/v1', kind: 'Secret', name: 'x' })).toThrow('WaitFor.exists: apiVersion "*/v1"');
    expect(() => WaitFor.exists({ apiVersion: 'v1', kind: 'Secret', name: 'x', resource: '*' })).toThrow('WaitFor.exists: resource "*"');
    expect(() => WaitFor.exists({ apiVersion: 'v1', kind: 'Secret', name: 'x', resource: 'secrets,configmaps' })).toThrow('resource "secrets,configmaps"');
    expect(() => WaitFor.secret('x', { namespace: '$(id)' })).toThrow('WaitFor.exists: namespace "$(id)"');
    expect(() => WaitFor.podsReady({ labels: { app: 'db,tier!=x' } })).toThrow('WaitFor.podsReady: labels["app"] "db,tier!=x"');
  });
});
