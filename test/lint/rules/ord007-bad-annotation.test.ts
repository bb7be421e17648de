import { cli, F } from '../../support/cli';

describe('ORD007', () => {
  test('ORD007: an annotation that is not JSON, or names a waiter the pod lacks, is an error; graph and plan cannot read it', async () => {
    const notJson = 'annotation ordered.cdk8s.io/dependencies is not JSON: [{"waiter": wait-for-db}]';
    expect(await cli('lint', `${F}/bad-annotation.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        `${F}/bad-annotation.yaml: ORD007 error Deployment/api: ${notJson}. `
          + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation',
        `${F}/bad-annotation.yaml: ORD007 error Deployment/worker: annotation lists waiter wait-for-queue (tcp queue:5672), `
          + 'but the pod has no init container of that name. '
          + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation or the init containers by hand',
        '2 errors, 0 warnings in 1 file (2 objects, 2 workloads)',
        '',
      ].join('\n'),
    });
    // graph and plan draw what they can read, report the same errors on stderr, and exit as lint does
    const errors = [
      `${F}/bad-annotation.yaml: ORD007 error Deployment/api: ${notJson}. `
        + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation',
      `${F}/bad-annotation.yaml: ORD007 error Deployment/worker: annotation lists waiter wait-for-queue (tcp queue:5672), `
        + 'but the pod has no init container of that name. '
        + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation or the init containers by hand',
      '',
    ].join('\n');
    expect(await cli('graph', `${F}/bad-annotation.yaml`)).toEqual({
      code: 1,
      stdout: 'flowchart LR\n  w0["Deployment/api"]\n  w1["Deployment/worker"]\n  p0(["tcp queue:5672"])\n  w1 -->|"waits for"| p0\n',
      stderr: errors,
    });
    const plan = await cli('plan', `${F}/bad-annotation.yaml`);
    expect([plan.code, plan.stderr]).toEqual([1, errors]);
  });
});
