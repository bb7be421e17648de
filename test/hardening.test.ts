import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, WaitFor } from '../lib';
import { env, manifest, podSpec, synth } from './support/synth';

function deployment(chart: Chart, id: string, props: Partial<kplus.DeploymentProps> = {}) {
  return new kplus.Deployment(chart, id, { containers: [{ image: `${id}:1`, portNumber: 80 }], ...props });
}

describe('invalid combinations', () => {
  test('fails when a Job gates its readiness: its gate keeper would keep it from ever completing', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(deployment(chart, 'db'));
    const seed = ordered.add(new kplus.Job(chart, 'seed', { containers: [{ image: 'seed:1' }] }));
    seed.dependsOn(db, { gateReadiness: true });
    expect(() => synth(chart)).toThrow(/'test\/seed': a Job cannot gate its readiness: .*Make it wait instead/);
  });

  test('fails when a user container or volume takes a name the library gives to its own', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered', { orderedShutdown: Duration.seconds(30) });
    const api = ordered.add(new kplus.Deployment(chart, 'api', {
      containers: [{ name: 'main', image: 'api:1' }, { name: 'ordered-shutdown', image: 'x:1' }],
    }));
    api.waitFor(WaitFor.tcp('db', 5432));
    expect(() => synth(chart)).toThrow("'test/api': container 'ordered-shutdown' has a name cdk8s-ordered gives to its own (ordered-shutdown); rename it");
  });
});

describe('names', () => {
  test('two dependencies whose ids slug alike get their own gate conditions and restart annotations', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const ordered = new OrderedApp(a, 'ordered');
    const dot = ordered.add(deployment(a, 'db.main'));
    const dash = ordered.add(deployment(a, 'db-main', { containers: [{ image: 'other:1', portNumber: 80 }] }));
    const api = ordered.add(deployment(a, 'api'));
    api.dependsOn(dot, { gateReadiness: true, restartOnChange: true });
    api.dependsOn(dash, { gateReadiness: true, restartOnChange: true });
    const dep = manifest(synth(a), 'Deployment', 'a-api');
    const gates = podSpec(dep).readinessGates.map((g: any) => g.conditionType);
    expect(gates).toEqual(['ordered.cdk8s.io/db-main', 'ordered.cdk8s.io/db-main-2']);
    const keepers = podSpec(dep).containers.filter((c: any) => c.name.startsWith('gate-'));
    expect(keepers.map((c: any) => env(c, 'GATE_CONDITION'))).toEqual(gates);
    const restart = Object.entries(dep.spec.template.metadata.annotations).filter(([k]) => k.startsWith('ordered.cdk8s.io/spec-of-'));
    expect(restart.map(([k]) => k)).toEqual(['ordered.cdk8s.io/spec-of-db-main', 'ordered.cdk8s.io/spec-of-db-main-2']);
    // the two hashes differ: each follows its own target
    expect(new Set(restart.map(([, v]) => v)).size).toBe(2);
  });

  test('every generated name stays within Kubernetes\' limits, however long the workload\'s name', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered');
    const long = 'a'.repeat(250);
    const api = ordered.add(deployment(chart, 'api', { metadata: { name: long } }));
    api.waitFor(WaitFor.secret('tls'));
    api.waitFor(WaitFor.secret('tls', { namespace: 'certificates' }));
    const out = synth(chart);
    const generated = out.filter((m) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(m.kind));
    expect(generated.map((m) => m.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'Role', 'RoleBinding']);
    for (const m of generated) {
      expect(m.metadata.name.length).toBeLessThanOrEqual(253);
      expect(m.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
    // distinct, and the bindings name their Roles and the account
    expect(new Set(generated.map((m) => `${m.kind}/${m.metadata.name}`)).size).toBe(5);
    const account = manifest(out, 'ServiceAccount').metadata.name;
    for (const b of generated.filter((m) => m.kind === 'RoleBinding')) expect(b.subjects[0].name).toBe(account);
    expect(podSpec(manifest(out, 'Deployment')).serviceAccountName).toBe(account);
  });
});

describe('graphs across charts and namespaces', () => {
  test('an acyclic graph whose charts depend on each other both ways synthesizes', () => {
    // GIVEN b1 (chart B) depends on a1 (chart A), and a2 (chart A) depends on b1
    const app = new App();
    const a = new Chart(app, 'a', { namespace: 'a' });
    const b = new Chart(app, 'b', { namespace: 'b' });
    const ordered = new OrderedApp(a, 'ordered');
    const a1 = ordered.add(deployment(a, 'a1'));
    const a2 = ordered.add(deployment(a, 'a2'));
    const b1 = ordered.add(deployment(b, 'b1'));
    b1.dependsOn(a1, { check: WaitFor.tcp('a1.a', 80) });
    a2.dependsOn(b1, { check: WaitFor.tcp('b1.b', 80) });
    // THEN both charts synthesize, each waiter in place
    const yaml = app.synthYaml();
    expect(yaml).toContain('name: wait-for-a1');
    expect(yaml).toContain('name: wait-for-b1');
    expect(ordered.components.map((c) => c.workload.node.id)).toEqual(['a1', 'b1', 'a2']);
  });

  test('ordered shutdown reaches dependents in another namespace, with a Role there to list their pods', () => {
    const app = Testing.app();
    const data = new Chart(app, 'data', { namespace: 'data' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    const ordered = new OrderedApp(data, 'ordered', { orderedShutdown: Duration.seconds(60) });
    const db = ordered.add(deployment(data, 'db'));
    const api = ordered.add(deployment(web, 'api'));
    api.dependsOn(db, { check: WaitFor.tcp('db.data', 80) });
    const out = synth(data);
    const shutdown = podSpec(manifest(out, 'Deployment', 'data-db')).containers.find((c: any) => c.name === 'ordered-shutdown');
    const apiLabels = manifest(synth(web), 'Deployment', 'web-api').spec.selector.matchLabels;
    const selector = Object.keys(apiLabels).sort().map((k) => `${k}=${apiLabels[k]}`).join(',');
    expect(env(shutdown, 'SHUTDOWN_SELECTORS')).toBe(`web:${selector}`);
    const roles = out.filter((m) => m.kind === 'Role');
    expect(roles.map((r) => [r.metadata.namespace, r.rules])).toEqual([
      ['web', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]],
    ]);
    const binding = out.find((m) => m.kind === 'RoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: manifest(out, 'ServiceAccount').metadata.name, namespace: 'data' }]);
  });
});

describe('values that reach a container', () => {
  test('a command\'s arguments and a check\'s description reach the container literally, escaped from the kubelet\'s $(VAR) expansion', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered');
    const api = ordered.add(deployment(chart, 'api'));
    api.waitFor(WaitFor.command('probe:1', ['sh', '-c', 'test "$(HOME)" = $$x']));
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment')).initContainers;
    expect(waiter.command).toEqual(['/bin/sh', '/ordered/wait-command.sh']);
    expect(waiter.args).toEqual(['sh', '-c', 'test "$$(HOME)" = $$$$x']);
    expect(env(waiter, 'WAIT_FOR')).toBe('command sh -c test "$$(HOME)" = $$$$x');
  });
});
