import { cli, F } from '../../support/cli';

describe('ORD003', () => {
  test('ORD003: a versioned Job with ttlSecondsAfterFinished is an error', async () => {
    expect(await cli('lint', `${F}/versioned-ttl.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: `${F}/versioned-ttl.yaml: ORD003 error Job/migrate-9f8e7d6c: versioned Job has spec.ttlSecondsAfterFinished: 300: `
        + 'once Kubernetes deletes it, pods of Deployment/api that restart wait for it forever. '
        + 'Fix: remove ttlAfterFinished, and delete old versioned Jobs once no ReplicaSet needs them\n'
        + '1 error, 0 warnings in 1 file (2 objects, 2 workloads)\n',
    });
  });
});
