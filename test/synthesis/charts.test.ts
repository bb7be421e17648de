import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { DeployTool, OrderedApp, OrderedAppProps, WaitFor } from '../../lib';
import { rawDeployment, synth } from '../support/synth';
import { kubectlPath } from '../support/tools';

/**
 * Every object is written once per output, whatever the number of
 * OrderedApps, charts and namespaces: `kubectl kustomize` (which Flux runs)
 * refuses an id registered twice.
 */

/** An OrderedApp `id` in `chart` whose Deployment `name` waits for a TCP port (so its pod mounts the scripts ConfigMap). */
function orderedPair(chart: Chart, id: string, props: OrderedAppProps = {}) {
  const ordered = new OrderedApp(chart, id, props);
  const db = ordered.add(new kplus.StatefulSet(chart, `${id}-db`, { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
  ordered.add(new kplus.Deployment(chart, `${id}-api`, { containers: [{ image: 'a:1', portNumber: 8080 }] })).dependsOn(db);
  return ordered;
}

/** Runs the real `kubectl kustomize` over every file of `outdir`, returning the objects it builds. */
function kustomize(outdir: string): any[] {
  const files = readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort();
  writeFileSync(join(outdir, 'kustomization.yaml'), `resources:\n${files.map((f) => `- ${f}`).join('\n')}\n`);
  const built = execFileSync(kubectlPath(), ['kustomize', outdir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(built).map((d) => d.toJS()).filter(Boolean);
}

const id = (m: any) => `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;

/** The ids written more than once. */
function twice(manifests: any[]): string[] {
  const ids = manifests.map(id);
  return [...new Set(ids.filter((x, i) => ids.indexOf(x) !== i))];
}

describe('every object is written once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-once-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('two OrderedApps in one chart write their shared scripts ConfigMap once, and kubectl kustomize builds the output', () => {
    // GIVEN two OrderedApps in one chart whose pods run the same waiter script
    const outdir = join(dir, 'one-chart');
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    orderedPair(chart, 'a');
    orderedPair(chart, 'b');
    // WHEN synthesized
    app.synth();
    const manifests = Testing.synth(chart);
    // THEN no object is written twice, and one scripts ConfigMap serves both apps' pods
    expect(twice(manifests)).toEqual([]);
    const configMaps = manifests.filter((m) => m.kind === 'ConfigMap');
    expect(configMaps).toHaveLength(1);
    const mounted = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.spec.template.spec.volumes.find((v: any) => v.configMap).configMap.name);
    expect(mounted).toEqual([configMaps[0].metadata.name, configMaps[0].metadata.name]);
    // AND the real kubectl kustomize accepts the synthesized files
    expect(twice(kustomize(outdir))).toEqual([]);
  });

  test('two charts of one namespace, each with two OrderedApps, write each object once, and kubectl kustomize builds them together', () => {
    // GIVEN two charts in the namespace shop, each holding two OrderedApps
    const outdir = join(dir, 'two-charts');
    const app = new App({ outdir });
    const charts = ['front', 'back'].map((name) => new Chart(app, name, { namespace: 'shop' }));
    for (const chart of charts) {
      orderedPair(chart, 'a');
      orderedPair(chart, 'b');
    }
    // WHEN synthesized
    app.synth();
    // THEN no object is written twice across the charts, and kubectl kustomize builds every file at once
    const built = kustomize(outdir);
    expect(twice(built)).toEqual([]);
    expect(built.filter((m) => m.kind === 'ConfigMap')).toHaveLength(2);
  });

  test('the scripts ConfigMap two OrderedApps share gets the deploy-tool annotations of the one that asks for them', () => {
    // GIVEN an app without deploy tools and one for Argo CD, in one chart
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    orderedPair(chart, 'a');
    orderedPair(chart, 'b', { deployTools: [DeployTool.ARGO_CD] });
    // WHEN synthesized
    const configMaps = synth(chart).filter((m) => m.kind === 'ConfigMap');
    // THEN it is written once, in Argo CD's wave -1, before the Argo CD app's pods that mount it
    expect(configMaps).toHaveLength(1);
    expect(configMaps[0].metadata.annotations).toStrictEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
  });

  test('fails when an object the library generates has the id of a different object of the chart', () => {
    // GIVEN a ServiceAccount of the user's named as the waiters' of the Deployment 'api' would be
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api-waiter' } });
    const ordered = new OrderedApp(chart, 'ordered');
    const api = ordered.add(rawDeployment(chart, 'api', [{ name: 'app', image: 'a:1' }], { automountServiceAccountToken: false }));
    api.waitFor(WaitFor.secret('api-tls'));
    // WHEN synthesized THEN the error names both writers, the object and the fix
    expect(() => synth(chart)).toThrow("shop: ServiceAccount 'api-waiter' in namespace 'shop' is written by both 'shop/sa' and 'shop/api', "
      + 'with different content; an id may be written once. Rename one of them (a generated object is named after its workload: '
      + 'give the workload another name)');
  });
});
