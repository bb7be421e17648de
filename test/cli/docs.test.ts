import { readFileSync } from 'fs';
import { join } from 'path';
import { fillBlocks, readmeBlocks, rulesMarkdown } from '../../lib/cli/docs';
import { EXIT_CODES } from '../../lib/cli/exit-codes';
import { main, usage } from '../../lib/cli/main';
import { RULES } from '../../lib/lint/rules';

const root = join(__dirname, '..', '..');
const STALE = 'stale: run `npx ts-node -P test/tsconfig.json scripts/rules-doc.ts` and commit the result';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

describe('documentation made from the rule registry', () => {
  test('the README\'s rule and exit-code tables are what the registry generates', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const current = fillBlocks(readme, readmeBlocks());
    if (current !== readme) throw new Error(`README.md rule or exit-code table is ${STALE}`);
  });

  test('docs/rules.md is what the registry generates, with a section per rule', () => {
    const doc = readFileSync(join(root, 'docs', 'rules.md'), 'utf8');
    if (doc !== rulesMarkdown()) throw new Error(`docs/rules.md is ${STALE}`);
    expect([...doc.matchAll(/^## (ORD\d{3})$/gm)].map((m) => m[1])).toEqual(RULES.map((r) => r.id));
  });

  test('rules are numbered in order, one per file, each with a description', () => {
    expect(RULES.map((r) => r.id)).toEqual(RULES.map((_, i) => `ORD${String(i + 1).padStart(3, '0')}`));
    for (const r of RULES) {
      expect(r.title).not.toMatch(/\.$/);
      expect(r.description).toMatch(/Fix: /);
    }
  });

  test('the usage text lists every rule and every exit code', () => {
    const text = usage();
    expect(text).toContain(`(rules ORD001-${RULES[RULES.length - 1].id}, below)`);
    for (const r of RULES) expect(text).toMatch(new RegExp(`^  ${r.id}  ${r.severity} +\\S`, 'm'));
    for (const [code] of EXIT_CODES) expect(text).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });

  test('rules lists the rules; rules ID explains one; an unknown id is a usage error', async () => {
    const list = await cli('rules');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[4]).toBe('ORD005  warning  a waiter waits for a Service that is not in the YAML');
    const one = await cli('rules', 'ord005');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^ORD005 \(warning\): a waiter waits for a Service that is not in the YAML\n\nA network waiter/);
    expect(one.stdout).toContain('Fix: add the Service');
    expect(await cli('rules', 'ORD999')).toEqual({
      code: 2,
      stdout: '',
      stderr: `cdk8s-ordered: rules: no rule 'ORD999'; the rules are ORD001-${RULES[RULES.length - 1].id}\nRun 'cdk8s-ordered --help' for usage.\n`,
    });
  });
});
