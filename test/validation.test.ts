import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { KUBECTL_IMAGES } from '../lib/kubernetes-version';
import { OrderedApp } from '../lib/ordered-app';
import {
  checkApiGroup, checkApiVersion, checkArbitraryText, checkCommand, checkConditionStatus, checkConditionType, checkContainerName,
  checkDns1123Label, checkDns1123Subdomain, checkHost, checkHttpPath, checkHttpStatusCodes, checkHttpUrl, checkImage, checkKind,
  checkKubernetesVersion, checkLabelKey, checkLabelSelector, checkLabelValue, checkNamespace, checkObjectName, checkOneOf, checkPort,
  checkRbacRule, checkRbacRules, checkResource, checkWholeNumber, checkWholeSeconds, escapeForKubelet, invalid, showValue,
} from '../lib/validation';

// ---------------------------------------------------------------------------
// An oracle for the kubelet's `$(VAR)` expansion of env[].value, command and
// args, written from its documented behaviour:
//   - `$$` gives `$`;
//   - `$(NAME)` gives NAME's value if the container has a variable NAME, and
//     stays as written if not; NAME runs to the first `)`;
//   - `$(` with no `)` after it stays as written, and reading goes on after `(`;
//   - a `$` before any other character, or at the end, stays as written.
// It works on UTF-8 bytes, as the kubelet does. `legacy` is the kubelet
// before the fix of kubernetes#136323: after a lone `$` it took one byte and
// wrote it as the code point of that byte, so `$é` came out as invalid UTF-8.

type Lookup = (name: string) => string | undefined;

function kubeletExpand(input: string, lookup: Lookup, legacy = false): Buffer {
  const src = Buffer.from(input, 'utf8');
  const out: number[] = [];
  const DOLLAR = 0x24;
  const OPEN = 0x28;
  const CLOSE = 0x29;
  let i = 0;
  while (i < src.length) {
    const b = src[i];
    if (b !== DOLLAR || i + 1 === src.length) {
      out.push(b);
      i += 1;
    } else if (src[i + 1] === DOLLAR) {
      out.push(DOLLAR);
      i += 2;
    } else if (src[i + 1] === OPEN) {
      const close = src.indexOf(CLOSE, i + 2);
      if (close < 0) {
        out.push(DOLLAR, OPEN);
        i += 2;
      } else {
        const value = lookup(src.subarray(i + 2, close).toString('utf8'));
        out.push(...(value === undefined ? src.subarray(i, close + 1) : Buffer.from(value, 'utf8')));
        i = close + 1;
      }
    } else if (legacy) {
      out.push(DOLLAR, ...Buffer.from(String.fromCharCode(src[i + 1]), 'utf8'));
      i += 2;
    } else {
      out.push(DOLLAR);
      i += 1;
    }
  }
  return Buffer.from(out);
}

const noVariables: Lookup = () => undefined;
const everyVariable: Lookup = (name) => `<${name} was here>`;
const expandsTo = (input: string, lookup: Lookup, legacy = false) => kubeletExpand(input, lookup, legacy).toString('utf8');
/** The kubelet gives the container exactly the bytes of `s`, on every kubelet and whatever variables the container has. */
const reachesLiterally = (field: string, s: string) => [false, true].every((legacy) =>
  [noVariables, everyVariable].every((lookup) => kubeletExpand(field, lookup, legacy).equals(Buffer.from(s, 'utf8'))));

/** Strings that favour what the kubelet and the grammars treat specially. */
const nearMiss = (chars: string[]) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 40 });
const HOSTILE_CHARS = ['a', 'Z', '0', '9', '-', '.', '_', '/', ':', '*', ',', ' ', '\r', '\n', '\u0000', '$', '(', ')', '=', '!',
  '\u0430', '\u212a', 'é', '😀', '#', '@', '%', '?'];

describe('the kubelet expansion oracle', () => {
  test('behaves as the kubelet is documented to, so the escape is tested against the real rules', () => {
    // GIVEN a container with the variable HOME=/root
    const home: Lookup = (name) => (name === 'HOME' ? '/root' : undefined);
    // THEN references expand, unknown ones stay, '$$' is one '$', and lone '$' stays
    expect(expandsTo('$(HOME)/x', home)).toBe('/root/x');
    expect(expandsTo('$(NOPE)', home)).toBe('$(NOPE)');
    expect(expandsTo('$$(HOME)', home)).toBe('$(HOME)');
    expect(expandsTo('$$$(HOME)', home)).toBe('$/root');
    expect(expandsTo('$$$$(HOME)', home)).toBe('$$(HOME)');
    expect(expandsTo('cost: $5, $HOME, ${HOME}', home)).toBe('cost: $5, $HOME, ${HOME}');
    expect(expandsTo('trailing $', home)).toBe('trailing $');
    expect(expandsTo('open $( and $(HOME', home)).toBe('open $( and $(HOME');
    expect(expandsTo('$(a$(HOME))', home)).toBe('$(a$(HOME))');
  });

  test('breaks a multi-byte character after a lone $ on kubelets before the UTF-8 fix', () => {
    // GIVEN '$é' placed unescaped in an env value
    // WHEN an old kubelet expands it
    const bytes = kubeletExpand('$é', noVariables, true);
    // THEN the result is not the UTF-8 of '$é' (and not valid UTF-8 at all), while a fixed kubelet keeps it
    expect(bytes.equals(Buffer.from('$é', 'utf8'))).toBe(false);
    expect(Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)).toBe(false);
    expect(expandsTo('$é', noVariables)).toBe('$é');
  });
});

