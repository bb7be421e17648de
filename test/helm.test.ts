import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { DeployTool, OrderedApp } from '../lib';
import { helmOrderByName, needs } from './support/deploy-order';
import { helmPath } from './support/tools';

/** The Helm form of the deploy-tool export, checked with the real helm binary. */
describe('Helm export with the real helm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-helm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a chart wrapping the YAML lints, and helm renders the hook Jobs with their weights', () => {
    // GIVEN an app exported for Helm: seed -> schema are Jobs only; migrate waits for the database
    const app = new App({ outdir: join(dir, 'out') });
    const chart = new Chart(app, 'shop');
    const ordered = new OrderedApp(chart, 'ordered', { deployTools: [DeployTool.HELM] });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16.4', portNumber: 5432 }] }));
    const seed = ordered.add(new kplus.Job(chart, 'seed', { containers: [{ image: 'seed:1.0.0' }] }));
    const schema = ordered.add(new kplus.Job(chart, 'schema', { containers: [{ image: 'schema:1.0.0' }] }));
    const migrate = ordered.add(new kplus.Job(chart, 'migrate', { containers: [{ image: 'migrate:1.0.0' }] }));
    schema.dependsOn(seed);
    migrate.dependsOn(db);
    // WHEN the synthesized YAML becomes a chart's template
    const helmChart = join(dir, 'shop');
    mkdirSync(join(helmChart, 'templates'), { recursive: true });
    writeFileSync(join(helmChart, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 0.1.0\n');
    writeFileSync(join(helmChart, 'templates', 'shop.yaml'), app.synthYaml());
    // THEN helm lint passes
    const lint = execFileSync(helmPath(), ['lint', helmChart], { encoding: 'utf8' });
    expect(lint).toContain('1 chart(s) linted, 0 chart(s) failed');
    // AND helm template keeps the hooks and their weights, and leaves migrate a plain resource
    const rendered = parseAllDocuments(execFileSync(helmPath(), ['template', 'shop', helmChart], { encoding: 'utf8' }))
      .map((d) => d.toJS()).filter(Boolean);
    const hook = (name: string) => rendered.find((m: any) => m.metadata.name === name)?.metadata.annotations ?? {};
    expect(hook(seed.name)).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '1' });
    expect(hook(schema.name)).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '3' });
    expect(hook(migrate.name)['helm.sh/hook']).toBeUndefined();
    // (migrate's Role, for the database's rollout, is a plain resource as migrate is; schema's is a hook before schema)
    const roles = rendered.filter((m: any) => m.kind === 'Role');
    expect(roles.map((m: any) => [m.metadata.name.split('-')[1], m.metadata.annotations?.['helm.sh/hook-weight']])).toEqual([['migrate', undefined], ['schema', '2']]);
    // AND in the order Helm 3.17 runs the hooks it rendered (weight, then name), schema's ServiceAccount, Role,
    // RoleBinding and the scripts ConfigMap come before schema, which comes after seed
    const order = helmOrderByName(rendered).map((m: any) => `${m.kind}/${m.metadata.name}`);
    const schemaJob = rendered.find((m: any) => m.kind === 'Job' && m.metadata.name === schema.name);
    const needed = needs(schemaJob, rendered).map((m: any) => `${m.kind}/${m.metadata.name}`);
    expect(needed).toHaveLength(4);
    expect(order.slice(0, order.indexOf(`Job/${schema.name}`))).toEqual(expect.arrayContaining([...needed, `Job/${seed.name}`]));
  }, 120_000);
});
