/**
 * Strict validation of Kubernetes objects against the Kubernetes API schemas.
 *
 * The schemas are those the `kubernetes-models` package generates from the
 * official OpenAPI document of each Kubernetes release: version 4.3.1 of the
 * package for Kubernetes 1.27 (cdk8s-plus-27's), 5.1.0 for 1.34 (the newest
 * on npm). They are installed side by side as `kubernetes-models-1.27` and
 * `kubernetes-models-1.34`.
 *
 * Their own validators check types, enums, formats and required fields, but
 * accept fields the schema does not have. Strictness (what `kubectl apply
 * --validate=strict` does) is added here without touching the schemas: each
 * object is handed to the validator through a proxy that records which keys
 * the validator looks at. A validator reads every property its schema
 * declares and enumerates the keys only of maps (labels, annotations,
 * resource lists), so a key present in the object that the validator never
 * looked at is a field the schema does not know.
 *
 * Run (outside jest: the 1.34 package is ES modules only):
 *
 *   ts-node -P test/tsconfig.json test/schema/validate-manifests.ts [--target 1.27] PATH...
 *
 * PATH: a YAML file, a JSON record written by test/support/synth.ts (which
 * carries its own target version), or a folder of them. An object written
 * for target 1.x is validated against every schema of version 1.x or newer.
 * Exit codes: 0 every object valid, 1 some invalid, 2 unreadable input.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { parseArgs } from 'util';
import { parseAllDocuments } from 'yaml';

/** The schema versions we have, by minor version. */
const PACKAGES: Record<number, string> = {
  27: 'kubernetes-models-1.27',
  34: 'kubernetes-models-1.34',
};
export const SCHEMA_MINORS = Object.keys(PACKAGES).map(Number).sort((a, b) => a - b);

/** One problem with one object. */
export interface Problem {
  readonly minor: number;
  readonly path: string;
  readonly message: string;
}

/** A set of objects synthesized for one target version. */
export interface Batch {
  readonly source: string;
  readonly target: string;
  readonly manifests: any[];
}

type Check = (data: unknown) => Array<{ instancePath: string; message?: string; keyword: string; params: any }>;

const ROOT = join(__dirname, '..', '..');
const checks = new Map<string, Check | undefined>();

function packageDir(minor: number): string {
  return join(ROOT, 'node_modules', PACKAGES[minor]);
}

/** The schema module name (`IoK8sApiAppsV1Deployment`) of a kind, from the package's model file. */
function schemaName(minor: number, apiVersion: string, kind: string): string | undefined {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  try {
    const model = readFileSync(join(packageDir(minor), apiVersion, `${kind}.js`), 'utf8');
    return /_schemas\/(IoK8s\w+)\.js/.exec(model)?.[1];
  } catch {
    return undefined;
  }
}

async function loadCheck(minor: number, apiVersion: string, kind: string): Promise<Check | undefined> {
  const key = `${minor} ${apiVersion} ${kind}`;
  if (checks.has(key)) return checks.get(key);
  const name = schemaName(minor, apiVersion, kind);
  let check: Check | undefined;
  if (name) {
    const file = join(packageDir(minor), '_schemas', `${name}.js`);
    if (minor === 27) {
      // 4.x: JSON schemas registered with an ajv instance at run time (CommonJS).
      const req = createRequire(file);
      const id = /register\)\("([^"]+)"/.exec(readFileSync(file, 'utf8'))![1];
      req(file).addSchema();
      const runtime = req('@kubernetes-models/validate');
      check = (data) => {
        try {
          runtime.validate(id, data);
          return [];
        } catch (e: any) {
          if (!e.errors) throw e;
          return e.errors;
        }
      };
    } else {
      // 5.x: validators compiled ahead of time (ES modules).
      const mod = await import(pathToFileURL(file).href);
      check = (data) => (mod.validate(data) ? [] : mod.validate.errors ?? [{ instancePath: '', keyword: 'schema', params: {} }]);
    }
  }
  checks.set(key, check);
  return check;
}

/** What the validator looked at, per object (by JSON pointer). */
interface Visits {
  readonly keys: Map<string, Set<string>>;
  readonly enumerated: Set<string>;
}