describe('escapeForKubelet', () => {
  test.each([
    ['an empty string', ''],
    ['a reference to a variable', '$(POD_NAMESPACE)'],
    ['a reference with a shell command in it', '$(id)'],
    ['an already escaped reference', '$$(HOME)'],
    ['an odd run of dollars before a reference', '$$$(HOME)'],
    ['a lone dollar at the end', 'price$'],
    ['a dollar before a letter', '$HOME'],
    ['shell parameter syntax', '${HOME:-x} $? $!'],
    ['an unterminated reference', 'x $(HOME'],
    ['nested references', '$(a$(b))'],
    ['a dollar before a multi-byte character', '$é and $😀'],
    ['CR/LF and NUL', 'a\r\nb\u0000$(c)'],
    ['only dollars', '$$$$$'],
  ])('makes %s reach the container literally', (_name, s) => {
    // GIVEN a hostile string, WHEN it is escaped and the kubelet expands it, THEN the container gets it as it was
    expect(reachesLiterally(escapeForKubelet(s), s)).toBe(true);
  });

  test('leaves a string without a dollar as it is', () => {
    expect(escapeForKubelet('http://api:8080/healthz?deep=1')).toBe('http://api:8080/healthz?deep=1');
  });

  test('doubles every dollar', () => {
    expect(escapeForKubelet('$(id) $x $')).toBe('$$(id) $$x $$');
  });

  test('makes every generated string reach the container literally, on every kubelet and with any variables defined', () => {
    fc.assert(fc.property(fc.oneof(nearMiss(['$', '(', ')', 'A', '_', 'é', '😀', '\n']), fc.string({ unit: 'binary' })), (s) => {
      expect(reachesLiterally(escapeForKubelet(s), s)).toBe(true);
    }), { numRuns: 2000 });
  });

  test('is needed: an unescaped reference is replaced by the kubelet', () => {
    expect(expandsTo('$(id)', everyVariable)).toBe('<id was here>');
  });

  test('is needed for a lone dollar too: escaping only "$(" would break "$é" on kubelets before the UTF-8 fix', () => {
    const onlyReferences = (s: string) => s.replace(/\$\(/g, '$$$$(');
    expect(reachesLiterally(onlyReferences('$é'), '$é')).toBe(false);
    expect(reachesLiterally(escapeForKubelet('$é'), '$é')).toBe(true);
  });

  test('keeps an intended reference working when it is concatenated after escaping', () => {
    // GIVEN a user path with a '$(' in it, and the library's own reference to the pod's namespace
    const field = `${escapeForKubelet('/a/$(b)')} $(POD_NAMESPACE)`;
    // THEN the kubelet expands only the library's reference
    expect(expandsTo(field, (n) => (n === 'POD_NAMESPACE' ? 'shop' : '<wrong>'))).toBe('/a/$(b) shop');
  });
});

describe('the error every checker throws', () => {
  test('names the path, what the value is, the value, the rule and the fix, in that order', () => {
    const e = invalid('shop/api', 'namespace', 'Shop', 'is not a DNS-1123 label', "give the namespace's name");
    expect(e.message).toBe('shop/api: namespace "Shop" is not a DNS-1123 label; give the namespace\'s name');
  });

  test.each([
    ['CR/LF', 'db\r\n', '"db\\r\\n"'],
    ['NUL', 'db\u0000', '"db\\u0000"'],
    ['DEL', 'db\u007f', '"db\\u007f"'],
    ['a Cyrillic look-alike letter', 'db-\u0430pi', '"db-\\u0430pi"'],
    ['the Kelvin sign', '\u212aind', '"\\u212aind"'],
    ['a line separator', 'a\u2028b', '"a\\u2028b"'],
    ['a lone surrogate', 'a\ud800b', '"a\\ud800b"'],
    ['a quote and a backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['nothing', '', '""'],
  ])('shows %s visibly', (_name, value, shown) => {
    expect(showValue(value)).toBe(shown);
  });

  test('cuts a long value and says how long it is', () => {
    expect(showValue('a'.repeat(300))).toBe(`"${'a'.repeat(100)}"... (300 characters)`);
  });

  test('shows numbers and other values as they are', () => {
    expect(showValue(NaN)).toBe('NaN');
    expect(showValue(1.5)).toBe('1.5');
    expect(showValue(undefined)).toBe('undefined');
    expect(showValue(['secrets', 'configmaps'])).toBe('["secrets","configmaps"]');
  });

  test('shows a value that JSON cannot write without failing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(showValue(cyclic)).toBe('[object Object]');
  });

  test('is the only error any checker throws, whatever string it is given', () => {
    const checkers = [checkDns1123Label, checkDns1123Subdomain, checkNamespace, checkObjectName, checkContainerName,
      checkLabelKey, checkLabelValue, checkConditionType, checkConditionStatus, checkApiGroup, checkApiVersion, checkKind,
      checkResource, checkHost, checkHttpUrl, checkHttpPath, checkImage, checkArbitraryText,
      (p: string, w: string, v: string) => checkKubernetesVersion(p, w, v, 27, 34)];
    fc.assert(fc.property(fc.oneof(nearMiss(HOSTILE_CHARS), fc.string({ unit: 'binary' })), (s) => {
      for (const check of checkers) {
        try {
          check('some/path', 'thing', s);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message.startsWith(`some/path: thing ${showValue(s)} `)).toBe(true);
          expect((e as Error).message).toMatch(/; [^;]+$/);
        }
      }
    }), { numRuns: 500 });
  });

  test('says when a value is not a string at all', () => {
    expect(() => checkNamespace('WaitFor.exists', 'namespace', undefined as any)).toThrow('WaitFor.exists: namespace undefined is not a string');
    expect(() => checkLabelValue('WaitFor.podsReady', 'label value', 5 as any)).toThrow('label value 5 is not a string');
  });
});

// ---------------------------------------------------------------------------
// Hostile inputs shared by the name checkers

const HOSTILE_NAMES: Array<[string, string]> = [
  ['empty', ''],
  ['CR/LF', 'db\r\nX: y'],
  ['a trailing newline', 'db\n'],
  ['NUL', 'db\u0000'],
  ['a space', 'd b'],
  ['a wildcard', '*'],
  ['a list', 'db,cache'],
  ['a kubelet reference', '$(id)'],
  ['a Cyrillic look-alike', 'db-\u0430pi'],
  ['a leading dash', '-db'],
  ['a trailing dash', 'db-'],
  ['upper case', 'Db'],
  ['an underscore', 'db_1'],
  ['a selector', 'db,tier!=x'],
];

describe('checkDns1123Label', () => {
  test.each(['db', 'a', '0', '123-abc', 'my--name', 'a'.repeat(63)])('accepts %j', (v) => {
    expect(() => checkDns1123Label('p', 'name', v)).not.toThrow();
  });

  test.each([...HOSTILE_NAMES, ['a dot', 'db.shop'], ['64 characters', 'a'.repeat(64)]])('fails when the label has %s', (_name, v) => {
    expect(() => checkDns1123Label('shop/api', 'name', v))
      .toThrow(`shop/api: name ${showValue(v)} is not a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters`);
  });

  test('fails when the label is too long, and says how long it is', () => {
    expect(() => checkDns1123Label('p', 'name', 'a'.repeat(64))).toThrow('starting and ending with a letter or digit (it has 64); give a name');
  });
});

