import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp } from '../../../lib';
import { main } from '../../../lib/cli/main';
import { synth } from '../../support/synth';

/** The YAML of db (a StatefulSet updated by `strategy`) and api, which depends on it (`upgradeCheck` as given). */
function yaml(strategy: kplus.StatefulSetUpdateStrategy, upgradeCheck?: boolean): string {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered');
  const db = ordered.add(new kplus.StatefulSet(chart, 'db', {
    metadata: { name: 'db' },
    strategy,
    containers: [{ image: 'postgres:16.4', portNumber: 5432, readiness: kplus.Probe.fromTcpSocket() }],
  }));
  ordered.add(new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:1' }] })).dependsOn(db, { upgradeCheck });
  return synth(chart).map((m) => JSON.stringify(m)).join('\n---\n');
}

/** `cdk8s-ordered lint` of that YAML, in-process. */
async function lint(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-ord009-'));
  try {
    writeFileSync(join(dir, 'shop.k8s.yaml'), text);
    let stdout = '';
    const code = await main(['lint', join(dir, 'shop.k8s.yaml')], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true } });
    return { code, stdout: stdout.split(dir).join('DIR') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ORD009', () => {
  test('warns when an upgrade-checked dependency is a StatefulSet that updates OnDelete', async () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = await lint(yaml(kplus.StatefulSetUpdateStrategy.onDelete()));
    spy.mockRestore();
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('DIR/shop.k8s.yaml: ORD009 warning StatefulSet/db: updateStrategy is OnDelete and Deployment/api wait for it '
      + 'with the upgrade check: its pods change only when deleted, so its rollout is not waited for');
  });

  test('says nothing of a RollingUpdate StatefulSet, or of an OnDelete one waited for without the upgrade check', async () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const rolling = await lint(yaml(kplus.StatefulSetUpdateStrategy.rollingUpdate()));
    const unchecked = await lint(yaml(kplus.StatefulSetUpdateStrategy.onDelete(), false));
    spy.mockRestore();
    expect(rolling.stdout).not.toContain('ORD009');
    expect(unchecked.stdout).not.toContain('ORD009');
    expect(rolling.stdout).toMatch(/^no problems in 1 file/m);
  });

  test('is printed at synth too, as every per-workload rule is', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => (lines.push(String(s)), true));
    yaml(kplus.StatefulSetUpdateStrategy.onDelete());
    spy.mockRestore();
    expect(lines.join('')).toContain('cdk8s-ordered: chart shop: ORD009 warning StatefulSet/db: updateStrategy is OnDelete');
  });
});
