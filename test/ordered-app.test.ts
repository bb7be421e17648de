import { mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ApiObject, App, Chart, Duration, Testing, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, WaitFor } from '../lib';
import { synth } from './support/synth';

function deployment(chart: Chart, id: string, port = 80) {
  return new kplus.Deployment(chart, id, { containers: [{ image: `${id}:1`, portNumber: port }] });
}

describe('OrderedApp', () => {
  test('dependencies come before their dependents in the synthesized YAML', () => {
    // GIVEN workloads created in the reverse of their start order
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const web = ordered.add(deployment(chart, 'web'));
    const api = ordered.add(deployment(chart, 'api'));
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    // WHEN
    web.dependsOn(api);
    api.dependsOn(db);
    // THEN
    const kinds = synth(chart).filter((m) => ['StatefulSet', 'Deployment'].includes(m.kind)).map((m) => `${m.kind}/${m.metadata.name.split('-')[1]}`);
    expect(kinds).toEqual(['StatefulSet/db', 'Deployment/api', 'Deployment/web']);
    const all = synth(chart).map((m) => m.kind);
    expect(all.indexOf('Service')).toBeLessThan(all.indexOf('Deployment'));
  });

  test('components lists dependencies first, otherwise in the order added', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const a = ordered.add(deployment(chart, 'a'));
    const b = ordered.add(deployment(chart, 'b'));
    const c = ordered.add(deployment(chart, 'c'));
    ordered.add(deployment(chart, 'd'));
    a.dependsOn(c);
    b.dependsOn(c);
    expect(ordered.components.map((x) => x.workload.node.id)).toEqual(['c', 'a', 'b', 'd']);
  });

  test('adding a workload twice returns the same component', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const w = deployment(chart, 'a');
    expect(ordered.add(w)).toBe(ordered.add(w));
    expect(ordered.findComponent(w)).toBe(ordered.add(w));
    expect(ordered.findComponent(deployment(chart, 'b'))).toBeUndefined();
  });

  test('the component carries the workload, its name and its dependencies', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(deployment(chart, 'db'));
    const api = ordered.add(deployment(chart, 'api'));
    api.dependsOn(db);
    expect(api.name).toBe(api.apiObject.name);
    expect(api.dependsOnComponents).toEqual([db]);
    expect(api.dependencies.map((d) => d.target)).toEqual([db]);
  });

  test('images can be set for the whole app', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: false, waiterImage: 'registry.example/busybox:1.36.1', kubectlImage: 'registry.example/kubectl:1.30' });
    const dbDeployment = deployment(chart, 'db');
    dbDeployment.exposeViaService();
    const db = ordered.add(dbDeployment);
    const job = ordered.add(new kplus.Job(chart, 'job', { containers: [{ image: 'j:1' }] }));
    const api = ordered.add(deployment(chart, 'api'));
    api.dependsOn(db);
    api.dependsOn(job);
    const dep = synth(chart).find((m) => m.kind === 'Deployment' && m.metadata.name.startsWith('test-api'));
    expect(dep.spec.template.spec.initContainers.map((c: any) => c.image)).toEqual(['registry.example/busybox:1.36.1', 'registry.example/kubectl:1.30']);
  });

  test('fails when an image is not an image reference', () => {
    const chart = Testing.chart();
    expect(() => new OrderedApp(chart, 'ordered', { waiterImage: 'busy box' })).toThrow('test/ordered: waiterImage "busy box" is not an image reference: [REGISTRY[:PORT]/]PATH[:TAG][@DIGEST]');
  });

  test('fails when an image has no whitespace but is still no image reference', () => {
    // GIVEN images that only the whitespace test let through
    // THEN each is refused with the grammar and the fix
    for (const [id, image] of [['a', 'BusyBox:1.36'], ['b', 'busybox:$(TAG)'], ['c', 'busybox,alpine'], ['d', 'busybox@sha256:abc']]) {
      expect(() => new OrderedApp(Testing.chart(), id, { waiterImage: image }))
        .toThrow(`test/${id}: waiterImage ${JSON.stringify(image)} is not an image reference: [REGISTRY[:PORT]/]PATH[:TAG][@DIGEST]`);
    }
  });

  describe('the image of the containers that hold the token', () => {
    /** Every container of the output that talks to the API: API waiters, gate keepers, the shutdown container, by name to image. */
    function tokenHolders(kubernetesVersion: string, kubectlImage?: string): Map<string, string> {
      const chart = Testing.chart();
      const ordered = new OrderedApp(chart, 'ordered', { kubernetesVersion, kubectlImage, orderedShutdown: Duration.seconds(30) });
      const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
      const seed = ordered.add(new kplus.Job(chart, 'seed', { containers: [{ image: 'seed:1' }] }));
      const api = ordered.add(deployment(chart, 'api'));
      api.dependsOn(db, { gateReadiness: true });
      api.dependsOn(seed);
      const out = new Map<string, string>();
      for (const m of synth(chart)) {
        const spec = m.spec?.template?.spec ?? m.spec?.jobTemplate?.spec?.template?.spec;
        for (const c of [...spec?.initContainers ?? [], ...spec?.containers ?? []]) {
          if (c.name === 'wait-for-seed' || c.name.startsWith('gate-') || c.name === 'ordered-shutdown') out.set(c.name, c.image);
        }
      }
      return out;
    }

    /** The minor of the kubectl an image tag names: `alpine/k8s:1.30.14` is 30. */
    function kubectlMinor(image: string): number {
      const m = /:1\.(\d+)\.\d+$/.exec(image);
      if (!m) throw new Error(`no kubectl version in the tag of ${image}`);
      return Number(m[1]);
    }

    test('each follows the target Kubernetes version, within kubectl\'s skew of one minor', () => {
      // GIVEN a target of 1.30
      // WHEN the app is synthesized
      const images = tokenHolders('1.30');
      // THEN the API waiter, the gate keeper and the shutdown container all run the default for 1.30
      expect([...images.keys()].sort()).toEqual(['gate-db', 'ordered-shutdown', 'wait-for-seed']);
      expect(new Set(images.values())).toEqual(new Set([OrderedApp.DEFAULT_KUBECTL_IMAGES['1.30']]));
      // AND its kubectl is 1.29, 1.30 or 1.31
      expect(Math.abs(kubectlMinor(OrderedApp.DEFAULT_KUBECTL_IMAGES['1.30']) - 30)).toBeLessThanOrEqual(1);
    });

    test('every target version has a default, pinned by tag, whose kubectl is within one minor of it', () => {
      // GIVEN each version the YAML can be written for
      const versions = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34'];
      // THEN the defaults name exactly those
      expect(Object.keys(OrderedApp.DEFAULT_KUBECTL_IMAGES).sort()).toEqual(versions);
      for (const v of versions) {
        // AND an app for that version runs its default
        const image = new OrderedApp(Testing.chart(), 'ordered', { kubernetesVersion: v }).kubectlImage;
        expect(image).toBe(OrderedApp.DEFAULT_KUBECTL_IMAGES[v]);
        // AND its kubectl is within the skew kubectl supports
        expect(Math.abs(kubectlMinor(image) - Number(v.split('.')[1]))).toBeLessThanOrEqual(1);
        // AND it has a shell: the scripts need one, and registry.k8s.io/kubectl has none
        expect(image).toMatch(/^alpine\/(kubectl|k8s):/);
      }
    });

    test('without a target version, the default is the one for 1.27', () => {
      const ordered = new OrderedApp(Testing.chart(), 'ordered');
      expect(ordered.kubectlImage).toBe(OrderedApp.DEFAULT_KUBECTL_IMAGE);
      expect(OrderedApp.DEFAULT_KUBECTL_IMAGE).toBe(OrderedApp.DEFAULT_KUBECTL_IMAGES['1.27']);
      expect(kubectlMinor(OrderedApp.DEFAULT_KUBECTL_IMAGE)).toBeGreaterThanOrEqual(26);
      expect(kubectlMinor(OrderedApp.DEFAULT_KUBECTL_IMAGE)).toBeLessThanOrEqual(28);
    });

    test('an image given for the app wins over the default of the target version', () => {
      // GIVEN a mirror pinned by digest
      const mirror = `registry.example/kubectl:1.34.2@sha256:${'a'.repeat(64)}`;
      // WHEN
      const images = tokenHolders('1.34', mirror);
      // THEN every token-holding container runs it
      expect(new Set(images.values())).toEqual(new Set([mirror]));
    });

    test('the defaults cannot be changed by a user', () => {
      expect(Object.isFrozen(OrderedApp.DEFAULT_KUBECTL_IMAGES)).toBe(true);
    });

    test('fails when kubectlImage is not an image reference, naming the construct, the value and the fix', () => {
      const chart = Testing.chart();
      const bad = () => new OrderedApp(Testing.chart(), 'ordered', { kubectlImage: 'alpine/kubectl 1.34.2', kubernetesVersion: '1.34' });
      expect(bad).toThrow('test/ordered: kubectlImage "alpine/kubectl 1.34.2" is not an image reference: [REGISTRY[:PORT]/]PATH[:TAG][@DIGEST]');
      expect(bad).toThrow("; give one such as 'busybox:1.36.1', better pinned by digest ('busybox:1.36.1@sha256:<digest>'), or leave it out for the default");
      expect(() => new OrderedApp(chart, 'empty', { kubectlImage: '' })).toThrow('test/empty: kubectlImage "" is not an image reference');
    });
  });

  test('fails at synth with every dependency cycle, named by construct paths', () => {
    // GIVEN two separate cycles
    const app = new App();
    const chart = new Chart(app, 'shop');
    const ordered = new OrderedApp(chart, 'ordered');
    const api = ordered.add(deployment(chart, 'api'));
    const worker = ordered.add(deployment(chart, 'worker'));
    const a = ordered.add(deployment(chart, 'a'));
    const b = ordered.add(deployment(chart, 'b'));
    const c = ordered.add(deployment(chart, 'c'));
    api.dependsOn(worker);
    worker.dependsOn(api);
    a.dependsOn(b);
    b.dependsOn(c);
    c.dependsOn(a);
    // THEN both are reported at once
    expect(() => app.synth()).toThrow(/dependency cycle: shop\/api => shop\/worker => shop\/api; remove one of these dependsOn calls[\s\S]*dependency cycle: shop\/a => shop\/b => shop\/c => shop\/a/);
    // AND the components getter, which has no side effects, lists them as they were added
    expect(ordered.components).toEqual([api, worker, a, b, c]);
  });

  test('a dependency across charts is a waiter, and adds no chart dependency', () => {
    // GIVEN a workload in one chart that depends on one in another
    const outdir = mkdtempSync(join(tmpdir(), 'ordered-charts-'));
    const app = new App({ outdir });
    const data = new Chart(app, 'data');
    const web = new Chart(app, 'web');
    const ordered = new OrderedApp(web, 'ordered');
    const db = ordered.add(new kplus.StatefulSet(data, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const api = ordered.add(deployment(web, 'api'));
    api.dependsOn(db);
    // WHEN the app is synthesized
    app.synth();
    // THEN the dependent waits for the other chart's Service
    const apiPod = web.toJson().find((m: any) => m.kind === 'Deployment').spec.template.spec;
    expect(apiPod.initContainers.map((c: any) => c.name)).toEqual(['wait-for-db']);
    // AND no chart depends on another: cdk8s would turn that into a dependency of every object of one chart on
    // every object of the other, checked for cycles one by one (minutes for a few charts of a hundred workloads)
    expect(web.node.dependencies).toEqual([]);
    expect(data.node.dependencies).toEqual([]);
    // AND the files keep the charts' names (cdk8s numbers them only when charts depend on each other)
    expect(readdirSync(outdir).sort()).toEqual(['data.k8s.yaml', 'web.k8s.yaml']);
  });

  test('one plan per synthesis, however many charts: each workload is rendered once', () => {
    // GIVEN three charts, each with two workloads that count their renders, chained across charts
    const app = Testing.app();
    const renders = new Map<string, number>();
    class Counted extends ApiObject {
      public toJson(): any {
        renders.set(this.node.path, (renders.get(this.node.path) ?? 0) + 1);
        return super.toJson();
      }
    }
    const charts = ['a', 'b', 'c'].map((id) => new Chart(app, id));
    const ordered = new OrderedApp(charts[0], 'ordered');
    const workload = (chart: Chart, id: string) => new Counted(chart, id, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: id },
      spec: { selector: { matchLabels: { app: id } }, template: { metadata: { labels: { app: id } }, spec: { containers: [{ name: 'main', image: `${id}:1`, ports: [{ containerPort: 80 }] }] } } },
    });
    const components = charts.flatMap((chart) => [1, 2].map((i) => ordered.add(workload(chart, `${chart.node.id}${i}`))));
    components.forEach((c, i) => { if (i > 0) c.dependsOn(components[i - 1]); });
    // AND a last chart with none of them, before which cdk8s validates the App once more
    new ApiObject(new Chart(app, 'settings'), 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    // WHEN the app is synthesized
    app.synthYaml();
    // THEN every workload was rendered once (cdk8s validates the app again before each chart: the plan serves them all)
    expect([...renders.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    // AND the next synthesis plans anew
    app.synthYaml();
    expect([...renders.values()]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  test('a synthesis reads the workloads as they are now, after a chart was rendered on its own', () => {
    // GIVEN a two-chart app, one chart of which was rendered on its own
    const app = Testing.app();
    const [a, b] = ['a', 'b'].map((id) => new Chart(app, id));
    const ordered = new OrderedApp(a, 'ordered');
    const db = ordered.add(new kplus.StatefulSet(a, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const apiWorkload = deployment(b, 'api');
    ordered.add(apiWorkload).dependsOn(db);
    a.toJson();
    // WHEN the other chart's workload changes, and the app is synthesized
    apiWorkload.addContainer({ name: 'sidecar', image: 'sidecar:2' });
    const out = app.synthYaml();
    // THEN the output has the change, with the waiter
    expect(out).toContain('image: sidecar:2');
    expect(out).toContain('name: wait-for-db');
  });

  test('fails when the App writes a folder per chart and a file per resource, which would leave the RBAC out', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'ordered-fpr-')), yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    const chart = new Chart(app, 'shop');
    const ordered = new OrderedApp(chart, 'ordered');
    ordered.add(deployment(chart, 'api')).waitFor(WaitFor.secret('tls'));
    expect(() => app.synth()).toThrow(/shop\/ordered: the App's yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE .*use FILE_PER_CHART/);
  });
});
