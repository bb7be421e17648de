/**
 * Reading synthesized YAML into a startup graph, for the `cdk8s-ordered`
 * command line. Not part of the jsii API (not exported from lib/index.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { DependencyEntry, DEPENDENCIES_ANNOTATION, describeValue, isObject, parseEntries, podSpecOf, WORKLOAD_KINDS, WrittenEntries } from '../contract';
import { depths, findCycles, topologicalOrder } from '../graph';
import { append } from '../maps';

/** Bad input: a missing file, a file that is not YAML, a cluster kubectl cannot read. Exit code 2. */
export class InputError extends Error {}

/** A usage error: an unknown command or option, a bad value. Exit code 2. */
export class UsageError extends Error {}

/**
 * What a terminal may act on rather than print: C0 controls but the line feed, DEL, C1 controls (U+009B is a CSI on
 * its own), the line and paragraph separators, and the bidi controls that reorder what is shown (U+061C, U+200E/F,
 * U+202A-202E, U+2066-2069).
 */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control character shown as its escape (`\x1b`, `\u009b`): for text that comes from a cluster
 * or a file and goes to a terminal. Line feeds stay; a caller that wants one line folds them first.
 */
export function visible(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** `text` made visible, and on one line: its line feeds escaped too. */
export function visibleLine(text: string): string {
  return visible(text).replace(/\n/g, '\\n');
}

/** `value` as one line of JSON, the control characters JSON.stringify leaves raw (DEL, C1, U+2028/9, bidi) escaped too. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One Kubernetes object of the input. */
export interface K8sObject {
  /** The file, as the user named it (or joined to the folder they named). */
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** Undefined when the object has none. */
  readonly namespace?: string;
  /** `Kind/name`. */
  readonly ref: string;
  /** The object as parsed. */
  readonly raw: any;
}

/** A workload of the input, with its waiters. */
export interface Workload extends K8sObject {
  /** The pod spec (of the template, of a CronJob's job template, of a Pod). */
  readonly podSpec: any;
  /** Whether it carries the dependencies annotation. */
  readonly annotated: boolean;
  /** The annotation's entries, in order (empty when absent or unreadable). */
  readonly waits: readonly DependencyEntry[];
  /** Why the annotation could not be read, if it could not. */
  readonly annotationError?: string;
}

/** A node of the startup graph. */
export interface GraphNode {
  /** `workload`: in the input; `missing`: a target that is not in the input. */
  readonly type: 'workload' | 'missing';
  /** `Kind/name`, with ` in <namespace>` when that name is ambiguous. */
  readonly label: string;
  readonly kind: string;
  readonly name: string;
  readonly workload?: Workload;
}

/** An edge: `from` waits for `to` (indices into `nodes`). */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  readonly entry: DependencyEntry;
}

/** A precondition (a wait without target), one node per namespace and check. */
export interface Precondition {
  readonly check: string;
  readonly namespace?: string;
  /** Who waits for it, with the entry. */
  readonly waiters: Array<{ from: number; entry: DependencyEntry }>;
}

/** The input, read and joined into a graph. */
export interface Model {
  readonly files: string[];
  readonly objects: K8sObject[];
  readonly workloads: Workload[];
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  readonly preconditions: Precondition[];
}

/** Told of a file that a folder holds but that is not read, and why. */
export type OnSkip = (file: string, why: string) => void;

/**
 * The files named by `paths`: files as given, folders as every *.yaml / *.yml
 * inside that is a regular file (or a link to one), sorted. What else a folder
 * holds under such a name (a named pipe, a socket, a device, a link to a
 * folder or to nothing) goes to `onSkip`: it is never opened, since opening a
 * named pipe blocks until something writes to it.
 */
export function expandPaths(paths: string[], onSkip: OnSkip = () => undefined): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    const key = path.resolve(f);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(f);
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      throw new InputError(`cannot read '${p}': ${reason(e)}`);
    }
    if (!stat.isDirectory()) {
      add(p);
      continue;
    }
    const found = yamlFilesUnder(p, onSkip);
    if (found.length === 0) {
      throw new InputError(`folder '${p}' has no .yaml or .yml files; give the folder cdk8s synth wrote (e.g. dist/)`);
    }
    found.forEach(add);
  }
  return files;
}

/** What a file that is not a regular one is, for a note. */
function whatIs(st: fs.Stats): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a folder reached by a symbolic link';
  return 'not a file';
}

function yamlFilesUnder(dir: string, onSkip: OnSkip): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      throw new InputError(`cannot read folder '${d}': ${reason(e)}`);
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
        continue;
      }
      if (!/\.ya?ml$/i.test(e.name)) continue;
      if (e.isFile()) {
        out.push(p);
        continue;
      }
      // A link, or not a file: stat (which never blocks, unlike open) says what it leads to.
      let st: fs.Stats;
      try {
        st = fs.statSync(p);
      } catch (err) {
        onSkip(p, e.isSymbolicLink() ? `a symbolic link to nothing readable (${reason(err)})` : reason(err));
        continue;
      }
      if (st.isFile()) out.push(p);
      else onSkip(p, `${whatIs(st)}, not a regular file`);
    }
  };
  walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The text of `file`. It is opened without blocking and read only if it is a
 * regular file: a named pipe found in a folder would otherwise block forever.
 * A named pipe the user names (`lint <(cdk8s synth --stdout)`) is read as they
 * asked, waiting for its writer.
 */
