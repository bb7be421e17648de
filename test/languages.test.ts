import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..');

describe('every jsii language', () => {
  const out = mkdtempSync(join(tmpdir(), 'ordered-pacmak-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('jsii-pacmak generates Python, Java, .NET and Go, and the Python compiles', () => {
    if (!existsSync(join(root, '.jsii'))) {
      throw new Error('.jsii is missing: run `npx projen compile` first (scripts/test.sh does)');
    }
    execFileSync('npx', ['jsii-pacmak', '--code-only', '--outdir', out, '--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go'],
      { cwd: root, stdio: 'pipe', env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
    const py = join(out, 'python', 'src', 'cdk8s_ordered', '__init__.py');
    execFileSync('python3', ['-m', 'py_compile', py]);
    const source = readFileSync(py, 'utf8');
    for (const name of ['class OrderedApp(', 'def depends_on(', 'def wait_for(', 'def gate_readiness_on(', 'class WaitFor(', 'def job_complete(']) {
      expect(source).toContain(name);
    }
    expect(existsSync(join(out, 'java', 'src', 'main', 'java', 'dev', 'cdk8sordered', 'OrderedApp.java'))).toBe(true);
    expect(existsSync(join(out, 'dotnet', 'Cdk8sOrdered', 'Cdk8sOrdered', 'OrderedApp.cs'))).toBe(true);
    expect(existsSync(join(out, 'go', 'cdk8sordered', 'OrderedApp.go'))).toBe(true);
  }, 120_000);
});
