import { cli, F } from '../../support/cli';

describe('ORD005', () => {
  test('ORD005: a wait on a Service that is not in the YAML is a warning; a dotted host may be in another namespace', async () => {
    const lines = [
      `${F}/missing-service.yaml: ORD005 warning Deployment/api: waiter wait-for-cache-6379 waits for Service 'cache' `
        + '(WAIT_ADDRESSES cache:6379), but there is no Service \'cache\' in namespace web in the given YAML, so it would wait forever. '
        + 'Fix: add the Service, correct the host, or pass the file that defines it',
      `${F}/missing-service.yaml: ORD005 warning Deployment/api: waiter wait-for-db-data-5432 waits for 'db.data' `
        + '(WAIT_ADDRESSES db.data:5432), which is not a Service in the given YAML; it may be a Service \'db\' in namespace data '
        + 'deployed separately, or a host outside the cluster. Check that it exists, or pass the file that defines it',
    ];
    expect(await cli('lint', `${F}/missing-service.yaml`)).toEqual({
      code: 0,
      stderr: '',
      stdout: [...lines, '0 errors, 2 warnings in 1 file (2 objects, 1 workload)', ''].join('\n'),
    });
    expect(await cli('lint', '--strict', `${F}/missing-service.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: [...lines, '0 errors, 2 warnings in 1 file (2 objects, 1 workload) (--strict: warnings fail)', ''].join('\n'),
    });
  });

  test('ORD005: the checks of a shared waiter (WAIT_CHECKS) are each looked up', async () => {
    const file = `${F}/missing-service-shared.yaml`;
    expect((await cli('lint', file)).stdout.split('\n')).toEqual([
      `${file}: ORD005 warning Deployment/api: waiter wait-for-cache-auth-mail waits for Service 'cache' `
        + '(WAIT_CHECKS line \'tcp cache cache:6379\'), but there is no Service \'cache\' in namespace web in the given YAML, '
        + 'so it would wait forever. Fix: add the Service, correct the host, or pass the file that defines it',
      `${file}: ORD005 warning Deployment/api: waiter wait-for-cache-auth-mail waits for 'mail.data' `
        + '(WAIT_CHECKS line \'dns mail mail.data\'), which is not a Service in the given YAML; it may be a Service \'mail\' '
        + 'in namespace data deployed separately, or a host outside the cluster. Check that it exists, or pass the file that defines it',
      '0 errors, 2 warnings in 1 file (2 objects, 1 workload)',
      '',
    ]);
  });

  test('ORD005: says what the waiter does about a Service that never answers: wait forever, or its timeout', async () => {
    const file = `${F}/missing-service-timeout.yaml`;
    const line = (waiter: string, host: string, port: number, outcome: string) =>
      `${file}: ORD005 warning Deployment/api: waiter ${waiter} waits for Service '${host}' (WAIT_ADDRESSES ${host}:${port}), `
      + `but there is no Service '${host}' in namespace web in the given YAML, so ${outcome}. `
      + 'Fix: add the Service, correct the host, or pass the file that defines it';
    expect((await cli('lint', file)).stdout.split('\n')).toEqual([
      line('wait-for-cache-6379', 'cache', 6379, 'it would wait forever'),
      line('wait-for-auth-8080', 'auth', 8080, 'it would give up after 600s and fail: the pod does not start, and Kubernetes retries it'),
      line('wait-for-search-9200', 'search', 9200, 'it would give up after 30s and start its pod without it (onTimeout: proceed)'),
      line('wait-for-mail-25', 'mail', 25, 'it would give up after 120s and start its pod without it (onTimeout: proceed)'),
      '0 errors, 4 warnings in 1 file (1 object, 1 workload)',
      '',
    ]);
  });
});