function readText(file: string, named: boolean): string {
  let fd: number;
  try {
    // O_RDONLY + O_NONBLOCK, as a sum (the lint forbids bitwise operators): the flags are distinct bits.
    fd = fs.openSync(file, fs.constants.O_RDONLY + fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(`cannot read '${file}': ${reason(e)}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isFile()) return fs.readFileSync(fd, 'utf8');
    if (!(named && st.isFIFO())) throw new InputError(`cannot read '${file}': ${whatIs(st)}, not a regular file`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read '${file}': ${reason(e)}`);
  } finally {
    fs.closeSync(fd);
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read '${file}': ${reason(e)}`);
  }
}

/**
 * How often one document may use its aliases, counted as the yaml package
 * counts them (uses times the aliases inside what is used). Its default, 100,
 * refuses a plain manifest that reuses one anchor in 101 places; 1,000 allows
 * that, and still stops a billion-laughs bomb after a few thousand strings.
 */
const MAX_ALIAS_COUNT = 1000;

/** Every Kubernetes object in `file` (a `List` gives its items); `named`: the user named the file itself, not its folder. */
export function readObjects(file: string, named = true): K8sObject[] {
  const text = readText(file, named);
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch (e) {
    throw new InputError(`'${file}' cannot be read: ${firstLine(e)}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: K8sObject[] = [];
  list.forEach((doc, i) => {
    const err = doc.errors[0];
    if (err) {
      const where = err.linePos ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}: ` : '';
      const what = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new InputError(`'${file}' is not valid YAML: ${where}${what}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // The yaml package throws a ReferenceError when aliases expand past the limit.
      throw new InputError(/alias/i.test(firstLine(e))
        ? `'${file}' cannot be read: document ${i + 1} uses aliases beyond the limit of ${MAX_ALIAS_COUNT} (a YAML alias bomb?)`
        : `'${file}' cannot be read: document ${i + 1}: ${firstLine(e)}`);
    }
    if (value === null || value === undefined) return;
    const items = isObject(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) {
      if (!isObject(item) || typeof item.kind !== 'string' || !isObject(item.metadata) || typeof item.metadata.name !== 'string') {
        throw new InputError(`'${file}' is not Kubernetes YAML: document ${i + 1} is ${describeValue(item)}, `
          + 'not an object with kind and metadata.name');
      }
      objects.push(objectOf(file, item));
    }
  });
  return objects;
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** An object with `kind` and `metadata.name`, read from `file` (or a cluster). */
export function objectOf(file: string, item: any): K8sObject {
  return {
    file,
    kind: item.kind,
    name: item.metadata.name,
    namespace: typeof item.metadata.namespace === 'string' ? item.metadata.namespace : undefined,
    ref: `${item.kind}/${item.metadata.name}`,
    raw: item,
  };
}

/** Reads `paths` (files and folders) into a model; `onSkip` hears of what a folder holds that is not a regular file. */
export function load(paths: string[], onSkip?: OnSkip): Model {
  const files = expandPaths(paths, onSkip);
  const named = new Set(paths);
  return modelOf(files, files.flatMap((f) => readObjects(f, named.has(f))));
}

/**
 * The startup graph of `objects` (read from `files`, or from a cluster).
 * `written` holds annotations as the library wrote them, by the object they
 * are in (synthesis has them): an object whose annotation is still that text
 * takes those entries instead of parsing it.
 */
export function modelOf(files: string[], objects: K8sObject[], written?: ReadonlyMap<any, WrittenEntries>): Model {
  // A workload stands among the objects as itself: one object each, not a workload and the object it was read from.
  const workloads: Workload[] = [];
  const all = objects.map((o) => {
    if (!WORKLOAD_KINDS.includes(o.kind)) return o;
    const w = toWorkload(o, written?.get(o.raw));
    workloads.push(w);
    return w;
  });
  return buildGraph(files, all, workloads);
}

function toWorkload(o: K8sObject, written: WrittenEntries | undefined): Workload {
  const text = o.raw.metadata.annotations?.[DEPENDENCIES_ANNOTATION];
  const parsed = text === undefined ? NO_WAITS : written && written.text === text ? written.entries : parseEntries(text);
  const error = typeof parsed === 'string' ? parsed : undefined;
  // Every field by name, one shape for all: copying `o` with a spread builds each workload as a slow
  // dictionary object, about ten times the memory (which synthesis pays for each chart it lints).
  return {
    file: o.file,
    kind: o.kind,
    name: o.name,
    namespace: o.namespace,
    ref: o.ref,
    raw: o.raw,
    podSpec: podSpecOf(o.raw) ?? {},
    annotated: text !== undefined,
    waits: error === undefined ? parsed as readonly DependencyEntry[] : NO_WAITS,
    annotationError: error,
  };
}

/** The waits of a workload without (readable) annotation. */
const NO_WAITS: readonly DependencyEntry[] = Object.freeze([]);

function buildGraph(files: string[], objects: K8sObject[], workloads: Workload[]): Model {
  // A name is qualified with its namespace only when two workloads share Kind/name.
  const refCount = new Map<string, number>();
  for (const w of workloads) refCount.set(w.ref, (refCount.get(w.ref) ?? 0) + 1);
  const nodes: GraphNode[] = workloads.map((w) => ({
    type: 'workload',
    label: (refCount.get(w.ref) ?? 0) > 1 ? `${w.ref} in ${w.namespace ?? 'no namespace'}` : w.ref,
    kind: w.kind,
    name: w.name,
    workload: w,
  }));
  const byRef = new Map<string, number[]>();
  workloads.forEach((w, i) => append(byRef, w.ref, i));
  const missing = new Map<string, number>();
  const edges: GraphEdge[] = [];
  const preconditions = new Map<string, Precondition>();
  workloads.forEach((w, from) => {
    for (const entry of w.waits) {
      if (entry.target === undefined) {
        const key = `${w.namespace ?? ''}\n${entry.check}`;
        let p = preconditions.get(key);
        if (!p) {
          p = { check: entry.check, namespace: w.namespace, waiters: [] };
          preconditions.set(key, p);
        }
        p.waiters.push({ from, entry });
        continue;
      }
      let to = findTarget(byRef.get(entry.target) ?? [], w.namespace, workloads);
      if (to === undefined) {
        to = missing.get(entry.target);
        if (to === undefined) {
          const [kind, name] = entry.target.split('/');
          to = nodes.length;
          nodes.push({ type: 'missing', label: entry.target, kind, name });
          missing.set(entry.target, to);
        }
      }
      edges.push({ from, to, entry });
    }
  });
  return { files, objects, workloads, nodes, edges, preconditions: [...preconditions.values()] };
}

/** Of the workloads named `Kind/name` (indices): the one in `namespace`, else the only one anywhere. */
function findTarget(candidates: number[], namespace: string | undefined, workloads: Workload[]): number | undefined {
  const local = candidates.find((i) => workloads[i].namespace === namespace);
  if (local !== undefined) return local;
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * `build(model)`, built on first use and kept as long as the model: for
 * what several rules or commands read of one model.
 */
export function perModel<T>(build: (model: Model) => T): (model: Model) => T {
  const built = new WeakMap<Model, T>();
  return (model) => {
    let value = built.get(model);
    if (value === undefined) {
      value = build(model);
      built.set(model, value);
    }
    return value;
  };
}

/**
 * `deps[i]`: the nodes node `i` waits for, in declaration order (graph.ts
 * format). Built on first use: the synth-time lint, which runs no graph-wide
 * rule, never asks.
 */
const depsOf = perModel((model) => {
  const deps: number[][] = model.nodes.map(() => []);
  for (const e of model.edges) deps[e.from].push(e.to);
  return deps;
});

/** Every dependency cycle, as node indices `[a, b, a]`. */
export function cyclesOf(model: Model): number[][] {
  return findCycles(model.nodes.length, depsOf(model));
}

/** Startup waves and the critical path; undefined when the graph has a cycle. */
export interface Plan {
  /** Wave of each node. */
  readonly wave: number[];
  /** Nodes in startup order (by wave, then as they come in the input). */
  readonly order: number[];
  /** The longest dependency chain, in startup order. */
  readonly criticalPath: number[];
}

/**
 * Waves (0: waits for nothing; n: one more than its deepest dependency) and
 * the critical path. Ties are broken by input order: the chain ends at the
 * first node of the last wave, and each step back takes the first-declared
 * dependency that is one wave earlier.
 */
export function planOf(model: Model): Plan | undefined {
  const n = model.nodes.length;
  const deps = depsOf(model);
  const wave = depths(n, deps);
  const topo = topologicalOrder(n, deps);
  if (!wave || !topo) return undefined;
  const order = [...topo].sort((a, b) => wave[a] - wave[b] || a - b);
  const criticalPath: number[] = [];
  if (n > 0) {
    let v = order[order.length - 1];
    const last = wave[v];
    v = order.find((x) => wave[x] === last)!;
    criticalPath.push(v);
    while (wave[v] > 0) {
      v = deps[v].find((d) => wave[d] === wave[v] - 1)!;
      criticalPath.push(v);
    }
    criticalPath.reverse();
  }
  return { wave, order, criticalPath };
}

/** The env value `name` of a container, if set literally. */
export function envOf(container: any, name: string): string | undefined {
  const env = Array.isArray(container?.env) ? container.env : [];
  const v = env.find((x: any) => x?.name === name);
  return typeof v?.value === 'string' ? v.value : undefined;
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (e as Error)?.message ?? String(e);
}
