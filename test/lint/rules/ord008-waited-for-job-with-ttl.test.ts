import { cli, F } from '../../support/cli';

describe('ORD008', () => {
  test('ORD008: a Job that others wait for, with ttlSecondsAfterFinished, is a warning', async () => {
    expect(await cli('lint', `${F}/job-ttl.yaml`)).toEqual({
      code: 0,
      stderr: '',
      stdout: `${F}/job-ttl.yaml: ORD008 warning Job/migrate: Job has spec.ttlSecondsAfterFinished: 600 and Deployment/api wait for it: `
        + 'once Kubernetes deletes it, their pods that restart (a node lost, a scale-up) wait for it forever. '
        + 'Fix: remove ttlAfterFinished, or add the Job with { versioned: true } and keep it while its dependents run\n'
        + '0 errors, 1 warning in 1 file (2 objects, 2 workloads)\n',
    });
    expect((await cli('lint', '--strict', `${F}/job-ttl.yaml`)).code).toBe(1);
  });
});