function pointer(path: string, key: string): string {
  return `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** `value`, seen through proxies that record every key read at every depth. */
function watched(value: unknown, path: string, visits: Visits): unknown {
  if (value === null || typeof value !== 'object') return value;
  const keys = visits.keys.get(path) ?? new Set<string>();
  visits.keys.set(path, keys);
  const note = (k: string | symbol) => {
    if (typeof k === 'string') keys.add(k);
  };
  return new Proxy(value, {
    get(target, k, receiver) {
      note(k);
      const v = Reflect.get(target, k, receiver);
      return typeof k === 'string' && Object.prototype.hasOwnProperty.call(target, k) ? watched(v, pointer(path, k), visits) : v;
    },
    has(target, k) {
      note(k);
      return Reflect.has(target, k);
    },
    getOwnPropertyDescriptor(target, k) {
      note(k);
      return Reflect.getOwnPropertyDescriptor(target, k);
    },
    ownKeys(target) {
      visits.enumerated.add(path);
      return Reflect.ownKeys(target);
    },
  });
}

/** Keys of `value` (at any depth) that the validator never looked at. */
function unknownFields(value: unknown, path: string, visits: Visits, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, `${path}/${i}`, visits, out));
    return;
  }
  const seen = visits.keys.get(path);
  for (const [k, v] of Object.entries(value)) {
    const child = pointer(path, k);
    if (!visits.enumerated.has(path) && !seen?.has(k)) {
      out.push(child);
      continue;
    }
    unknownFields(v, child, visits, out);
  }
}

/** A message for an error of a compiled validator (they carry none). */
function describe(e: { keyword: string; params: any }): string {
  switch (e.keyword) {
    case 'type': return `must be ${e.params.type}`;
    case 'enum': return `must be one of ${e.params.allowedValues?.join(', ')}`;
    case 'required': return `must have required property '${e.params.missingProperty}'`;
    case 'format': return `must match format "${e.params.format}"`;
    default: return `${e.keyword} ${JSON.stringify(e.params)}`;
  }
}

/** Problems of one object against the schema of Kubernetes 1.`minor`. */
export async function validateObject(object: any, minor: number): Promise<Problem[]> {
  const check = await loadCheck(minor, String(object?.apiVersion), String(object?.kind));
  if (!check) {
    return [{ minor, path: '/', message: `no ${object?.apiVersion} ${object?.kind} in the Kubernetes 1.${minor} API` }];
  }
  const visits: Visits = { keys: new Map(), enumerated: new Set() };
  const errors = check(watched(object, '', visits));
  const problems: Problem[] = errors.map((e) => ({ minor, path: e.instancePath || '/', message: e.message ?? describe(e) }));
  if (problems.length === 0) {
    // Only trusted when the object is otherwise valid: a validator that
    // stopped early would not have looked at everything.
    const unknown: string[] = [];
    unknownFields(object, '', visits, unknown);
    for (const path of unknown) problems.push({ minor, path, message: 'unknown field (not in the schema)' });
  }
  return problems;
}

/** The schema versions an object written for `target` must satisfy: that version and every newer one we have. */
export function minorsFor(target: string): number[] {
  const m = /^1\.(\d+)$/.exec(target);
  if (!m) throw new Error(`target '${target}' is not a Kubernetes version such as 1.27`);
  const minors = SCHEMA_MINORS.filter((v) => v >= Number(m[1]));
  if (minors.length === 0) throw new Error(`no schema for Kubernetes ${target} or newer (have 1.${SCHEMA_MINORS.join(', 1.')})`);
  return minors;
}

/** Reads batches from YAML files, recorded JSON batches, or folders of them. */
export function readBatches(paths: string[], target: string): Batch[] {
  const batches: Batch[] = [];
  const visit = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) {
        if (/\.(ya?ml|json)$/.test(f) || statSync(join(p, f)).isDirectory()) visit(join(p, f));
      }
      return;
    }
    const text = readFileSync(p, 'utf8');
    if (p.endsWith('.json')) {
      const batch = JSON.parse(text);
      batches.push({ source: `${p} (${batch.source})`, target: batch.target, manifests: batch.manifests });
      return;
    }
    const docs = parseAllDocuments(text);
    for (const d of docs) {
      if (d.errors.length > 0) throw new Error(`${p}: not YAML: ${d.errors[0].message}`);
    }
    batches.push({ source: p, target, manifests: docs.map((d) => d.toJS()).filter((m) => m != null) });
  };
  paths.forEach(visit);
  return batches;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { target: { type: 'string', default: '1.27' } } });
  if (positionals.length === 0) {
    process.stderr.write('usage: validate-manifests [--target 1.27] PATH...\n');
    return 2;
  }
  let batches: Batch[];
  try {
    batches = readBatches(positionals, values.target!);
  } catch (e: any) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  let objects = 0;
  let invalid = 0;
  const versions = new Set<number>();
  for (const batch of batches) {
    const minors = minorsFor(batch.target);
    for (const object of batch.manifests) {
      objects++;
      const problems: Problem[] = [];
      for (const minor of minors) {
        versions.add(minor);
        problems.push(...await validateObject(object, minor));
      }
      if (problems.length > 0) {
        invalid++;
        process.stdout.write(`INVALID ${object?.kind}/${object?.metadata?.name} in ${batch.source} (target ${batch.target}):\n`);
        for (const p of problems) process.stdout.write(`  Kubernetes 1.${p.minor}: ${p.path}: ${p.message}\n`);
      }
    }
  }
  if (objects === 0) {
    process.stdout.write(`schema: nothing to validate in ${positionals.join(' ')}\n`);
    return 1;
  }
  const against = [...versions].sort((a, b) => a - b).map((v) => `1.${v}`).join(' and ');
  process.stdout.write(`schema: ${objects - invalid} of ${objects} objects valid (strict) against Kubernetes ${against || '-'}, from ${batches.length} syntheses; ${invalid} invalid\n`);
  return invalid > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(2);
  });
}