describe('checkDns1123Subdomain and checkObjectName', () => {
  test.each(['db', 'db.shop', 'api-tls', '0.1.2', `${'a'.repeat(63)}.${'b'.repeat(63)}`, 'a'.repeat(253)])('accept %j', (v) => {
    expect(() => checkDns1123Subdomain('p', 'name', v)).not.toThrow();
    expect(() => checkObjectName('p', 'name', v)).not.toThrow();
  });

  test.each([...HOSTILE_NAMES, ['an empty part', 'db..shop'], ['a leading dot', '.db'], ['a trailing dot', 'db.'],
    ['a dash before a dot', 'db-.shop'], ['254 characters', 'a'.repeat(254)], ['a slash', 'secrets/x']])('fail when the name has %s', (_name, v) => {
    expect(() => checkObjectName('WaitFor.exists', 'name', v))
      .toThrow(`WaitFor.exists: name ${showValue(v)} is not a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters`);
  });

  test('suggests the object\'s name as the fix', () => {
    expect(() => checkObjectName('WaitFor.exists', 'name', 'A')).toThrow("; give the object's metadata.name, such as 'api-tls'");
  });
});

describe('checkNamespace and checkContainerName', () => {
  test.each(['shop', 'kube-system', '123', 'a'.repeat(63)])('accept %j', (v) => {
    expect(() => checkNamespace('p', 'namespace', v)).not.toThrow();
    expect(() => checkContainerName('p', 'container', v)).not.toThrow();
  });

  test.each([...HOSTILE_NAMES, ['a dot', 'shop.prod'], ['64 characters', 'n'.repeat(64)]])('fail when the namespace has %s', (_n, v) => {
    expect(() => checkNamespace('WaitFor.secret', 'namespace', v))
      .toThrow(`WaitFor.secret: namespace ${showValue(v)} is not a DNS-1123 label`);
    expect(() => checkContainerName('shop/api', 'container', v)).toThrow(`shop/api: container ${showValue(v)} is not a DNS-1123 label`);
  });

  test('fails when the namespace is "$(id)", and suggests a namespace', () => {
    expect(() => checkNamespace('WaitFor.secret', 'namespace', '$(id)'))
      .toThrow('WaitFor.secret: namespace "$(id)" is not a DNS-1123 label: lower-case letters, digits and \'-\', at most 63 characters, '
        + "starting and ending with a letter or digit; give the namespace's name, such as 'shop'");
  });
});

describe('checkLabelKey', () => {
  test.each(['app', 'App', 'app.kubernetes.io/name', 'example.com/My_Key.v2', '1', `${'p'.repeat(253)}/${'n'.repeat(63)}`])('accepts %j', (v) => {
    expect(() => checkLabelKey('p', 'label key', v)).not.toThrow();
  });

  test.each<[string, string]>([
    ['is empty', ''],
    ['has an empty prefix', '/app'],
    ['has an empty name', 'example.com/'],
    ['has two slashes', 'a/b/c'],
    ['has an upper-case prefix', 'Example.com/app'],
    ['has a prefix of 254 characters', `${'p'.repeat(254)}/app`],
    ['has a name of 64 characters', 'n'.repeat(64)],
    ['has a leading dash', '-app'],
    ['has a trailing dot', 'app.'],
    ['is a selector', 'db,tier!=x'],
    ['has a space', 'my app'],
    ['has an equals sign', 'app=db'],
    ['has CR/LF', 'app\r\n'],
    ['has NUL', 'app\u0000'],
    ['is a wildcard', '*'],
    ['is a kubelet reference', '$(id)'],
    ['has a Cyrillic look-alike', '\u0430pp'],
  ])('fails when the key %s', (_n, v) => {
    expect(() => checkLabelKey('WaitFor.podsReady', 'label key', v))
      .toThrow(`WaitFor.podsReady: label key ${showValue(v)} is not a label key: an optional prefix (a DNS-1123 subdomain of at most 253 characters) and '/'`);
  });
});

describe('checkLabelValue', () => {
  test.each(['', 'db', 'DB', 'my_value', '12345', 'v1.2-rc_3', 'a'.repeat(63)])('accepts %j', (v) => {
    expect(() => checkLabelValue('p', 'label value', v)).not.toThrow();
  });

  test.each<[string, string]>([
    ['is a selector that would add a requirement', 'db,tier!=x'],
    ['has an equals sign', 'db=x'],
    ['has parentheses', 'in (a,b)'],
    ['has a slash', 'a/b'],
    ['has 64 characters', 'v'.repeat(64)],
    ['has a leading dash', '-db'],
    ['has a trailing underscore', 'db_'],
    ['has a space', 'd b'],
    ['has CR/LF', 'db\r\n'],
    ['has NUL', 'db\u0000'],
    ['is a wildcard', '*'],
    ['is a kubelet reference', '$(id)'],
    ['has a Cyrillic look-alike', 'd\u0431'],
  ])('fails when the value %s', (_n, v) => {
    expect(() => checkLabelValue('WaitFor.podsReady', 'label value', v))
      .toThrow(`WaitFor.podsReady: label value ${showValue(v)} is not a label value: empty, or at most 63 characters of letters, digits, '-', '_' and '.'`);
  });

  test('accepts only values that cannot change a selector they are put in', () => {
    fc.assert(fc.property(nearMiss(HOSTILE_CHARS), (v) => {
      let accepted = true;
      try {
        checkLabelValue('p', 'label value', v);
      } catch {
        accepted = false;
      }
      if (accepted) expect(v).toMatch(/^[A-Za-z0-9._-]{0,63}$/);
    }), { numRuns: 2000 });
  });
});

