import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp } from '../lib';
import { synth } from './support/synth';
import { main } from '../lib/cli/main';
import { DEPENDENCIES_ANNOTATION, DependencyEntry, encodeEntries } from '../lib/contract';
import { lint } from '../lib/lint/lint';
import { modelOf, objectOf } from '../lib/lint/model';

/** Runs `fn`, returning what it wrote to stderr. */
function stderrOf(fn: () => void): string {
  let text = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { text += String(s); return true; });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return text;
}

/** A StatefulSet without a readiness probe that an API waits for: lint's ORD001. */
function unprobed(chart: Chart, options: { silence?: string[] } = {}) {
  const ordered = new OrderedApp(chart, 'ordered');
  const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }), options);
  const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1', portNumber: 8080 }] }));
  api.dependsOn(db);
}

describe('synthesis tells what lint knows', () => {
  test('a lint warning is printed at synth, one line with its rule id, the same message lint gives the written YAML', async () => {
    // GIVEN an app that lint warns about
    const outdir = mkdtempSync(join(tmpdir(), 'ordered-synth-lint-'));
    try {
      const app = new App({ outdir });
      unprobed(new Chart(app, 'shop'));
      // WHEN it is synthesized
      const printed = stderrOf(() => app.synth());
      // THEN the warning is printed once
      const lines = printed.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^cdk8s-ordered: chart shop: ORD001 warning StatefulSet\/shop-db-c8[0-9a-f]+: Deployment\/shop-api-c8[0-9a-f]+ waits for it, but no container has a readinessProbe/);
      // AND it is what lint says of the written file
      let out = '';
      await main(['lint', join(outdir, readdirSync(outdir)[0])], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } });
      const message = lines[0].replace(/^cdk8s-ordered: chart shop: /, '').replace(/ \(silence it with .*\)$/, '');
      expect(out).toContain(message);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a component can silence a warning', () => {
    const chart = Testing.chart();
    unprobed(chart, { silence: ['ORD001'] });
    expect(stderrOf(() => synth(chart))).toBe('');
  });

  test('fails at synth with lint\'s rule id and message on what lint calls an error', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: false, waiterImage: 'busybox' });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }), { silence: ['ORD001'] });
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] })).dependsOn(db);
    expect(() => synth(chart)).toThrow(/chart test: ORD002 error Deployment\/test-api-c8[0-9a-f]+: /);
  });

  test('fails when silence names no rule, or an error', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const w = (id: string) => new kplus.Deployment(chart, id, { containers: [{ image: 'x:1' }] });
    expect(() => ordered.add(w('a'), { silence: ['ORD999'] })).toThrow("test/a: silence names 'ORD999', which is no rule; the rules are ORD001");
    expect(() => ordered.add(w('b'), { silence: ['ORD002'] })).toThrow('test/b: silence names ORD002, an error');
  });

  test('the warnings of a chart are printed together, one line each, in one write', () => {
    // GIVEN two unprobed targets, each waited for
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const target = (id: string) => ordered.add(new kplus.StatefulSet(chart, id, { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const [db, cache] = [target('db'), target('cache')];
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1', portNumber: 8080 }] }));
    api.dependsOn(db);
    api.dependsOn(cache);
    // WHEN it is synthesized
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { writes.push(String(s)); return true; });
    try {
      synth(chart);
    } finally {
      spy.mockRestore();
    }
    // THEN both warnings come in one block, a line each
    expect(writes).toHaveLength(1);
    const lines = writes[0].split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toMatch(/^cdk8s-ordered: chart test: ORD001 warning StatefulSet\/test-db-c8[0-9a-f]+: Deployment\/test-api-c8[0-9a-f]+ waits for it/);
    expect(lines[1]).toMatch(/^cdk8s-ordered: chart test: ORD001 warning StatefulSet\/test-cache-c8[0-9a-f]+: /);
  });
});

describe('the synth-time lint takes the entries the plan wrote, only while the annotation is that text', () => {
  const entry: DependencyEntry = { waiter: 'wait-for-db', mode: 'network', check: 'tcp db:5432', target: 'StatefulSet/db' };
  const workload = (annotation: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', annotations: { [DEPENDENCIES_ANNOTATION]: annotation } },
    spec: { template: { spec: { containers: [{ name: 'main', image: 'api:1' }] } } },
  });

  test('an annotation still as written gives the written entries', () => {
    const m = workload(encodeEntries([entry]));
    const model = modelOf(['f'], [objectOf('f', m)], new Map([[m, { text: encodeEntries([entry]), entries: [entry] }]]));
    expect(model.workloads[0].waits).toEqual([entry]);
    expect(model.edges).toHaveLength(1);
  });

  test('an annotation changed since is read as it is now', () => {
    // GIVEN an annotation that something replaced after the plan wrote it
    const m = workload('not json');
    // WHEN the model is built with what the plan wrote
    const model = modelOf(['f'], [objectOf('f', m)], new Map([[m, { text: encodeEntries([entry]), entries: [entry] }]]));
    // THEN it is the text that is there that counts
    expect(model.workloads[0].waits).toEqual([]);
    expect(model.workloads[0].annotationError).toMatch(/not JSON|cannot be read|JSON/);
  });
});

