import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * Install and first use, as a new user would, outside this repository: the
 * package packed as npm would publish it, installed into a new project made
 * by the real cdk8s command line (`cdk8s init typescript-app`), a program
 * that uses it type-checked and synthesized, and the package's own command
 * line run on the output. The commands are the README's ("Use it in your
 * cdk8s project"), and so is the program.
 */

/** The cdk8s-plus package of the sample app: the one name to change when the library accepts another. */
const PLUS = 'cdk8s-plus-33';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = (() => {
  const start = readme.indexOf('\n## Use it in your cdk8s project\n');
  if (start < 0) throw new Error('README.md has no "Use it in your cdk8s project" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
})();
/** The fenced blocks of the section, in order: info string and body. */
const blocks = (() => {
  const out: Array<{ info: string; body: string }> = [];
  let open: { info: string; lines: string[] } | undefined;
  for (const line of section.split('\n')) {
    if (line.startsWith('```')) {
      if (open) {
        out.push({ info: open.info, body: open.lines.join('\n') + '\n' });
        open = undefined;
      } else {
        open = { info: line.slice(3).trim(), lines: [] };
      }
    } else if (open) {
      open.lines.push(line);
    }
  }
  return out;
})();
const block = (info: string) => {
  const found = blocks.find((b) => b.info === info);
  if (!found) throw new Error(`README.md "Use it in your cdk8s project" has no \`\`\`${info} block`);
  return found.body;
};

/** The README's commands, without their comments, in order. */
const COMMANDS = [
  'npm install -g cdk8s-cli',
  'mkdir my-app && cd my-app',
  'cdk8s init typescript-app',
  `npm install cdk8s-ordered ${PLUS}`,
  'npx tsc --noEmit',
  'npx cdk8s synth',
  'npx cdk8s-ordered lint dist/',
  'npx cdk8s-ordered plan dist/',
  'kubectl apply -f dist/',
];

describe('the packed package in a new cdk8s project', () => {
  const work = mkdtempSync(join(tmpdir(), 'ordered-packed-'));
  const project = join(work, 'my-app');
  const bin = join(work, 'bin');
  const timings: string[] = [];
  // npm's own environment (npx jest sets npm_config_*, which would point npm at this repository) is left out.
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD')),
    PATH: `${bin}:${process.env.PATH}`,
    CDK8S_CHECK_UPGRADE: 'false',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.log(`packed-package test timings:\n${timings.join('\n')}`);
  });

  function run(label: string, command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
    const started = Date.now();
    const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    timings.push(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return r;
  }

  function ok(r: SpawnSyncReturns<string>, what: string): string {
    if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  test('the README runs these commands', () => {
    const lines = block('sh').split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual(COMMANDS);
    expect(block('ts fixture=full-program')).toContain(`from '${PLUS}'`);
  });

  test('install, type-check, synth, lint and plan, from the packed tarball', () => {
    // GIVEN the package as npm would publish it
    ok(run('npx projen compile', 'npx', ['projen', 'compile'], root), 'npx projen compile');
    const packed = ok(run('npm pack', 'npm', ['pack', '--pack-destination', work, '--silent'], root), 'npm pack').trim().split('\n').pop()!;
    const tarball = join(work, packed);
    expect(packed).toMatch(/^cdk8s-ordered-0\.\d+\.\d+\.tgz$/);

    // WHEN `npm install -g cdk8s-cli`: the real cdk8s-cli from npm, this repository's dev dependency, on the PATH
    mkdirSync(bin);
    symlinkSync(join(root, 'node_modules', '.bin', 'cdk8s'), join(bin, 'cdk8s'));
    // AND `mkdir my-app && cd my-app` and `cdk8s init typescript-app`
    mkdirSync(project);
    const init = run('cdk8s init typescript-app', 'cdk8s', ['init', 'typescript-app'], project);
    if (init.status !== 0) {
      // Its last steps import the Kubernetes types from GitHub (`cdk8s import`), which only the npm registry being
      // reachable cannot do; everything before (the template's files, `npm install`) must have worked.
      expect(`${init.stdout}\n${init.stderr}`).toMatch(/Command failed: npm run import/);
      expect(existsSync(join(project, 'node_modules', 'cdk8s', 'package.json'))).toBe(true);
    }
    expect(readdirSync(project)).toEqual(expect.arrayContaining(['cdk8s.yaml', 'main.ts', 'package.json', 'tsconfig.json']));
    // AND `npm install cdk8s-ordered <plus>`, with the packed tarball in place of the registry's cdk8s-ordered
    ok(run(`npm install cdk8s-ordered ${PLUS}`, 'npm', ['install', tarball, PLUS], project), 'npm install');
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'cdk8s-ordered', 'package.json'), 'utf8'));
    expect(installed.version).toMatch(/^0\./);
    // AND main.ts is the README's program
    writeFileSync(join(project, 'main.ts'), block('ts fixture=full-program'));

    // THEN it type-checks (the template's test, which imports MyChart, included)
    ok(run('npx tsc --noEmit', 'npx', ['tsc', '--noEmit'], project), 'npx tsc --noEmit');
    // AND cdk8s synth writes the ordered YAML
    ok(run('npx cdk8s synth', 'npx', ['cdk8s', 'synth'], project), 'npx cdk8s synth');
    const yaml = readFileSync(join(project, 'dist', 'my-app.k8s.yaml'), 'utf8');
    expect(yaml).toContain('ordered.cdk8s.io/dependencies');
    expect(yaml).toMatch(/initContainers:\n\s+- name: wait-for-db/);
    // the waiter runs its script from the chart's scripts ConfigMap, which comes first
    expect(yaml).toMatch(/^apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: my-app-ordered-[0-9a-f]{8}\n/);
    // (the dependency on db, a StatefulSet, is upgrade-checked: its rollout, then a TCP connection through its Service)
    expect(yaml).toContain('- /ordered/wait-upgrade.sh');
    // AND the package's command line, from node_modules/.bin, finds no problem and plans the start as the README shows
    const lint = run('npx cdk8s-ordered lint dist/', 'npx', ['cdk8s-ordered', 'lint', 'dist/'], project);
    // 7 objects: the scripts ConfigMap, the db's Service and StatefulSet, the api waiter's ServiceAccount, Role and
    // RoleBinding (to watch db's rollout), the api's Deployment
    expect([lint.status, lint.stdout, lint.stderr]).toEqual([0, 'no problems in 1 file (7 objects, 2 workloads)\n', '']);
    const plan = run('npx cdk8s-ordered plan dist/', 'npx', ['cdk8s-ordered', 'plan', 'dist/'], project);
    expect([plan.status, plan.stderr]).toEqual([0, '']);
    expect(plan.stdout).toBe(block(''));
    const version = execFileSync('npx', ['cdk8s-ordered', '--version'], { cwd: project, env, encoding: 'utf8' });
    expect(version).toBe(`${installed.version}\n`);
  }, 600_000);
});