describe('checkLabelSelector', () => {
  test('accepts labels whose keys and values follow their grammars', () => {
    expect(() => checkLabelSelector('WaitFor.podsReady', 'labels', { 'app': 'db', 'app.kubernetes.io/part-of': 'shop', 'tier': '' })).not.toThrow();
  });

  test('fails when a value is "db,tier!=x", naming the key it belongs to', () => {
    expect(() => checkLabelSelector('WaitFor.podsReady', 'labels', { app: 'db,tier!=x' }))
      .toThrow('WaitFor.podsReady: labels["app"] "db,tier!=x" is not a label value');
  });

  test('fails when a key is not a label key', () => {
    expect(() => checkLabelSelector('WaitFor.podsReady', 'labels', { 'app in (a)': 'db' }))
      .toThrow('WaitFor.podsReady: label key "app in (a)" is not a label key');
  });

  test('fails when the labels are not a map', () => {
    expect(() => checkLabelSelector('WaitFor.podsReady', 'labels', 'app=db' as any))
      .toThrow('WaitFor.podsReady: labels "app=db" is not a map of label keys to values');
  });

  test('fails when there are no labels, which would select every pod', () => {
    expect(() => checkLabelSelector('WaitFor.podsReady', 'labels', {})).toThrow('WaitFor.podsReady: labels {} is empty, so it would select every pod');
  });
});

describe('checkConditionType and checkConditionStatus', () => {
  test.each(['Ready', 'Available', 'cert-manager.io/Issuing', 'Synced_2', 'a.b'])('accepts the condition type %j', (v) => {
    expect(() => checkConditionType('p', 'condition', v)).not.toThrow();
  });

  test.each<[string, string]>([
    ['is empty', ''],
    ['would close the JSONPath filter', 'Ready")].status}{.metadata.name'],
    ['has a quote', 'Re"ady'],
    ['has a space', 'Is Ready'],
    ['has CR/LF', 'Ready\r\n'],
    ['is a wildcard', '*'],
    ['is a list', 'Ready,Synced'],
    ['is a kubelet reference', '$(id)'],
    ['has a leading dash', '-Ready'],
    ['has a look-alike', 'R\u0435ady'],
    ['has a name of 64 characters', 'R'.repeat(64)],
  ])('fails when the condition type %s', (_n, v) => {
    expect(() => checkConditionType('WaitFor.condition', 'condition', v))
      .toThrow(`WaitFor.condition: condition ${showValue(v)} is not a condition type (Kubernetes validates them as qualified names)`);
  });

  test.each(['True', 'False', 'Unknown'])('accepts the condition status %j', (v) => {
    expect(() => checkConditionStatus('p', 'status', v)).not.toThrow();
  });

  test.each(['true', 'Yes', '', 'True\n', '*'])('fails when the condition status is %j', (v) => {
    expect(() => checkConditionStatus('WaitFor.condition', 'status', v))
      .toThrow(`WaitFor.condition: status ${showValue(v)} is not a condition status: 'True', 'False' or 'Unknown'`);
  });
});

describe('checkApiGroup and checkApiVersion', () => {
  test.each(['', 'apps', 'batch', 'cert-manager.io', 'rbac.authorization.k8s.io'])('accept the API group %j', (v) => {
    expect(() => checkApiGroup('p', 'API group', v)).not.toThrow();
  });

  test.each(['*', 'apps,batch', 'Apps', 'cert-manager.io/v1', 'a b', 'x\r\n', '$(id)', '.io', 'g\u0430.io'])('fails when the API group is %j', (v) => {
    expect(() => checkApiGroup('WaitFor.exists', 'API group', v))
      .toThrow(`WaitFor.exists: API group ${showValue(v)} is not an API group: '' for the core group, or a DNS-1123 subdomain`);
  });

  test.each<[string, string, string]>([
    ['v1', '', 'v1'],
    ['apps/v1', 'apps', 'v1'],
    ['cert-manager.io/v1', 'cert-manager.io', 'v1'],
    ['networking.k8s.io/v1beta1', 'networking.k8s.io', 'v1beta1'],
  ])('splits the apiVersion %j into group and version', (v, group, version) => {
    expect(checkApiVersion('p', 'apiVersion', v)).toStrictEqual({ group, version });
  });

  test.each<[string, string]>([
    ['has a wildcard group', '*/v1'],
    ['is a wildcard', '*'],
    ['has a wildcard version', 'apps/*'],
    ['has an empty group', '/v1'],
    ['has an empty version', 'apps/'],
    ['has three parts', 'a/b/v1'],
    ['is a list', 'v1,apps/v1'],
    ['has an upper-case group', 'Apps/v1'],
    ['has an upper-case version', 'V1'],
    ['has CR/LF', 'v1\r\n'],
    ['is a kubelet reference', '$(id)/v1'],
    ['is empty', ''],
  ])('fails when the apiVersion %s', (_n, v) => {
    expect(() => checkApiVersion('WaitFor.exists', 'apiVersion', v))
      .toThrow(`WaitFor.exists: apiVersion ${showValue(v)} is not an apiVersion: 'VERSION' for the core group or 'GROUP/VERSION', nothing else`);
  });

  test('fails when the apiVersion names the core group, and says how to write it', () => {
    expect(() => checkApiVersion('WaitFor.exists', 'apiVersion', 'core/v1'))
      .toThrow("WaitFor.exists: apiVersion \"core/v1\" names the core group 'core', which apiVersion never writes (core objects are 'v1'); write 'v1'");
  });
});

describe('checkKind and checkResource', () => {
  test.each(['Secret', 'ConfigMap', 'CSIDriver', 'Certificate', 'My-Kind2', 'K'])('accepts the kind %j', (v) => {
    expect(() => checkKind('p', 'kind', v)).not.toThrow();
  });

  test.each<[string, string]>([
    ['is empty', ''],
    ['is a wildcard', '*'],
    ['is a list', 'Secret,ConfigMap'],
    ['starts with a digit', '1Kind'],
    ['has a dot', 'Certificate.cert-manager.io'],
    ['has a slash', 'pods/status'],
    ['has the Kelvin sign, which lower-cases to k', '\u212aind'],
    ['has a Cyrillic look-alike', 'S\u0435cret'],
    ['has CR/LF', 'Secret\r\n'],
    ['has 64 characters', 'K'.repeat(64)],
  ])('fails when the kind %s', (_n, v) => {
    expect(() => checkKind('WaitFor.condition', 'kind', v))
      .toThrow(`WaitFor.condition: kind ${showValue(v)} is not a kind: letters, digits and '-', at most 63 characters`);
  });

  test.each(['secrets', 'configmaps', 'certificates', 'horizontalpodautoscalers', 'x-things'])('accepts the resource %j', (v) => {
    expect(() => checkResource('p', 'resource', v)).not.toThrow();
  });

  test.each<[string, string]>([
    ['is a wildcard', '*'],
    ['is a list', 'secrets,configmaps'],
    ['is a subresource', 'pods/status'],
    ['is qualified by its group', 'certificates.cert-manager.io'],
    ['is upper case', 'Secrets'],
    ['is empty', ''],
    ['has a space', 'secrets configmaps'],
    ['is a kubelet reference', '$(id)'],
    ['has CR/LF', 'secrets\r\n'],
  ])('fails when the resource %s', (_n, v) => {
    expect(() => checkResource('WaitFor.exists', 'resource', v))
      .toThrow(`WaitFor.exists: resource ${showValue(v)} is not a resource: the lower-case plural as RBAC names it, one DNS-1035 label`);
  });
});

