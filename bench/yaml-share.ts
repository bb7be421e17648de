/**
 * The "yaml-share" measure (no goal; it says where synthesis time goes): the
 * CPU that cdk8s's YAML writer spends on the ordered output of N components
 * with E edges each, and on the same documents with everything the library
 * added taken out again (the scripts ConfigMap, the dependencies annotation,
 * its init containers, containers, volumes and mounts). The difference is
 * what writing the added YAML costs. In the harness process, like "graph
 * work alone": median of 5 after a warm-up, `gc()` before each.
 */
import { Yaml } from 'cdk8s';
import { library } from './lib-under-test';
import { Spread, spread } from './stats';
import { buildApp, dependencyEdges } from './workload';

/** CPU ms of writing the YAML, with and without the library's additions, and their bytes. */
export interface YamlShare {
  readonly n: number;
  readonly edges: number;
  readonly withMs: Spread;
  readonly withoutMs: Spread;
  readonly withBytes: number;
  readonly withoutBytes: number;
}

const OURS = /^(wait-for-|gate-|ordered-)/;

/** `m` without what the library adds (a copy). */
function withoutAdditions(m: any): any {
  const copy = JSON.parse(JSON.stringify(m));
  if (copy.metadata?.annotations) {
    delete copy.metadata.annotations['ordered.cdk8s.io/dependencies'];
    if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  }
  const spec = copy.spec?.template?.spec;
  if (spec) {
    for (const key of ['initContainers', 'containers', 'volumes']) {
      if (!Array.isArray(spec[key])) continue;
      spec[key] = spec[key].filter((x: any) => !OURS.test(x.name));
      for (const c of spec[key]) if (c.volumeMounts) c.volumeMounts = c.volumeMounts.filter((v: any) => !OURS.test(v.name));
      if (spec[key].length === 0) delete spec[key];
    }
  }
  return copy;
}

export function yamlShare(n: number, edges: number): YamlShare {
  const gc = (globalThis as { gc?: () => void }).gc;
  const app = buildApp(library(), 'ordered', dependencyEdges(n, edges));
  const docs = app.charts.flatMap((c) => c.toJson());
  const plain = docs.filter((m) => m.kind !== 'ConfigMap' || !m.metadata.name.includes('-ordered-')).map(withoutAdditions);
  const write = (d: any[]) => {
    gc?.();
    const t0 = process.cpuUsage();
    const yaml = Yaml.stringify(...d);
    const t = process.cpuUsage(t0);
    return { ms: (t.user + t.system) / 1000, bytes: Buffer.byteLength(yaml) };
  };
  write(docs);
  write(plain);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 5; i++) {
    a.push(write(docs).ms);
    b.push(write(plain).ms);
  }
  return { n, edges, withMs: spread(a), withoutMs: spread(b), withBytes: write(docs).bytes, withoutBytes: write(plain).bytes };
}
