import { cli, F } from '../../support/cli';

describe('ORD006', () => {
  test('ORD006: a target that is not in the YAML is a warning, and a dashed node in the graph', async () => {
    expect(await cli('lint', `${F}/missing-target.yaml`)).toEqual({
      code: 0,
      stderr: '',
      stdout: `${F}/missing-target.yaml: ORD006 warning Deployment/api: waiter wait-for-db waits for StatefulSet/db `
        + '(1 Ready pod(s) -l app=db), which is not in the given YAML, so graph and plan are incomplete. '
        + 'Fix: pass every file of the app (e.g. the whole dist/ folder)\n'
        + '0 errors, 1 warning in 1 file (1 object, 1 workload)\n',
    });
    expect((await cli('graph', `${F}/missing-target.yaml`)).stdout).toBe([
      'flowchart LR',
      '  w0["Deployment/api"]',
      '  m1["StatefulSet/db (not in the given YAML)"]',
      '  style m1 stroke-dasharray: 5 5',
      '  w0 -->|"1 Ready pod(s) -l app=db"| m1',
      '',
    ].join('\n'));
    expect((await cli('plan', `${F}/missing-target.yaml`)).stdout).toContain('Startup plan: 1 workload in 2 waves, 1 not in the given YAML\n');
  });
});
