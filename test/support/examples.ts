import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { record } from './synth';

/** Builds an example into a fresh App and synthesizes it into a temp folder. */
export function synthExample(build: (app: App) => Chart): { files: Record<string, string>; manifests: any[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'ordered-example-'));
  try {
    const app = new App({ outdir });
    build(app);
    app.synth();
    const files: Record<string, string> = {};
    for (const f of readdirSync(outdir).sort()) files[f] = readFileSync(join(outdir, f), 'utf8');
    const manifests = Object.values(files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS()));
    record(app, manifests);
    return { files, manifests };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The committed dist/ files of an example. */
export function committedFiles(exampleDir: string): Record<string, string> {
  const dist = join(exampleDir, 'dist');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dist).sort()) files[f] = readFileSync(join(dist, f), 'utf8');
  return files;
}

/** Hint printed when committed output is stale. */
export const RESYNTH_HINT = 'examples/*/dist is stale: run `npx projen examples` and commit the result';
