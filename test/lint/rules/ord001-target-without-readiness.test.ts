import { cli, STARTUP_PROBE } from '../../support/cli';

describe('ORD001', () => {
  test('lint: the database has no readiness probe (a warning: exit 0, or 1 with --strict)', async () => {
    // (the db-api example as it was before its database got a readiness probe)
    const unprobed = 'test/fixtures/cli/unprobed-db.yaml';
    const line = `${unprobed}: ORD001 warning StatefulSet/shop-db-c845ee8c: Job/shop-migrate-c8478881, Deployment/shop-api-c8f8f8d3 wait for it, ${STARTUP_PROBE}\n`;
    expect(await cli('lint', unprobed)).toEqual({
      code: 0,
      stderr: '',
      stdout: line + '0 errors, 1 warning in 1 file (7 objects, 3 workloads)\n',
    });
    expect(await cli('lint', '--strict', unprobed)).toEqual({
      code: 1,
      stderr: '',
      stdout: line + '0 errors, 1 warning in 1 file (7 objects, 3 workloads) (--strict: warnings fail)\n',
    });
  });
});
