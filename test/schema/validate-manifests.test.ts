import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { build as dbApi } from '../../examples/db-api/main';
import { build as gracefulShutdown } from '../../examples/graceful-shutdown/main';
import { build as sidecarOrder } from '../../examples/sidecar-order/main';

/**
 * The schema check itself: it must catch what `kubectl apply --validate=strict`
 * catches, and must hold each object to the Kubernetes version it is for.
 * It runs in its own process (the 1.34 schemas are ES modules).
 */
jest.setTimeout(60_000);

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ordered-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Runs the validator on `manifests`, written for `target`. */
function validate(manifests: any[], target: string): { code: number | null; out: string } {
  const file = join(dir, `batch-${++n}.json`);
  writeFileSync(file, JSON.stringify({ source: 'test', target, manifests }));
  const r = spawnSync('npx', ['ts-node', '-P', 'test/tsconfig.json', 'test/schema/validate-manifests.ts', file], {
    cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

function example(build: (app: App) => Chart): any[] {
  const app = Testing.app();
  return Testing.synth(build(app));
}

const byKind = (manifests: any[], kind: string) => manifests.find((m) => m.kind === kind);

describe('schema validation', () => {
  test('the main example is valid against Kubernetes 1.27 and 1.34', () => {
    const { code, out } = validate(example(dbApi), '1.27');
    expect(out).toMatch(/^schema: 11 of 11 objects valid \(strict\) against Kubernetes 1\.27 and 1\.34, from 1 syntheses; 0 invalid$/m);
    expect(code).toBe(0);
  });

  test('fails on a field the schema does not have, at any depth, in every version', () => {
    // GIVEN the main example with a misspelt container field and a misspelt metadata field
    const manifests = example(dbApi);
    const api = byKind(manifests, 'Deployment');
    api.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    api.metadata.labelz = { app: 'api' };
    // WHEN it is validated
    const { code, out } = validate(manifests, '1.27');
    // THEN both are reported, by path, for both versions
    expect(code).toBe(1);
    for (const v of ['1.27', '1.34']) {
      expect(out).toContain(`Kubernetes ${v}: /spec/template/spec/containers/0/imagePullPolicyy: unknown field (not in the schema)`);
      expect(out).toContain(`Kubernetes ${v}: /metadata/labelz: unknown field (not in the schema)`);
    }
    expect(out).toMatch(new RegExp(`^INVALID Deployment/${api.metadata.name} in .* \\(target 1.27\\):$`, 'm'));
    expect(out).toMatch(/; 1 invalid$/m);
  });

  test('fails on a wrong type, a bad enum value and a missing required field', () => {
    const manifests = example(dbApi);
    const api = byKind(manifests, 'Deployment');
    api.spec.replicas = '2';
    api.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    delete api.spec.template.spec.containers[0].name;
    const { code, out } = validate(manifests, '1.27');
    expect(code).toBe(1);
    expect(out).toContain('Kubernetes 1.27: /spec/replicas: must be integer');
    expect(out).toContain('Kubernetes 1.34: /spec/replicas: must be integer');
    expect(out).toMatch(/Kubernetes 1\.27: \/spec\/template\/spec\/containers\/0\/imagePullPolicy: must be equal to one of the allowed values/);
    expect(out).toContain('Kubernetes 1.34: /spec/template/spec/containers/0: must have required property \'name\'');
  });

  test('accepts any key in maps: labels, annotations, resource lists', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'web', {
      metadata: { labels: { 'example.com/any-key': 'x' }, annotations: { 'whatever.io/note': 'y' } },
      containers: [{ image: 'nginx:1.27', resources: { cpu: { request: kplus.Cpu.millis(50) } } }],
    });
    const { code, out } = validate(Testing.synth(chart), '1.27');
    expect(out).toContain('0 invalid');
    expect(code).toBe(0);
  });

  test('native sidecars are valid for the 1.29 target, and 1.27 does not know them', () => {
    // GIVEN the sidecar example, written for 1.29 (init containers with restartPolicy: Always)
    const manifests = example(sidecarOrder);
    expect(byKind(manifests, 'Deployment').spec.template.spec.initContainers[0].restartPolicy).toBe('Always');
    // THEN it is valid for what it targets (checked against 1.34, the schema we have at or above 1.29)
    const targeted = validate(manifests, '1.29');
    expect(targeted.out).toContain('against Kubernetes 1.34');
    expect(targeted.code).toBe(0);
    // AND the 1.27 schema rejects the field, which is why the library writes it only for 1.29 and later
    const old = validate(manifests, '1.27');
    expect(old.code).toBe(1);
    expect(old.out).toContain('Kubernetes 1.27: /spec/template/spec/initContainers/0/restartPolicy: unknown field (not in the schema)');
    expect(old.out).not.toContain('Kubernetes 1.34:');
  });

  test('the lifecycle sleep action is valid for the 1.30 target, and 1.27 does not know it', () => {
    const manifests = example(gracefulShutdown);
    const deployment = byKind(manifests, 'Deployment');
    expect(deployment.spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds).toBeGreaterThan(0);
    expect(validate(manifests, '1.30').code).toBe(0);
    const old = validate(manifests, '1.27');
    expect(old.code).toBe(1);
    expect(old.out).toContain('Kubernetes 1.27: /spec/template/spec/containers/0/lifecycle/preStop/sleep: unknown field (not in the schema)');
  });

  test('fails on a kind that is not in the API', () => {
    const { code, out } = validate([{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }], '1.27');
    expect(code).toBe(1);
    expect(out).toContain('Kubernetes 1.27: /: no apps/v1 Deploymnet in the Kubernetes 1.27 API');
  });
});
