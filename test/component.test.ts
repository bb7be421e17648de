import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, TimeoutPolicy, WaitFor } from '../lib';
import { env, initNames, manifest, podSpec, scriptOf, synth } from './support/synth';

/**
 * The shop, its dependencies checked as they are written (network checks with no API access): these tests are about
 * the checks, waiters and RBAC themselves; test/upgrades.test.ts covers the rollout check that is on by default.
 */
function shop() {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(c, 'ordered', { upgradeChecks: false });
  const db = ordered.add(new kplus.StatefulSet(c, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
  const migrate = ordered.add(new kplus.Job(c, 'migrate', { containers: [{ image: 'shop/migrate:1' }] }));
  const api = ordered.add(new kplus.Deployment(c, 'api', { containers: [{ image: 'shop/api:1', portNumber: 8080 }] }));
  return { chart: c, ordered, db, migrate, api };
}

describe('dependsOn', () => {
  test('a dependency on a workload with a Service adds a TCP waiter for each Service port', () => {
    // GIVEN
    const { chart, db, api } = shop();
    // WHEN
    api.dependsOn(db);
    // THEN
    const out = synth(chart);
    const dep = manifest(out, 'Deployment');
    const [waiter] = podSpec(dep).initContainers;
    const svc = manifest(out, 'Service');
    expect(waiter.name).toBe('wait-for-db');
    expect(waiter.image).toBe('busybox:1.36.1');
    expect(waiter.command).toEqual(['/bin/sh', '/ordered/wait-tcp.sh']);
    expect(scriptOf(out, dep, waiter)).toContain('nc -w 2');
    expect(env(waiter, 'WAIT_ADDRESSES')).toBe(`${svc.metadata.name}:5432`);
    expect(env(waiter, 'WAIT_TIMEOUT')).toBeUndefined();
  });

  test('the waiter passes Pod Security "restricted" and has small requests and limits', () => {
    const { chart, db, api } = shop();
    api.dependsOn(db);
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment')).initContainers;
    expect(waiter.securityContext).toStrictEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsGroup: 65534,
      runAsNonRoot: true,
      runAsUser: 65534,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(waiter.resources).toStrictEqual({ limits: { cpu: '50m', memory: '16Mi' }, requests: { cpu: '5m', memory: '8Mi' } });
  });

  test('a dependency on a Job waits for the Job to complete, watching it through the API', () => {
    const { chart, migrate, api } = shop();
    api.dependsOn(migrate);
    const out = synth(chart);
    const job = manifest(out, 'Job');
    const dep = manifest(out, 'Deployment');
    const [waiter] = podSpec(dep).initContainers;
    expect(waiter.name).toBe('wait-for-migrate');
    expect(waiter.image).toBe(OrderedApp.DEFAULT_KUBECTL_IMAGE);
    expect(env(waiter, 'WAIT_RESOURCE')).toBe('jobs.batch');
    expect(env(waiter, 'WAIT_SELECTOR')).toBe(`metadata.name=${job.metadata.name}`);
    expect(env(waiter, 'WAIT_NAMESPACE')).toBe('shop');
    expect(waiter.command).toEqual(['/bin/sh', '/ordered/wait-job.sh']);
    expect(scriptOf(out, dep, waiter)).toContain('kubectl get "$WAIT_RESOURCE"');
    expect(scriptOf(out, dep, waiter)).toContain('--watch');
  });

  test('API waiters get a Role with only list and watch on the named objects, bound to a dedicated service account', () => {
    const { chart, migrate, api } = shop();
    api.dependsOn(migrate);
    api.waitFor(WaitFor.secret('api-tls'));
    const out = synth(chart);
    const job = manifest(out, 'Job');
    const role = manifest(out, 'Role');
    const binding = manifest(out, 'RoleBinding');
    const sa = manifest(out, 'ServiceAccount');
    expect(role.rules).toStrictEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['api-tls'], verbs: ['list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs'], resourceNames: [job.metadata.name], verbs: ['list', 'watch'] },
    ]);
    expect(binding.roleRef).toStrictEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toStrictEqual([{ kind: 'ServiceAccount', name: sa.metadata.name }]);
    expect(sa.automountServiceAccountToken).toBe(false);
    const spec = podSpec(manifest(out, 'Deployment'));
    expect(spec.serviceAccountName).toBe(sa.metadata.name);
  });

  test('the token is mounted into API waiters only, never into app containers', () => {
    const { chart, db, migrate, api } = shop();
    api.dependsOn(db);
    api.dependsOn(migrate);
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    expect(spec.automountServiceAccountToken).toBe(false);
    const [tcp, kubectl] = spec.initContainers;
    const scripts = { name: 'ordered-scripts', mountPath: '/ordered', readOnly: true };
    expect(tcp.volumeMounts).toStrictEqual([scripts]);
    expect(kubectl.volumeMounts).toStrictEqual([
      { name: 'ordered-waiter-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
      scripts,
    ]);
    for (const c of spec.containers) expect(c.volumeMounts).toBeUndefined();
    const vol = spec.volumes.find((v: any) => v.name === 'ordered-waiter-token');
    expect(vol.projected.sources.map((s: any) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
  });

  test('network-only dependencies create no RBAC and no service account', () => {
    const { chart, db, api } = shop();
    api.dependsOn(db);
    const out = synth(chart);
    expect(out.filter((m) => ['Role', 'RoleBinding', 'ServiceAccount'].includes(m.kind))).toEqual([]);
    expect(podSpec(manifest(out, 'Deployment')).serviceAccountName).toBeUndefined();
  });

  test('the Role binds to the workload\'s own service account when it has one', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const sa = new kplus.ServiceAccount(chart, 'api-sa');
    const job = ordered.add(new kplus.Job(chart, 'migrate', { containers: [{ image: 'm:1' }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { serviceAccount: sa, containers: [{ image: 'a:1' }] }));
    api.dependsOn(job);
    const out = synth(chart);
    expect(out.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.name)).toEqual([sa.name]);
    expect(manifest(out, 'RoleBinding').subjects).toStrictEqual([{ kind: 'ServiceAccount', name: sa.name }]);
    expect(podSpec(manifest(out, 'Deployment')).serviceAccountName).toBe(sa.name);
  });

  test('waiters come before the workload\'s own init containers, in declaration order', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: false });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const cache = ordered.add(new kplus.Deployment(chart, 'cache', { containers: [{ image: 'redis:7', portNumber: 6379 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', {
      initContainers: [{ name: 'setup', image: 'setup:1' }],
      containers: [{ image: 'api:1' }],
    }));
    api.dependsOn(db);
    api.dependsOn(cache);
    expect(initNames(manifest(synth(chart), 'Deployment', 'test-api'))).toEqual(['wait-for-db', 'wait-for-cache', 'setup']);
  });

  test('declaring the same dependency twice is a no-op', () => {
    const { chart, db, api } = shop();
    api.dependsOn(db);
    api.dependsOn(db);
    expect(initNames(manifest(synth(chart), 'Deployment'))).toEqual(['wait-for-db']);
    expect(api.dependencies).toHaveLength(1);
  });

  test('waiting twice for equal checks made separately is one waiter', () => {
    const { chart, api } = shop();
    api.waitFor(WaitFor.secret('api-tls'));
    api.waitFor(WaitFor.secret('api-tls'));
    expect(initNames(manifest(synth(chart), 'Deployment'))).toEqual(['wait-for-secret-api-tls']);
    expect(api.dependencies).toHaveLength(1);
  });

  test('a timeout and a failure policy reach the waiter', () => {
    const { chart, db, api } = shop();
    api.dependsOn(db, { timeout: Duration.minutes(2), onTimeout: TimeoutPolicy.PROCEED });
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment')).initContainers;
    expect(env(waiter, 'WAIT_TIMEOUT')).toBe('120');
    expect(env(waiter, 'WAIT_ON_TIMEOUT')).toBe('proceed');
  });

  test('a check given on the edge overrides the default', () => {
    const { chart, db, api } = shop();
    api.dependsOn(db, { check: WaitFor.http('http://db-admin:8080/ready') });
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment')).initContainers;
    expect(waiter.name).toBe('wait-for-db');
    expect(env(waiter, 'WAIT_HOST')).toBe('db-admin');
    expect(env(waiter, 'WAIT_PATH')).toBe('/ready');
  });

  test('a component\'s readiness option is what its dependents check', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: false });
    const search = ordered.add(new kplus.Deployment(chart, 'search', { containers: [{ image: 'es:8', portNumber: 9200 }] }), {
      readiness: WaitFor.http('http://search:9200/_cluster/health'),
    });
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] }));
    api.dependsOn(search);
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment', 'test-api')).initContainers;
    expect(env(waiter, 'WAIT_PATH')).toBe('/_cluster/health');
  });

  test('a workload without a Service but with a port is checked by its pods being Ready', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: false });
    const worker = ordered.add(new kplus.Deployment(chart, 'worker', { containers: [{ image: 'w:1', portNumber: 9000 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] }));
    api.dependsOn(worker);
    const out = synth(chart);
    const [waiter] = podSpec(manifest(out, 'Deployment', 'test-api')).initContainers;
    const labels = manifest(out, 'Deployment', 'test-worker').spec.selector.matchLabels;
    expect(env(waiter, 'WAIT_RESOURCE')).toBe('pods');
    expect(env(waiter, 'WAIT_SELECTOR_FLAG')).toBe('-l');
    expect(env(waiter, 'WAIT_SELECTOR')).toBe(Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','));
    expect(env(waiter, 'WAIT_NAMESPACE')).toBe('$(POD_NAMESPACE)');
    expect(waiter.env[0]).toStrictEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    expect(manifest(out, 'Role').rules).toStrictEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }]);
  });

  test('a Service made by exposeViaService is found', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: false });
    const cacheWorkload = new kplus.Deployment(chart, 'cache', { containers: [{ image: 'redis:7', portNumber: 6379 }] });
    const svc = cacheWorkload.exposeViaService();
    const cache = ordered.add(cacheWorkload);
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] }));
    api.dependsOn(cache);
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment', 'test-api')).initContainers;
    expect(env(waiter, 'WAIT_ADDRESSES')).toBe(`${svc.name}:6379`);
  });

  test('every TCP, HTTP and DNS check of a pod with the same timeout shares one waiter, whose log names each dependency', () => {
    // GIVEN an api that depends on two workloads with Services, an HTTP and a TCP precondition, and a TCP check with a timeout
    const { chart, ordered, db, api } = shop();
    const cacheWorkload = new kplus.Deployment(chart, 'cache', { containers: [{ image: 'redis:7', portNumber: 6379 }] });
    const cacheSvc = cacheWorkload.exposeViaService();
    const cache = ordered.add(cacheWorkload);
    // WHEN
    api.dependsOn(db);
    api.waitFor(WaitFor.http('http://db:8080/ready'));
    api.dependsOn(cache);
    api.waitFor(WaitFor.secret('api-tls'));
    api.waitFor(WaitFor.tcp('queue', 5672));
    api.waitFor(WaitFor.tcp('mail', 25), { timeout: Duration.seconds(20), onTimeout: TimeoutPolicy.PROCEED });
    const out = synth(chart);
    const dep = manifest(out, 'Deployment', 'shop-api');
    const dbSvc = manifest(out, 'Service', 'shop-db');
    // THEN one waiter for the four network checks without a timeout, where the first of them was; the API check and
    // the one with a timeout keep their own
    const inits = podSpec(dep).initContainers;
    expect(inits.map((c: any) => c.name)).toEqual(['wait-for-db-db-8080-cache-queue-5672', 'wait-for-secret-api-tls', 'wait-for-mail-25']);
    const [shared, , mail] = inits;
    expect(shared.command).toEqual(['/bin/sh', '/ordered/wait-several.sh']);
    expect(env(shared, 'WAIT_FOR')).toBe('db, db-8080, cache and queue-5672');
    expect(env(shared, 'WAIT_CHECKS')).toBe([
      `tcp db ${dbSvc.metadata.name}:5432`,
      'http db-8080 db 8080 /ready 200-399',
      `tcp cache ${cacheSvc.name}:6379`,
      'tcp queue-5672 queue:5672',
    ].join('\n'));
    expect(env(shared, 'WAIT_TIMEOUT')).toBeUndefined();
    expect(scriptOf(out, dep, shared)).toContain('probe_http');
    // a single check keeps its own script and parameters
    expect(mail.command).toEqual(['/bin/sh', '/ordered/wait-tcp.sh']);
    expect(env(mail, 'WAIT_ADDRESSES')).toBe('mail:25');
    expect(env(mail, 'WAIT_TIMEOUT')).toBe('20');
    // AND the annotation keeps one entry per dependency, with its own check, naming the waiter it shares (in waiter order)
    const entries = JSON.parse(dep.metadata.annotations['ordered.cdk8s.io/dependencies']);
    expect(entries.map((e: any) => [e.waiter, e.check])).toEqual([
      ['wait-for-db-db-8080-cache-queue-5672', `service ${dbSvc.metadata.name} ports 5432`],
      ['wait-for-db-db-8080-cache-queue-5672', 'http http://db:8080/ready'],
      ['wait-for-db-db-8080-cache-queue-5672', `service ${cacheSvc.name} ports 6379`],
      ['wait-for-db-db-8080-cache-queue-5672', 'tcp queue:5672'],
      ['wait-for-secret-api-tls', 'Secret api-tls exists'],
      ['wait-for-mail-25', 'tcp mail:25'],
    ]);
  });

  test('the scripts come once per chart and namespace, from an immutable ConfigMap named after its content, applied first', () => {
    // GIVEN waits of three kinds in two pods of one namespace
    const { chart, db, migrate, api } = shop();
    api.dependsOn(db);
    api.dependsOn(migrate);
    migrate.dependsOn(db);
    const out = synth(chart);
    // THEN one ConfigMap holds the two scripts the pods run, nothing else, and comes before everything
    const configMaps = out.filter((m) => m.kind === 'ConfigMap');
    expect(configMaps).toHaveLength(1);
    const [cm] = configMaps;
    expect(out[0]).toBe(cm);
    expect(cm.immutable).toBe(true);
    expect(cm.metadata.namespace).toBe('shop');
    expect(Object.keys(cm.data)).toEqual(['wait-job.sh', 'wait-tcp.sh']);
    expect(cm.metadata.name).toMatch(/^shop-ordered-[0-9a-f]{8}$/);
    for (const kind of ['Deployment', 'Job']) {
      const spec = podSpec(manifest(out, kind));
      expect(spec.volumes.filter((v: any) => v.name === 'ordered-scripts')).toStrictEqual([{ name: 'ordered-scripts', configMap: { name: cm.metadata.name } }]);
    }
    // AND another set of scripts gets another name, so pods that mount the old one keep it
    const other = shop();
    other.api.dependsOn(other.db);
    const cm2 = synth(other.chart).find((m) => m.kind === 'ConfigMap');
    expect(Object.keys(cm2.data)).toEqual(['wait-tcp.sh']);
    expect(cm2.metadata.name).not.toBe(cm.metadata.name);
    expect(cm2.data['wait-tcp.sh']).toBe(cm.data['wait-tcp.sh']);
  });

  test('a chart without waiters, gates or ordered shutdown gets no ConfigMap and no volume', () => {
    const { chart, db, api } = shop();
    expect(db).toBeDefined();
    expect(api).toBeDefined();
    const out = synth(chart);
    expect(out.filter((m) => m.kind === 'ConfigMap')).toEqual([]);
    expect(podSpec(manifest(out, 'Deployment')).volumes).toBeUndefined();
  });

  test('dependency names are unique, DNS-1123 and at most 63 characters', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const long = 'a-very-long-construct-id-that-goes-on-and-on-and-on-beyond-the-limit';
    const a = ordered.add(new kplus.StatefulSet(chart, long, { containers: [{ image: 'x:1', portNumber: 1 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] }));
    api.dependsOn(a);
    api.waitFor(WaitFor.tcp('x', 1), { timeout: Duration.seconds(30) }); // a TCP check of its own: another timeout
    api.waitFor(WaitFor.http('http://x:1/healthz'), { timeout: Duration.seconds(60) }); // another check, the same slug
    const names = initNames(manifest(synth(chart), 'Deployment', 'test-api'));
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(names.slice(1)).toEqual(['wait-for-x-1', 'wait-for-x-1-2']);
  });

  test('a cross-namespace wait puts the Role in the target namespace and binds the waiter from its own', () => {
    const { chart, api } = shop();
    api.waitFor(WaitFor.condition({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'wildcard', condition: 'Ready', namespace: 'certs' }));
    const out = synth(chart);
    const role = manifest(out, 'Role');
    expect(role.metadata.namespace).toBe('certs');
    expect(role.rules).toStrictEqual([{ apiGroups: ['cert-manager.io'], resources: ['certificates'], resourceNames: ['wildcard'], verbs: ['list', 'watch'] }]);
    const binding = manifest(out, 'RoleBinding');
    expect(binding.metadata.namespace).toBe('certs');
    expect(binding.subjects[0].namespace).toBe('shop');
  });

  test('re-synthesizing gives byte-identical YAML', () => {
    const render = () => {
      const { chart, db, migrate, api } = shop();
      migrate.dependsOn(db);
      api.dependsOn(db);
      api.dependsOn(migrate);
      api.waitFor(WaitFor.secret('api-tls'));
      return JSON.stringify(synth(chart));
    };
    expect(render()).toBe(render());
  });
});

