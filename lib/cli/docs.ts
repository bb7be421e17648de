/**
 * The generated parts of the documentation: docs/rules.md, and the README's
 * rule and exit-code tables (between `<!-- NAME:begin -->` and
 * `<!-- NAME:end -->` markers). scripts/rules-doc.ts writes them; a test
 * checks they are current. Not part of the jsii API.
 */
import { exitCodeTable } from './exit-codes';
import { rulesDoc, ruleTable } from '../lint/rules';

/** The README's generated blocks, by marker name. */
export function readmeBlocks(): Record<string, string> {
  return { 'rules': ruleTable('docs/rules.md'), 'exit-codes': exitCodeTable() };
}

/** docs/rules.md. */
export function rulesMarkdown(): string {
  return rulesDoc(exitCodeTable());
}

/** `text` with each marked block replaced by `blocks[name]`; throws when a marker is missing. */
export function fillBlocks(text: string, blocks: Record<string, string>): string {
  let out = text;
  for (const [name, body] of Object.entries(blocks)) {
    const begin = `<!-- ${name}:begin -->\n`;
    const end = `<!-- ${name}:end -->`;
    const b = out.indexOf(begin);
    const e = out.indexOf(end, b);
    if (b < 0 || e < 0) throw new Error(`no '${begin.trim()}' ... '${end}' block`);
    out = out.slice(0, b + begin.length) + body + out.slice(e);
  }
  return out;
}