describe('checkPort', () => {
  test.each([1, 80, 5432, 65535])('accepts the port %j', (v) => {
    expect(() => checkPort('p', 'port', v)).not.toThrow();
  });

  test.each([0, -1, 65536, 1.5, NaN, Infinity])('fails when the port is %j', (v) => {
    expect(() => checkPort('WaitFor.tcp', 'port', v))
      .toThrow(`WaitFor.tcp: port ${String(v)} is not a TCP port: a whole number from 1 to 65535; give the port the server listens on`);
  });

  test('fails when the port is a string', () => {
    expect(() => checkPort('WaitFor.tcp', 'port', '5432' as any)).toThrow('WaitFor.tcp: port "5432" is not a TCP port');
  });
});

describe('checkWholeSeconds', () => {
  test('gives the seconds of a whole duration of at least the minimum', () => {
    expect(checkWholeSeconds('p', 'timeout', Duration.seconds(1))).toBe(1);
    expect(checkWholeSeconds('p', 'timeout', Duration.minutes(5))).toBe(300);
    expect(checkWholeSeconds('p', 'grace period', Duration.seconds(0), 0)).toBe(0);
  });

  test.each<[string, Duration, string]>([
    ['is zero', Duration.seconds(0), '"0 seconds"'],
    ['has a fraction of a second', Duration.millis(1500), '"1 second 500 millis"'],
    ['is less than a second', Duration.millis(500), '"500 millis"'],
  ])('fails when the duration %s, showing it as cdk8s writes it', (_n, d, shown) => {
    expect(() => checkWholeSeconds('shop/api', 'timeout', d))
      .toThrow(`shop/api: timeout ${shown} is not a whole number of seconds of at least 1; give a whole number of seconds, such as Duration.seconds(30)`);
  });

  test('fails when the duration is below a higher minimum', () => {
    expect(() => checkWholeSeconds('p', 'period', Duration.seconds(1), 2)).toThrow('p: period "1 second" is not a whole number of seconds of at least 2');
  });

  test('fails when the value is not a Duration', () => {
    expect(() => checkWholeSeconds('shop/api', 'drain', 30 as any)).toThrow('shop/api: drain 30 is not a Duration; give a whole number of seconds');
  });
});

describe('checkWholeNumber and checkOneOf', () => {
  test('accept a whole number of at least the minimum, and one of the choices', () => {
    expect(() => checkWholeNumber('p', 'minReady', 1, 1, 'fix')).not.toThrow();
    expect(() => checkOneOf('p', 'onTimeout', 'fail', ['fail', 'proceed'], 'fix')).not.toThrow();
  });

  test.each([0, 1.5, NaN, '2' as any])('fails when the number is %j', (v) => {
    expect(() => checkWholeNumber('WaitFor.podsReady', 'minReady', v, 1, 'give how many'))
      .toThrow(`WaitFor.podsReady: minReady ${showValue(v)} is not a whole number of at least 1; give how many`);
  });

  test('fails when the value is none of the choices, and lists them', () => {
    expect(() => checkOneOf('shop/api', 'onTimeout', 'Proceed', ['fail', 'proceed'], 'give TimeoutPolicy.PROCEED'))
      .toThrow('shop/api: onTimeout "Proceed" is not one of "fail", "proceed"; give TimeoutPolicy.PROCEED');
  });
});

describe('checkKubernetesVersion', () => {
  test.each<[string, number]>([['1.27', 27], ['1.30', 30], ['1.34', 34]])('gives the minor of %j', (v, minor) => {
    expect(checkKubernetesVersion('p', 'kubernetesVersion', v, 27, 34)).toBe(minor);
  });

  test.each(['1.26', '1.35', '1.030', '1.30.2', 'v1.30', '1.30 ', '2.0', '', '1.', '1.3e1'])('fails when the version is %j', (v) => {
    expect(() => checkKubernetesVersion('test/a', 'kubernetesVersion', v, 27, 34))
      .toThrow(`test/a: kubernetesVersion ${showValue(v)} is not a version we write for: major.minor from 1.27 to 1.34; give '1.27' to '1.34'`);
  });
});