describe('errors', () => {
  test('fails when a component depends on itself', () => {
    const { api } = shop();
    expect(() => api.dependsOn(api)).toThrow("dependsOn: 'shop/api' cannot depend on itself");
  });

  test('fails when the target belongs to another OrderedApp', () => {
    const { chart, api } = shop();
    const other = new OrderedApp(chart, 'other');
    const x = other.add(new kplus.Deployment(chart, 'x', { containers: [{ image: 'x:1', portNumber: 80 }] }));
    expect(() => api.dependsOn(x)).toThrow(/'shop\/x' belongs to another OrderedApp than 'shop\/api'.*add both workloads to the same OrderedApp/);
  });

  test('fails when the timeout is not positive', () => {
    const { db, api } = shop();
    expect(() => api.dependsOn(db, { timeout: Duration.seconds(0) })).toThrow('shop/api: timeout "0 seconds" is not a whole number of seconds of at least 1; '
      + 'give a whole number of seconds, such as Duration.minutes(5), or leave timeout out to wait without limit');
  });

  test('fails when onTimeout is given without a timeout', () => {
    const { db, api } = shop();
    expect(() => api.dependsOn(db, { onTimeout: TimeoutPolicy.PROCEED })).toThrow('shop/api: onTimeout "proceed" has no effect without a timeout; add timeout: Duration.minutes(...)');
  });

  test('fails when the timeout is not a whole number of seconds', () => {
    // GIVEN a timeout of a second and a half, which the waiter cannot count in
    const { db, api } = shop();
    // THEN the dependency is refused at once, naming the component, the duration and the fix
    expect(() => api.dependsOn(db, { timeout: Duration.millis(1500) }))
      .toThrow('shop/api: timeout "1 second 500 millis" is not a whole number of seconds of at least 1; give a whole number of seconds');
  });

  test('fails when onTimeout is not a TimeoutPolicy', () => {
    const { db, api } = shop();
    expect(() => api.dependsOn(db, { timeout: Duration.minutes(1), onTimeout: 'Proceed' as TimeoutPolicy }))
      .toThrow('shop/api: onTimeout "Proceed" is not one of "fail", "proceed"; give TimeoutPolicy.FAIL or TimeoutPolicy.PROCEED');
  });

  test('fails when a check is not a WaitFor', () => {
    // GIVEN checks written as plain objects, as a JavaScript caller might
    const { db, api } = shop();
    const notACheck = { tcp: 'db:5432' } as unknown as WaitFor;
    // THEN each entry point refuses them, naming the option
    expect(() => api.dependsOn(db, { check: notACheck })).toThrow('shop/api: check {"tcp":"db:5432"} is not a WaitFor; make one with a WaitFor factory');
    expect(() => api.waitFor(notACheck)).toThrow('shop/api: waitFor check {"tcp":"db:5432"} is not a WaitFor');
    expect(() => api.gateReadiness(notACheck)).toThrow('shop/api: gate check {"tcp":"db:5432"} is not a WaitFor');
  });

  test('fails when the readiness option is not a WaitFor', () => {
    const c = new Chart(Testing.app(), 'shop');
    const ordered = new OrderedApp(c, 'ordered');
    const db = new kplus.StatefulSet(c, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] });
    expect(() => ordered.add(db, { readiness: 'tcp' as unknown as WaitFor })).toThrow('shop/db: readiness "tcp" is not a WaitFor');
  });

  test('fails when a readiness gate polls at a fraction of a second', () => {
    const { db, api } = shop();
    expect(() => api.gateReadinessOn(db, { period: Duration.millis(500) }))
      .toThrow('shop/api: period "500 millis" is not a whole number of seconds of at least 1; give a whole number of seconds');
  });

  test('fails when the drain is not a whole number of seconds', () => {
    const c = new Chart(Testing.app(), 'shop');
    const ordered = new OrderedApp(c, 'ordered');
    const api = new kplus.Deployment(c, 'api', { containers: [{ image: 'shop/api:1', portNumber: 8080 }] });
    expect(() => ordered.add(api, { drain: Duration.millis(2500) }))
      .toThrow('shop/api: drain "2 seconds 500 millis" is not a whole number of seconds of at least 1; give a whole number of seconds');
  });

  test('fails when a sidecar is not a container name, or is named twice', () => {
    const c = new Chart(Testing.app(), 'shop');
    const ordered = new OrderedApp(c, 'ordered');
    const w = (id: string) => new kplus.Deployment(c, id, { containers: [{ name: 'app', image: 'a:1' }, { name: 'proxy', image: 'p:1' }] });
    expect(() => ordered.add(w('a'), { sidecars: ['Proxy'] }))
      .toThrow('shop/a: sidecars[0] "Proxy" is not a DNS-1123 label: lower-case letters, digits and \'-\', at most 63 characters');
    expect(() => ordered.add(w('b'), { sidecars: ['proxy', 'proxy'] }))
      .toThrow('shop/b: sidecars[1] "proxy" names a container a second time; name each container once');
  });

  test('fails when the same dependency is declared again with other options', () => {
    const { db, api } = shop();
    api.dependsOn(db, { timeout: Duration.minutes(1) });
    expect(() => api.dependsOn(db, { timeout: Duration.minutes(2) })).toThrow(/already depends on 'shop\/db' with other options/);
  });

  test('fails when a repeated dependency adds a readiness gate or restartOnChange, instead of dropping them', () => {
    const { db, api } = shop();
    api.dependsOn(db);
    expect(() => api.dependsOn(db, { gateReadiness: true })).toThrow("dependsOn: 'shop/api' already depends on 'shop/db' with other options; declare each dependency once, with all its options");
    expect(() => api.dependsOn(db, { restartOnChange: true })).toThrow(/already depends on 'shop\/db' with other options/);
  });

  test('a repeat with the same options, or with none, is a no-op', () => {
    const { chart, db, api } = shop();
    api.dependsOn(db, { timeout: Duration.minutes(1), restartOnChange: true });
    api.dependsOn(db, { timeout: Duration.seconds(60), restartOnChange: true });
    api.dependsOn(db);
    expect(initNames(manifest(synth(chart), 'Deployment'))).toEqual(['wait-for-db']);
  });

  test('fails when the target has nothing to check', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const worker = ordered.add(new kplus.Deployment(chart, 'worker', { containers: [{ image: 'w:1' }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] }));
    api.dependsOn(worker);
    expect(() => synth(chart)).toThrow(/'test\/worker' has no Service, no container port and no readiness probe.*Add a readiness probe/);
  });

  test('fails when a token would reach the app containers', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const api = ordered.add(new kplus.Deployment(chart, 'api', { automountServiceAccountToken: true, containers: [{ image: 'api:1' }] }));
    api.waitFor(WaitFor.secret('s'));
    expect(() => synth(chart)).toThrow("'test/api' mounts a service-account token into every container (automountServiceAccountToken: true), "
      + 'so the permissions its waiters need (a Role bound to its service account) would reach its app containers too. '
      + 'Set automountServiceAccountToken: false: the waiters then get a token of their own, mounted into them only');
    // the same with a service account of its own: the Role would be bound to it, and its token is in every container
    const serviceAccount = new kplus.ServiceAccount(chart, 'sa');
    const worker = ordered.add(new kplus.Deployment(chart, 'worker', { serviceAccount, automountServiceAccountToken: true, containers: [{ image: 'w:1' }] }));
    worker.waitFor(WaitFor.secret('s'));
    // both are reported at once
    expect(() => synth(chart)).toThrow(/'test\/api' mounts a service-account token[\s\S]*'test\/worker' mounts a service-account token into every container/);
  });

  test('fails when a cross-namespace wait has no namespace for the subject', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] }));
    api.waitFor(WaitFor.secret('s', { namespace: 'other' }));
    expect(() => synth(chart)).toThrow(/namespace 'other' needs the waiting workload's own namespace/);
  });
});
