import { cli, F } from '../../support/cli';

describe('ORD004', () => {
  test('ORD004: a dependency cycle is an error, and fails graph, plan and lint alike (exit 1); plan refuses it, graph draws it', async () => {
    const finding = `${F}/cycle.yaml: ORD004 error Deployment/a: dependency cycle Deployment/a => Deployment/b => Deployment/a: `
      + 'none of these pods can start. Fix: remove one of these dependsOn edges\n';
    expect(await cli('lint', `${F}/cycle.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: finding + '1 error, 0 warnings in 1 file (2 objects, 2 workloads)\n',
    });
    expect(await cli('plan', `${F}/cycle.yaml`)).toEqual({
      code: 1,
      stdout: '',
      stderr: finding + 'cdk8s-ordered: cannot plan: dependency cycle Deployment/a => Deployment/b => Deployment/a\n',
    });
    const graph = (await cli('graph', `${F}/cycle.yaml`));
    expect(graph.code).toBe(1);
    expect(graph.stdout).toContain('  w0 -->|"1 Ready pod(s) -l app=b"| w1\n  w1 -->|"1 Ready pod(s) -l app=a"| w0\n');
    expect(graph.stderr).toBe(finding);
  });
});
