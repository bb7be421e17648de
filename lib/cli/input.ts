/**
 * The command line's input and output text: reading files and folders of
 * synthesized YAML into objects (never blocking on what is not a regular
 * file, never expanding an alias bomb), and showing text from a cluster or a
 * file on a terminal. Not part of the jsii API.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { describeValue, isObject } from '../contract';
import { K8sObject, Model, modelOf, objectOf } from '../lint/model';

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


/** Reads `paths` (files and folders) into a model; `onSkip` hears of what a folder holds that is not a regular file. */
export function load(paths: string[], onSkip?: OnSkip): Model {
  const files = expandPaths(paths, onSkip);
  const named = new Set(paths);
  return modelOf(files, files.flatMap((f) => readObjects(f, named.has(f))));
}


function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (e as Error)?.message ?? String(e);
}