describe('checkHost', () => {
  test.each(['db', 'db.shop', 'db.shop.svc.cluster.local', 'db.shop.svc.cluster.local.', 'db.123', '10.0.0.7', '0.0.0.0', '255.255.255.255',
    'x1', '1e100'])('accepts %j', (v) => {
    expect(() => checkHost('p', 'host', v)).not.toThrow();
  });

  test.each<[string, string]>([
    ['is empty', ''],
    ['has CR/LF', 'db\r\n'],
    ['has NUL', 'db\u0000'],
    ['has a space', 'db shop'],
    ['is a wildcard', '*'],
    ['is a list', 'db,cache'],
    ['is a kubelet reference', '$(id)'],
    ['is upper case', 'DB'],
    ['has an underscore', 'db_host'],
    ['has a Cyrillic look-alike', 'db.sh\u043ep'],
    ['has a leading dash', '-db'],
    ['has an empty part', 'db..shop'],
    ['has a part of 64 characters', `${'a'.repeat(64)}.shop`],
    ['has 254 characters', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`],
    ['has a port', 'db:5432'],
  ])('fails when the host %s', (_n, v) => {
    expect(() => checkHost('WaitFor.tcp', 'host', v)).toThrow(`WaitFor.tcp: host ${showValue(v)} is `);
    expect(() => checkHost('WaitFor.tcp', 'host', v)).toThrow("; give the Service's DNS name, such as 'db' or 'db.shop.svc'");
  });

  test.each(['256.1.1.1', '10.0.0', '10.1', '127.1', '2130706433', '0x7f000001', '0x7f.0.0.1', '010.0.0.1', '1.2.3.4.5', '10.0.0.1.'])(
    'fails when the host %j is all numbers but not a dotted-quad IPv4 address', (v) => {
      expect(() => checkHost('WaitFor.dns', 'host', v))
        .toThrow(`WaitFor.dns: host ${showValue(v)} is all numbers, which resolvers read as an IPv4 address, but not one written as four decimal numbers 0-255`);
    });

  test.each(['::1', '[::1]', 'fe80::1', '2001:db8::7'])('fails when the host is the IPv6 address %j', (v) => {
    expect(() => checkHost('WaitFor.tcp', 'host', v)).toThrow(`WaitFor.tcp: host ${showValue(v)} is an IPv6 address, which the waiters do not take`);
  });
});

describe('checkHttpUrl', () => {
  test.each<[string, string, number, string]>([
    ['http://api:8080/healthz', 'api', 8080, '/healthz'],
    ['http://api', 'api', 80, '/'],
    ['http://api/', 'api', 80, '/'],
    ['http://api?ready=1', 'api', 80, '/?ready=1'],
    ['http://api.shop.svc:1/a/b?x=1&y=/z?', 'api.shop.svc', 1, '/a/b?x=1&y=/z?'],
    ['http://10.0.0.7:65535/%2Fx%20y', '10.0.0.7', 65535, '/%2Fx%20y'],
    ["http://api/!$&'()*+,;=:@-._~", 'api', 80, "/!$&'()*+,;=:@-._~"],
    ['http://api/$(id)', 'api', 80, '/$(id)'],
  ])('splits %j into host, port and request target', (url, host, port, target) => {
    expect(checkHttpUrl('WaitFor.http', 'url', url)).toStrictEqual({ host, port, target });
  });

  test.each<[string, string, string]>([
    ['a space in the path', 'http://h/a b', 'has the character " ", whitespace or a control character, which would split or end the HTTP request line'],
    ['CR/LF in the path', 'http://h/\r\nX: y', 'has the character "\\r", whitespace or a control character'],
    ['CR/LF in the host', 'http://h\r\nX: y/', 'has the character "\\r"'],
    ['NUL', 'http://h/\u0000', 'has the character "\\u0000"'],
    ['a tab', 'http://h/\t', 'has the character "\\t"'],
    ['a non-breaking space', 'http://h/a\u00a0b', 'has the character "\\u00a0"'],
    ['port 0', 'http://h:0/', 'has the port "0", which is not a TCP port: a whole number from 1 to 65535 without leading zeros'],
    ['port 65536', 'http://h:65536/', 'has the port "65536", which is not a TCP port'],
    ['an empty port', 'http://h:/', 'has the port "", which is not a TCP port'],
    ['a port with a leading zero', 'http://h:080/', 'has the port "080", which is not a TCP port'],
    ['a port that is not a number', 'http://h:http/', 'has the port "http", which is not a TCP port'],
    ['user information', 'http://user@h/', "has user information ('user@'), which the check does not send"],
    ['user information with a password', 'http://user:pw@h/', "has user information ('user@')"],
    ['a fragment', 'http://h/#frag', "has a fragment ('#...'), which is never sent to a server"],
    ['an upper-case host', 'http://API/', 'has the host "API", which is not a host: a DNS name'],
    ['an empty host', 'http:///healthz', 'has the host "", which is not a host'],
    ['a wildcard host', 'http://*/', 'has the host "*", which is not a host'],
    ['a kubelet reference as host', 'http://$(id)/', 'has the host "$(id)", which is not a host'],
    ['a look-alike in the host', 'http://\u0430pi/', 'has the host "\\u0430pi", which is not a host'],
    ['a numeric host that is not an address', 'http://10.1/', 'has the host "10.1", which is all numbers'],
    ['an IPv6 host', 'http://[::1]:8080/', 'has the host "[::1]:8080", which is an IPv6 address'],
    ['a quote in the path', 'http://h/a"b', 'has the character "\\"" in its path, which RFC 3986 does not allow there'],
    ['a backslash in the path', 'http://h/a\\b', 'has the character "\\\\" in its path'],
    ['a brace in the query', 'http://h/?a={b}', 'has the character "{" in its query'],
    ['a non-ASCII letter in the path', 'http://h/caf\u00e9', 'has the character "\\u00e9" in its path'],
    ['a "%" without hex digits', 'http://h/100%', "has a '%' not followed by two hex digits (\"%\"); write a '%' itself as %25"],
    ['a "%" with one hex digit', 'http://h/%4g', "has a '%' not followed by two hex digits (\"%4g\")"],
    ['no scheme', 'api:8080/healthz', "is not an http URL: it must start with 'http://' in lower case"],
    ['an upper-case scheme', 'HTTP://api/', "is not an http URL: it must start with 'http://' in lower case"],
    ['another scheme', 'ftp://api/', 'is not an http URL'],
    ['one slash', 'http:/api', 'is not an http URL'],
  ])('fails when the URL has %s', (_n, url, rule) => {
    expect(() => checkHttpUrl('WaitFor.http', 'url', url)).toThrow(`WaitFor.http: url ${showValue(url)} ${rule}`);
  });

  test('fails when the URL is https, and says to wait for port 443 with WaitFor.tcp instead', () => {
    expect(() => checkHttpUrl('WaitFor.http', 'url', 'https://api/healthz'))
      .toThrow('WaitFor.http: url "https://api/healthz" is https, which the check cannot speak (it writes plain HTTP/1.0 over nc); '
        + 'use WaitFor.tcp(host, 443) to wait for the port');
  });

  const allowedInPath = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
  const allowedInQuery = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

  test('accepts a generated path and query exactly when RFC 3986 allows them, and gives them back as the request target', () => {
    const chars = ['a', 'Z', '0', '/', '?', '%', '2', 'f', 'g', '#', ' ', '\r', '\n', '"', '<', '\\', '^', '`', '{', '|', '}', '[', ']', '$', '(', ')',
      '@', ':', '~', '\u00e9', '\u0000'];
    fc.assert(fc.property(nearMiss(chars), (tail) => {
      const url = `http://api:8080/${tail}`;
      const q = tail.indexOf('?');
      const pathPart = `/${q < 0 ? tail : tail.slice(0, q)}`;
      const queryPart = q < 0 ? '' : tail.slice(q + 1);
      const expected = allowedInPath.test(pathPart) && allowedInQuery.test(queryPart);
      let parts;
      try {
        parts = checkHttpUrl('WaitFor.http', 'url', url);
      } catch {
        parts = undefined;
      }
      expect(parts !== undefined).toBe(expected);
      if (parts) expect(parts).toStrictEqual({ host: 'api', port: 8080, target: `/${tail}` });
    }), { numRuns: 3000 });
  });

  test('never accepts a URL with whitespace, a control character, a fragment or non-ASCII text', () => {
    fc.assert(fc.property(fc.oneof(nearMiss(HOSTILE_CHARS), fc.string({ unit: 'binary' })), (tail) => {
      const url = `http://${tail}`;
      let accepted = true;
      try {
        checkHttpUrl('WaitFor.http', 'url', url);
      } catch {
        accepted = false;
      }
      if (accepted) expect(url).toMatch(/^[\x21-\x7e]+$/);
      if (accepted) expect(url).not.toContain('#');
    }), { numRuns: 3000 });
  });
});

