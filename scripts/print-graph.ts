// Prints the startup graph of an example as Mermaid (or DOT with --dot), e.g. for the README:
//   npx ts-node -P test/tsconfig.json scripts/print-graph.ts db-api
import { App, Chart } from 'cdk8s';
import { OrderedApp } from '../lib';

const [name = 'db-api', format] = process.argv.slice(2);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require(`../examples/${name}/main`) as { build: (app: App) => Chart };
const ordered = build(new App()).node.findAll().find((c): c is OrderedApp => c instanceof OrderedApp);
if (!ordered) throw new Error(`examples/${name} has no OrderedApp`);
process.stdout.write(format === '--dot' ? ordered.toDot() : ordered.toMermaid());
