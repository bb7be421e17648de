import { cli, F, pinFix } from '../../support/cli';

describe('ORD002', () => {
  test('ORD002: waiter images without a tag, or tagged latest, are errors whose fix is a digest; a version tag or a digest is accepted', async () => {
    expect(await cli('lint', `${F}/unpinned.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        `${F}/unpinned.yaml: ORD002 error Pod/web: waiter wait-for-cache image 'busybox' has no tag, ${pinFix('busybox')}`,
        `${F}/unpinned.yaml: ORD002 error Pod/web: waiter wait-for-secret-x image 'alpine/k8s:latest' is tagged latest, ${pinFix('alpine/k8s')}`,
        `${F}/unpinned.yaml: ORD002 error Pod/web: waiter wait-for-dns-cache image 'registry.local:5000/busybox' has no tag, ${pinFix('registry.local:5000/busybox')}`,
        '3 errors, 0 warnings in 1 file (2 objects, 1 workload)',
        '',
      ].join('\n'),
    });
  });
});