describe('checkHttpStatusCodes', () => {
  test('accepts codes from 100 to 599', () => {
    expect(() => checkHttpStatusCodes('p', 'statusCodes', [100, 200, 204, 599])).not.toThrow();
  });

  test('fails when there are no codes, since no answer would count', () => {
    expect(() => checkHttpStatusCodes('WaitFor.http', 'statusCodes', []))
      .toThrow('WaitFor.http: statusCodes [] is empty, so no answer would count as ready; give the codes that count as ready, such as [200]');
  });

  test.each([99, 600, 200.5, NaN, '200' as any])('fails when a code is %j, naming its place', (v) => {
    expect(() => checkHttpStatusCodes('WaitFor.http', 'statusCodes', [200, v]))
      .toThrow(`WaitFor.http: statusCodes[1] ${showValue(v)} is not an HTTP status code: a whole number from 100 to 599`);
  });
});

describe('checkHttpPath', () => {
  test.each(['/', '/warm', '/a/b-c_d.e~f', '/warm?level=1&x=%20', "/!$&'()*+,;=:@"])('accepts %j', (v) => {
    expect(() => checkHttpPath('p', 'path', v)).not.toThrow();
  });

  test('fails when the path does not start with a slash', () => {
    expect(() => checkHttpPath('LifecycleAction.httpGet', 'path', 'warm'))
      .toThrow("LifecycleAction.httpGet: path \"warm\" does not start with '/'; give a path such as '/warm'");
  });

  test.each<[string, string]>([
    ['has a space', '/a b'],
    ['has CR/LF', '/a\r\nHost: x'],
    ['has a fragment', '/a#b'],
    ['has non-ASCII text', '/caf\u00e9'],
    ['has a bad percent-escape', '/a%2'],
  ])('fails when the path %s', (_n, v) => {
    expect(() => checkHttpPath('LifecycleAction.httpGet', 'path', v)).toThrow(`LifecycleAction.httpGet: path ${showValue(v)} has `);
  });
});

describe('checkImage', () => {
  test.each([
    'busybox',
    'busybox:1.36.1',
    'library/busybox:latest',
    'docker.io/library/busybox:1.36',
    'registry.example.com:5000/team/app:v1.2.3',
    'localhost:5000/app',
    'ghcr.io/org/my_app__x--y.z:TAG_1',
    `busybox@sha256:${'a'.repeat(64)}`,
    `busybox:1.36@sha256:${'0123456789abcdef'.repeat(4)}`,
    `registry.example:5000/team/kubectl:1.34.2@sha256:${'a'.repeat(64)}`,
    'registry.example/kubectl:1.30',
    '[::1]:5000/app',
    'MyRegistry.local/app',
  ])('accepts %j', (v) => {
    expect(() => checkImage('p', 'image', v)).not.toThrow();
  });

  test.each<[string, string]>([
    ['is empty', ''],
    ['has a space', 'busybox 1.36'],
    ['has a trailing newline', 'busybox\n'],
    ['has CR/LF', 'busybox\r\n:1'],
    ['has NUL', 'busybox\u0000'],
    ['has an upper-case path', 'library/BusyBox'],
    ['is upper case', 'Busybox'],
    ['has an empty tag', 'busybox:'],
    ['has a tag starting with a dot', 'busybox:.1'],
    ['has a tag of 129 characters', `busybox:${'t'.repeat(129)}`],
    ['has a short digest', 'busybox@sha256:abc'],
    ['has a digest without algorithm', `busybox@${'a'.repeat(64)}`],
    ['has a kubelet reference', 'busybox:$(TAG)'],
    ['has a wildcard', 'busybox:*'],
    ['is a list', 'busybox,alpine'],
    ['has a look-alike', 'b\u0443sybox'],
    ['has a leading slash', '/busybox'],
    ['has a double slash', 'a//b'],
    ['has a separator at the end of a part', 'busy-/box'],
    ['has a name of 256 characters', `${'a'.repeat(256)}:1`],
  ])('fails when the image %s', (_n, v) => {
    expect(() => checkImage('shop/api', 'image', v))
      .toThrow(`shop/api: image ${showValue(v)} is not an image reference: [REGISTRY[:PORT]/]PATH[:TAG][@DIGEST]`);
  });

  test('accepts the default images, for every target version', () => {
    for (const image of [OrderedApp.DEFAULT_WAITER_IMAGE, ...Object.values(KUBECTL_IMAGES)]) {
      expect(checkImage('p', 'image', image)).toBe(image);
    }
  });

  test('answers quickly for a long image that almost matches', () => {
    const start = Date.now();
    expect(() => checkImage('p', 'image', `${'a-'.repeat(500)}!`)).toThrow('is not an image reference');
    expect(() => checkImage('p', 'image', `${'a.'.repeat(120)}a/${'b_'.repeat(60)}!`)).toThrow('is not an image reference');
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe('checkArbitraryText', () => {
  test.each(['', 'pg_isready -h db', '$(id) `id` ; rm -rf /', 'caf\u00e9 \ud83d\ude00', 'a\r\nb\tc'])('accepts %j', (v) => {
    expect(() => checkArbitraryText('p', 'argument', v)).not.toThrow();
  });

  test.each<[string, string]>([
    ['has a NUL', 'a\u0000b'],
    ['has a lone high surrogate', 'a\ud83d'],
    ['has a lone low surrogate', '\ude00a'],
    ['has surrogates in the wrong order', '\ude00\ud83d'],
  ])('fails when the text %s', (_n, v) => {
    expect(() => checkArbitraryText('WaitFor.command', 'argument', v)).toThrow(`WaitFor.command: argument ${showValue(v)} has a `);
  });

  test('accepts text exactly when it has no NUL and survives the trip through UTF-8', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '\u0000', '\ud83d', '\ude00', '\u00e9', '$') }), (v) => {
      let accepted = true;
      try {
        checkArbitraryText('p', 'argument', v);
      } catch {
        accepted = false;
      }
      expect(accepted).toBe(!v.includes('\u0000') && Buffer.from(v, 'utf8').toString('utf8') === v);
    }), { numRuns: 2000 });
  });
});

