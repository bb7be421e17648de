import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { App } from 'cdk8s';
import { build } from '../examples/db-api/main';
import { OrderedApp } from '../lib';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The body of the first fenced block whose info string starts with `info`. */
function block(text: string, info: string): string {
  const m = new RegExp('```' + info + '[^\\n]*\\n([\\s\\S]*?)```').exec(text);
  if (!m) throw new Error(`README.md has no \`\`\`${info} block`);
  return m[1];
}

describe('README', () => {
  test('the startup graph picture is what the db-api example draws', () => {
    const chart = build(new App());
    const ordered = chart.node.findAll().find((c): c is OrderedApp => c instanceof OrderedApp)!;
    expect(block(readme, 'mermaid')).toBe(ordered.toMermaid());
  });

  test('the Python example is jsii-rosetta\'s translation of the TypeScript one', () => {
    const tablet = join(root, '.jsii.tabl.json');
    if (!existsSync(tablet)) {
      throw new Error('.jsii.tabl.json is missing: run `npx projen compile && npx projen rosetta` first (scripts/test.sh does)');
    }
    const snippets = Object.values(JSON.parse(readFileSync(tablet, 'utf8')).snippets) as any[];
    const main = snippets.find((s) => s.location?.api?.api === 'moduleReadme' && s.translations.python.source.includes('OrderedApp(chart, "ordered")'));
    expect(block(readme, 'python')).toBe(main.translations.python.source + '\n');
  });
});
