// Writes the documentation made from the rule registry (lib/lint/rules/) and the exit codes:
// docs/rules.md, and the rule and exit-code tables of README.md.
//   npx ts-node -P test/tsconfig.json scripts/rules-doc.ts
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { fillBlocks, readmeBlocks, rulesMarkdown } from '../lib/cli/docs';

const root = join(__dirname, '..');
mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(join(root, 'docs', 'rules.md'), rulesMarkdown());
const readme = join(root, 'README.md');
writeFileSync(readme, fillBlocks(readFileSync(readme, 'utf8'), readmeBlocks()));
