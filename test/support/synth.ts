import { mkdirSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Component, DeployTool, OrderedApp } from '../../lib';
import { CheckContext } from '../../lib/wait-for';
import { findServiceObject, serviceFacts } from '../../lib/workload';

/**
 * Synthesizes a chart (running validations, as `cdk8s synth` does), and
 * records the result for the schema check (see `record`).
 */
export function synth(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  record(chart, manifests);
  return manifests;
}

/** Where synthesized objects are recorded; `scripts/test.sh` validates them against the Kubernetes schemas. */
const ROOT = join(__dirname, '..', '..');
export const RECORD_DIR = join(ROOT, 'test-reports', 'manifests');
let recorded = 0;

/**
 * Writes `manifests` to RECORD_DIR with the Kubernetes version they were
 * written for (the newest `kubernetesVersion` of the OrderedApps in `scope`),
 * named after the test that made them, so that every object any test
 * synthesizes is validated (test/schema/validate-manifests.ts).
 */
export function record(scope: IConstruct, manifests: any[]): void {
  const apps = scope.node.findAll().filter((c): c is OrderedApp => c instanceof OrderedApp);
  const minors = apps.map((a) => Number(a.kubernetesVersion.split('.')[1]));
  const target = `1.${Math.max(27, ...minors)}`;
  const state = expect.getState();
  // Named after the test file's path (the examples' test files share a basename), and counted within it: a test
  // file runs once, in one process, with this module fresh.
  const file = relative(ROOT, state.testPath ?? 'unknown');
  mkdirSync(RECORD_DIR, { recursive: true });
  writeFileSync(join(RECORD_DIR, `${file.replace(/[\\/]/g, '__')}-${++recorded}.json`),
    JSON.stringify({ source: `${file} › ${state.currentTestName ?? 'setup'}`, target, manifests }));
}

/** The one manifest of `kind` whose name starts with `prefix`. */
export function manifest(manifests: any[], kind: string, prefix = ''): any {
  const found = manifests.filter((m) => m.kind === kind && (m.metadata?.name ?? '').startsWith(prefix));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} named ${prefix}*, found ${found.map((m) => m.metadata?.name).join(', ') || 'none'}`);
  }
  return found[0];
}

/** The pod spec of a workload manifest. */
export function podSpec(m: any): any {
  if (m.kind === 'Pod') return m.spec;
  if (m.kind === 'CronJob') return m.spec.jobTemplate.spec.template.spec;
  return m.spec.template.spec;
}

/** Init container names of a workload manifest. */
export function initNames(m: any): string[] {
  return (podSpec(m).initContainers ?? []).map((c: any) => c.name);
}

/** An env var's value in a container. */
export function env(container: any, name: string): string | undefined {
  return (container.env ?? []).find((e: any) => e.name === name)?.value;
}

/** Where a check renders in a unit test: Services are read as they render now. */
export function checkContext(ctx: { namespace?: string; path: string }): CheckContext {
  return {
    ...ctx,
    service: (c) => {
      const o = findServiceObject(c, ctx.path);
      return serviceFacts(o, o.toJson());
    },
  };
}

/**
 * The script a container of ours runs (`[shell, /ordered/FILE]`): the file,
 * looked up in the ConfigMap that the pod's `ordered-scripts` volume names,
 * which must be among `manifests`, in the pod's namespace.
 */
export function scriptOf(manifests: any[], workload: any, container: any): string {
  const [, path] = container.command;
  const file = /^\/ordered\/([\w.-]+)$/.exec(path)?.[1];
  if (!file) throw new Error(`${container.name} runs ${JSON.stringify(container.command)}, not a script of /ordered`);
  if (!(container.volumeMounts ?? []).some((m: any) => m.name === 'ordered-scripts' && m.mountPath === '/ordered' && m.readOnly)) {
    throw new Error(`${container.name} does not mount ordered-scripts read-only at /ordered`);
  }
  const volume = (podSpec(workload).volumes ?? []).find((v: any) => v.name === 'ordered-scripts');
  const name = volume?.configMap?.name;
  const configMaps = manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.name === name
    && m.metadata.namespace === workload.metadata.namespace);
  if (configMaps.length !== 1) throw new Error(`expected one ConfigMap ${name} in the pod's namespace, found ${configMaps.length}`);
  const text = configMaps[0].data?.[file];
  if (typeof text !== 'string') throw new Error(`ConfigMap ${name} has no ${file}`);
  return text;
}

/**
 * A raw Deployment `name` (an `ApiObject`, as a user without cdk8s-plus
 * writes one) whose pods run `containers`, with the pod spec's other
 * `fields`, selected by `app: name`.
 */
export function rawDeployment(scope: Construct, name: string, containers: any[], fields: Record<string, unknown> = {}): ApiObject {
  return new ApiObject(scope, name, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { ...fields, containers } },
    },
  });
}

/**
 * The deploy-tool tests' app, in namespace shop: StatefulSet db; Jobs seed,
 * schema and migrate; Deployment api. schema waits for seed (Jobs only: Helm
 * hooks), migrate for db, api for migrate and schema (`edges`, in that order).
 */
export function jobsShop(tools: DeployTool[]) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered', { deployTools: tools });
  const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
  const seed = ordered.add(new kplus.Job(chart, 'seed', { containers: [{ image: 'seed:1' }] }));
  const schema = ordered.add(new kplus.Job(chart, 'schema', { containers: [{ image: 'schema:1' }] }));
  const migrate = ordered.add(new kplus.Job(chart, 'migrate', { containers: [{ image: 'm:1' }] }));
  const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1', portNumber: 8080 }] }));
  const edges: Array<[Component, Component]> = [[schema, seed], [migrate, db], [api, migrate], [api, schema]];
  for (const [from, to] of edges) from.dependsOn(to);
  return { chart, db, seed, schema, migrate, api, edges };
}