describe('ORD001 judges the containers that decide readiness', () => {
  const entry: DependencyEntry = { waiter: 'wait-for-db', mode: 'network', check: 'tcp db:5432', target: 'StatefulSet/db' };
  const api = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', annotations: { [DEPENDENCIES_ANNOTATION]: encodeEntries([entry]) } },
    spec: { template: { spec: { initContainers: [{ name: 'wait-for-db', image: 'busybox:1.36.1' }], containers: [{ name: 'main', image: 'api:1' }] } } },
  };
  const db = (podSpec: any) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { template: { spec: podSpec } } });
  const ord001 = (podSpec: any) => {
    const model = modelOf(['f'], [objectOf('f', db(podSpec)), objectOf('f', api)]);
    return lint(model).problems.filter((p) => p.rule === 'ORD001').map((p) => p.message);
  };
  const probe = { tcpSocket: { port: 5432 } };

  test('a native sidecar\'s readinessProbe counts, a plain init container\'s does not', () => {
    const postgres = { name: 'main', image: 'postgres:16' };
    expect(ord001({ initContainers: [{ name: 'proxy', image: 'proxy:1', restartPolicy: 'Always', readinessProbe: probe }], containers: [postgres] })).toEqual([]);
    expect(ord001({ initContainers: [{ name: 'setup', image: 'setup:1', readinessProbe: probe }], containers: [postgres] }))
      .toEqual([expect.stringMatching(/^Deployment\/api waits for it, but no container has a readinessProbe, .* as soon as their containers start/)]);
    expect(ord001({ containers: [{ ...postgres, readinessProbe: probe }] })).toEqual([]);
  });

  test('a startupProbe, of a container or a native sidecar, changes what the warning says', () => {
    expect(ord001({ containers: [{ name: 'main', image: 'postgres:16', startupProbe: probe }] }))
      .toEqual([expect.stringMatching(/once their startupProbe first passes/)]);
    expect(ord001({ initContainers: [{ name: 'proxy', image: 'proxy:1', restartPolicy: 'Always', startupProbe: probe }], containers: [{ name: 'main', image: 'postgres:16' }] }))
      .toEqual([expect.stringMatching(/once their startupProbe first passes/)]);
  });

  test('names each workload that waits for it once, in the order of the YAML, and not those whose wait runs its own probe', () => {
    // GIVEN a database that a worker waits for twice, a reporter once by a command probe, and an API by TCP
    const waiter = (name: string, entries: DependencyEntry[]) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, annotations: { [DEPENDENCIES_ANNOTATION]: encodeEntries(entries) } },
      spec: { template: { spec: { initContainers: entries.map((e) => ({ name: e.waiter, image: 'busybox:1.36.1' })), containers: [{ name: 'main', image: `${name}:1` }] } } },
    });
    const on = (w: string, mode: string, check: string): DependencyEntry => ({ waiter: w, mode, check, target: 'StatefulSet/db' } as DependencyEntry);
    const objects = [
      db({ containers: [{ name: 'main', image: 'postgres:16' }] }),
      waiter('worker', [on('wait-for-db', 'network', 'tcp db:5432'), on('wait-for-db-http', 'network', 'http db:8008/health')]),
      waiter('reporter', [on('wait-for-db', 'command', 'command pg_isready -h db')]),
      api,
    ];
    const warnings = (input: any[]) => lint(modelOf(['f'], input.map((o) => objectOf('f', o)))).problems.filter((p) => p.rule === 'ORD001').map((p) => p.message);
    // THEN the warning names the worker once and the API, not the reporter
    expect(warnings(objects)).toEqual([expect.stringMatching(/^Deployment\/worker, Deployment\/api wait for it, but no container has a readinessProbe/)]);
    // AND with only the command probe waiting for it, there is no warning
    expect(warnings([objects[0], objects[2]])).toEqual([]);
  });

  test('a workload stands among the model\'s objects as itself', () => {
    const model = modelOf(['f'], [objectOf('f', db({ containers: [] })), objectOf('f', api)]);
    expect(model.objects).toEqual(model.workloads);
    model.workloads.forEach((w, i) => expect(model.objects[i]).toBe(w));
  });
});