describe('checkCommand', () => {
  test('accepts any text a process can receive, dollars and shell syntax included', () => {
    expect(() => checkCommand('p', 'command', ['sh', '-c', 'test "$(HOME)" = $x; echo caf\u00e9'], 'fix')).not.toThrow();
  });

  test('fails when the command is empty', () => {
    expect(() => checkCommand('WaitFor.command', 'command', [], "give the probe, such as ['pg_isready']"))
      .toThrow("WaitFor.command: command [] is empty; give the probe, such as ['pg_isready']");
  });

  test('fails when the program is the empty string', () => {
    expect(() => checkCommand('WaitFor.command', 'command', ['', 'x'], 'give the probe'))
      .toThrow('WaitFor.command: command[0] "" is empty, so there is no program to run; give the probe');
  });

  test('fails when an argument has a NUL, naming its place', () => {
    expect(() => checkCommand('WaitFor.command', 'command', ['pg_isready', 'a\u0000b'], 'fix'))
      .toThrow('WaitFor.command: command[1] "a\\u0000b" has a NUL character, which no argument or environment variable can carry');
  });

  test('fails when an argument is not a string', () => {
    expect(() => checkCommand('WaitFor.command', 'command', ['sleep', 5 as any], 'fix'))
      .toThrow('WaitFor.command: command[1] 5 is not a string; write every entry as a string');
  });
});

describe('checkRbacRule', () => {
  const rule = (over: Record<string, unknown> = {}) => ({ apiGroups: ['batch'], resources: ['jobs'], resourceNames: ['migrate'], verbs: ['list', 'watch'], ...over });

  test('accepts the rules the library generates', () => {
    expect(() => checkRbacRule('shop/api/WaiterRole', rule())).not.toThrow();
    expect(() => checkRbacRule('shop/api/WaiterRole', rule({ apiGroups: [''], resources: ['pods'], resourceNames: undefined }))).not.toThrow();
    expect(() => checkRbacRule('p', rule({ resourceNames: ['a', 'b.c'], verbs: ['get', 'patch'] }))).not.toThrow();
    expect(() => checkRbacRules('p', [rule(), rule({ resources: ['cronjobs'] })])).not.toThrow();
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a wildcard group', { apiGroups: ['*'] }, 'RBAC rule apiGroups entry "*" is a wildcard (\'*\')'],
    ['a wildcard resource', { resources: ['*'] }, 'RBAC rule resources entry "*" is a wildcard'],
    ['a wildcard verb', { verbs: ['*'] }, 'RBAC rule verbs entry "*" is a wildcard'],
    ['a wildcard name', { resourceNames: ['*'] }, 'RBAC rule resourceNames entry "*" is a wildcard'],
    ['a wildcard inside a resource', { resources: ['jobs/*'] }, 'RBAC rule resources entry "jobs/*" is a wildcard'],
    ['a list in one resource', { resources: ['secrets,configmaps'] }, 'RBAC rule resources entry "secrets,configmaps" holds a list (a comma or whitespace) in one field'],
    ['a list in one group', { apiGroups: ['apps batch'] }, 'RBAC rule apiGroups entry "apps batch" holds a list'],
    ['two groups', { apiGroups: ['apps', 'batch'] }, 'RBAC rule apiGroups ["apps","batch"] has more than one group'],
    ['two resources', { resources: ['jobs', 'cronjobs'] }, 'RBAC rule resources ["jobs","cronjobs"] has more than one resource'],
    ['no groups', { apiGroups: [] }, 'RBAC rule apiGroups [] is empty'],
    ['no resources', { resources: [] }, 'RBAC rule resources [] is empty'],
    ['no verbs', { verbs: [] }, 'RBAC rule verbs [] is empty'],
    ['an empty list of names', { resourceNames: [] }, 'RBAC rule resourceNames [] is empty, which RBAC reads as every name'],
    ['a verb it must not grant', { verbs: ['list', 'delete'] }, 'RBAC rule verb "delete" is not one a generated rule may hold (get, list, watch, patch)'],
    ['a verb twice', { verbs: ['list', 'list'] }, 'RBAC rule verbs ["list","list"] names an entry twice'],
    ['a resource path deeper than a subresource', { resources: ['pods/exec/x'] }, 'RBAC rule resource "pods/exec/x" is not a resource'],
    ['an upper-case resource', { resources: ['Jobs'] }, 'RBAC rule resource "Jobs" is not a resource'],
    ['a group with a version', { apiGroups: ['batch/v1'] }, 'RBAC rule API group "batch/v1" is not an API group'],
    ['a name that is a kubelet reference', { resourceNames: ['$(id)'] }, 'RBAC rule resource name "$(id)" is not a DNS-1123 subdomain'],
    ['URLs', { nonResourceURLs: ['/healthz'] }, 'RBAC rule field "nonResourceURLs" ["/healthz"] is not one a generated rule may have'],
    ['groups that are not a list', { apiGroups: 'batch' }, 'RBAC rule apiGroups "batch" is not a list'],
    ['a resource that is not a string', { resources: [7] }, 'RBAC rule resources entry 7 is not a string'],
  ])('fails when a rule has %s', (_n, over, message) => {
    expect(() => checkRbacRule('shop/api/WaiterRole', rule(over))).toThrow(`shop/api/WaiterRole: ${message}`);
    expect(() => checkRbacRule('shop/api/WaiterRole', rule(over))).toThrow('; a generated rule names one API group, one resource');
  });

  test('fails when a rule is not an object', () => {
    expect(() => checkRbacRule('p', 'jobs')).toThrow('p: RBAC rule "jobs" is not an object');
  });

  test('takes a narrower list of verbs', () => {
    expect(() => checkRbacRule('p', rule({ verbs: ['patch'] }), ['list', 'watch'])).toThrow('RBAC rule verb "patch" is not one a generated rule may hold (list, watch)');
  });
});
