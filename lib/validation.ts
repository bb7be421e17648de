/**
 * Every string a user gives, checked at synth against the grammar that
 * Kubernetes (or the protocol) applies to it, and the one escape that lets a
 * legitimately arbitrary string reach a container literally.
 *
 * Each checker takes where the value came from (`path`: the construct path,
 * or the factory such as `WaitFor.http`), what the value is (`what`: `host`,
 * `namespace`, `label key`...), the value, and optionally the fix to suggest.
 * It returns nothing (or the parts it parsed) and throws an Error that reads
 * the same everywhere:
 *
 *     <path>: <what> <value, JSON-quoted> <rule>; <fix>
 *
 * The value is shown JSON-quoted with every character outside printable
 * ASCII escaped (`\r`, `\u0000`, `\u0430`), so control characters and
 * look-alike letters are visible in the message.
 *
 * The grammars are Kubernetes' own where Kubernetes validates the field
 * (apimachinery's DNS-1123 / DNS-1035 / qualified-name rules, the CRD rules
 * for groups, versions, kinds and plurals), RFC 3986 for URLs, and the
 * container image reference grammar for images. Nothing here is exported
 * from the package.
 *
 * @internal
 */

import { Duration } from 'cdk8s';

/** @internal The verbs a generated RBAC rule may hold. */
export const RBAC_VERBS: readonly string[] = ['get', 'list', 'watch', 'patch'];

/** @internal What `checkHttpUrl` found in a URL. */
export interface HttpUrlParts {
  /** The host: a DNS name or an IPv4 address. */
  readonly host: string;
  /** The port: the one written, else 80. */
  readonly port: number;
  /** The request target: path (at least `/`) and query, as written. */
  readonly target: string;
}

/** @internal What `checkApiVersion` found in an apiVersion. */
export interface ApiVersionParts {
  /** The API group, `''` for the core group. */
  readonly group: string;
  /** The version, e.g. `v1beta1`. */
  readonly version: string;
}

// ---------------------------------------------------------------------------
// The error

const SHOWN_MAX = 100;

/**
 * A value as an error message shows it: strings JSON-quoted with everything
 * outside printable ASCII escaped, long strings cut with their length given;
 * other values as JSON (numbers as written, so NaN stays NaN).
 *
 * @internal
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length > SHOWN_MAX) {
      return `${quote(value.slice(0, SHOWN_MAX))}... (${value.length} characters)`;
    }
    return quote(value);
  }
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  try {
    return asciiOnly(JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

function quote(s: string): string {
  return asciiOnly(JSON.stringify(s));
}

function asciiOnly(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The one error every checker throws:
 * `${path}: ${what} ${value} ${rule}; ${fix}`.
 *
 * @internal
 */
export function invalid(path: string, what: string, value: unknown, rule: string, fix: string): Error {
  return new Error(`${path}: ${what} ${showValue(value)} ${rule}; ${fix}`);
}

function requireString(path: string, what: string, value: unknown, fix: string): asserts value is string {
  if (typeof value !== 'string') {
    throw invalid(path, what, value, 'is not a string', fix);
  }
}

// ---------------------------------------------------------------------------
// DNS names (apimachinery's DNS-1123 and DNS-1035 grammars)

const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/;
const LABEL_MAX = 63;
const SUBDOMAIN_MAX = 253;

const DNS1123_LABEL_GRAMMAR = "lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit";
const DNS1123_SUBDOMAIN_GRAMMAR = "lower-case letters, digits, '-' and '.', at most 253 characters, "
  + 'each part between dots starting and ending with a letter or digit';
const DNS1035_LABEL_GRAMMAR = "lower-case letters, digits and '-', at most 63 characters, "
  + 'starting with a letter and ending with a letter or digit';

function isDns1123Label(s: string): boolean {
  return s.length <= LABEL_MAX && DNS1123_LABEL.test(s);
}

function isDns1123Subdomain(s: string): boolean {
  return s.length <= SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(s);
}

function isDns1035Label(s: string): boolean {
  return s.length <= LABEL_MAX && DNS1035_LABEL.test(s);
}

/** The rule, and how long the value is when length is what broke it. */
function withLength(rule: string, value: string, max: number): string {
  return value.length > max ? `${rule} (it has ${value.length})` : rule;
}

/**
 * A DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters
 * (namespaces, most object names that become host names, container names).
 *
 * @internal
 */
export function checkDns1123Label(path: string, what: string, value: string, fix = "give a name such as 'db'"): void {
  requireString(path, what, value, fix);
  if (!isDns1123Label(value)) throw invalid(path, what, value, withLength(`is not a DNS-1123 label: ${DNS1123_LABEL_GRAMMAR}`, value, LABEL_MAX), fix);
}

/**
 * A DNS-1123 subdomain: DNS-1123 labels joined by '.', at most 253
 * characters (most object names, API groups).
 *
 * @internal
 */
export function checkDns1123Subdomain(path: string, what: string, value: string, fix = "give a name such as 'db' or 'db.shop'"): void {
  requireString(path, what, value, fix);
  if (!isDns1123Subdomain(value)) throw invalid(path, what, value, withLength(`is not a DNS-1123 subdomain: ${DNS1123_SUBDOMAIN_GRAMMAR}`, value, SUBDOMAIN_MAX), fix);
}

/**
 * A namespace name: a DNS-1123 label.
 *
 * @internal
 */
export function checkNamespace(path: string, what: string, value: string, fix = "give the namespace's name, such as 'shop'"): void {
  checkDns1123Label(path, what, value, fix);
}

/**
 * An object's `metadata.name` as the library uses it (field selectors, RBAC
 * `resourceNames`): a DNS-1123 subdomain, which every built-in kind that
 * waiters look at and every custom resource accepts.
 *
 * @internal
 */
export function checkObjectName(path: string, what: string, value: string, fix = "give the object's metadata.name, such as 'api-tls'"): void {
  checkDns1123Subdomain(path, what, value, fix);
}

/**
 * A container name: a DNS-1123 label.
 *
 * @internal
 */
export function checkContainerName(path: string, what: string, value: string, fix = "give a name such as 'app'"): void {
  checkDns1123Label(path, what, value, fix);
}

/**
 * Container names given as an option: each a container name, none twice.
 *
 * @internal
 */
export function checkContainerNames(path: string, what: string, names: string[]) {
  if (!Array.isArray(names)) throw invalid(path, what, names, 'is not a list of container names', "give the names, such as ['proxy']");
  names.forEach((name, i) => {
    checkContainerName(path, `${what}[${i}]`, name);
    if (names.indexOf(name) !== i) throw invalid(path, `${what}[${i}]`, name, 'names a container a second time', 'name each container once');
  });
}

// ---------------------------------------------------------------------------
// Labels and conditions (apimachinery's qualified-name grammar)

const QUALIFIED_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const QUALIFIED_NAME_RULE = "an optional prefix (a DNS-1123 subdomain of at most 253 characters) and '/', "
  + "then a name of at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

/** Whether `s` is a qualified name ([prefix/]name); the same test serves label keys and condition types. */
function isQualifiedName(s: string): boolean {
  const parts = s.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !isDns1123Subdomain(parts[0])) return false;
  return name.length <= LABEL_MAX && QUALIFIED_NAME.test(name);
}

/**
 * A label key: `[prefix/]name`, the prefix a DNS-1123 subdomain of at most
 * 253 characters, the name at most 63 characters of `[-A-Za-z0-9_.]`
 * starting and ending with a letter or digit.
 *
 * @internal
 */
export function checkLabelKey(path: string, what: string, value: string, fix = "give a label key such as 'app' or 'app.kubernetes.io/name'"): void {
  requireString(path, what, value, fix);
  if (!isQualifiedName(value)) throw invalid(path, what, value, `is not a label key: ${QUALIFIED_NAME_RULE}`, fix);
}

const LABEL_VALUE_RULE = "is not a label value: empty, or at most 63 characters of letters, digits, '-', '_' and '.', "
  + 'starting and ending with a letter or digit';

/**
 * A label value: empty, or at most 63 characters of `[-A-Za-z0-9_.]`
 * starting and ending with a letter or digit. No ',', '=', '!', space or
 * parentheses, so it cannot rewrite a selector it is put in.
 *
 * @internal
 */
export function checkLabelValue(path: string, what: string, value: string, fix = "give a label value such as 'db'"): void {
  requireString(path, what, value, fix);
  if (value.length > LABEL_MAX || (value !== '' && !QUALIFIED_NAME.test(value))) {
    throw invalid(path, what, value, withLength(LABEL_VALUE_RULE, value, LABEL_MAX), fix);
  }
}

/**
 * Labels to select by (`app=db,tier=data`): at least one, every key a label
 * key and every value a label value.
 *
 * @internal
 */
export function checkLabelSelector(path: string, what: string, labels: Record<string, string>,
  fix = "give the labels of the pods, such as { app: 'db' }"): void {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw invalid(path, what, labels, 'is not a map of label keys to values', fix);
  }
  const keys = Object.keys(labels);
  if (keys.length === 0) throw invalid(path, what, labels, 'is empty, so it would select every pod', fix);
  for (const key of keys) {
    checkLabelKey(path, 'label key', key, fix);
    checkLabelValue(path, `${what}[${showValue(key)}]`, labels[key], fix);
  }
}

/**
 * A status condition type, e.g. `Ready`: Kubernetes validates
 * `metav1.Condition` types as qualified names (the label-key grammar). The
 * grammar has no quote, bracket or space, so the type can stand inside the
 * JSONPath filter `[?(@.type=="<type>")]` as it is.
 *
 * @internal
 */
export function checkConditionType(path: string, what: string, value: string, fix = "give the condition's type, such as 'Ready'"): void {
  requireString(path, what, value, fix);
  if (!isQualifiedName(value)) {
    throw invalid(path, what, value, `is not a condition type (Kubernetes validates them as qualified names): ${QUALIFIED_NAME_RULE}`, fix);
  }
}

/**
 * A condition status: `True`, `False` or `Unknown`, as `metav1.Condition`
 * allows.
 *
 * @internal
 */
export function checkConditionStatus(path: string, what: string, value: string, fix = "give 'True', 'False' or 'Unknown'"): void {
  requireString(path, what, value, fix);
  if (value !== 'True' && value !== 'False' && value !== 'Unknown') {
    throw invalid(path, what, value, "is not a condition status: 'True', 'False' or 'Unknown', with that case", fix);
  }
}

// ---------------------------------------------------------------------------
// API groups, versions, kinds and resources (the CRD rules)

/**
 * An API group: `''` (the core group) or a DNS-1123 subdomain. Built-in
 * groups such as `apps` have no dot; a CRD's group has one.
 *
 * @internal
 */
export function checkApiGroup(path: string, what: string, value: string,
  fix = "give the group from the apiVersion, such as 'cert-manager.io', or '' for the core group"): void {
  requireString(path, what, value, fix);
  if (value !== '' && !isDns1123Subdomain(value)) {
    throw invalid(path, what, value,
      withLength(`is not an API group: '' for the core group, or a DNS-1123 subdomain (${DNS1123_SUBDOMAIN_GRAMMAR})`, value, SUBDOMAIN_MAX), fix);
  }
}

const API_VERSION_RULE = "is not an apiVersion: 'VERSION' for the core group or 'GROUP/VERSION', nothing else, "
  + "where GROUP is a DNS-1123 subdomain (lower-case letters, digits, '-' and '.') and VERSION a DNS-1035 label such as 'v1' or 'v1beta1'";

/**
 * An apiVersion: `v1` (core group) or `group/version`, the group a DNS-1123
 * subdomain and the version a DNS-1035 label; no '*', no empty group before
 * a '/', nothing after the version. Returns the group and version.
 *
 * @internal
 */
export function checkApiVersion(path: string, what: string, value: string,
  fix = "give the object's apiVersion as its manifest has it, such as 'v1' or 'cert-manager.io/v1'"): ApiVersionParts {
  requireString(path, what, value, fix);
  const parts = value.split('/');
  if (parts.length === 1 && isDns1035Label(parts[0])) return { group: '', version: parts[0] };
  if (parts.length === 2 && isDns1123Subdomain(parts[0]) && isDns1035Label(parts[1])) {
    if (parts[0] === 'core') {
      throw invalid(path, what, value, "names the core group 'core', which apiVersion never writes (core objects are 'v1')", `write '${parts[1]}'`);
    }
    return { group: parts[0], version: parts[1] };
  }
  throw invalid(path, what, value, API_VERSION_RULE, fix);
}

const KIND = /^[A-Za-z](?:[-A-Za-z0-9]*[A-Za-z0-9])?$/;

/**
 * A kind, e.g. `Certificate`: what Kubernetes accepts as a CRD's kind, a
 * DNS-1035 label once lower-cased; tested on the ASCII letters themselves,
 * because lower-casing maps look-alikes such as the Kelvin sign onto 'k'.
 *
 * @internal
 */
export function checkKind(path: string, what: string, value: string, fix = "give the object's kind as its manifest has it, such as 'Certificate'"): void {
  requireString(path, what, value, fix);
  if (value.length > LABEL_MAX || !KIND.test(value)) {
    throw invalid(path, what, value, withLength("is not a kind: letters, digits and '-', at most 63 characters, "
      + 'starting with a letter and ending with a letter or digit (a DNS-1035 label once lower-cased, as Kubernetes requires of CRD kinds)',
    value, LABEL_MAX), fix);
  }
}

/**
 * A resource as RBAC and `kubectl get` name it: the lower-case plural, a
 * DNS-1035 label (as Kubernetes requires of CRD plurals). So no '*', no ','
 * and no '/' (subresources are not waited on).
 *
 * @internal
 */
export function checkResource(path: string, what: string, value: string, fix = "give the lower-case plural, such as 'certificates'"): void {
  requireString(path, what, value, fix);
  if (!isDns1035Label(value)) {
    throw invalid(path, what, value, withLength('is not a resource: the lower-case plural as RBAC names it, '
      + `one DNS-1035 label (${DNS1035_LABEL_GRAMMAR}), so no '*', ',' or '/'`, value, LABEL_MAX), fix);
  }
}

// ---------------------------------------------------------------------------
// Network: ports, hosts and http URLs

/**
 * A TCP port: a whole number from 1 to 65535.
 *
 * @internal
 */
export function checkPort(path: string, what: string, value: number, fix = 'give the port the server listens on, such as 5432'): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw invalid(path, what, value, 'is not a TCP port: a whole number from 1 to 65535', fix);
  }
}

const HOST_FIX = "give the Service's DNS name, such as 'db' or 'db.shop.svc'";
const IPV4_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
/** A part that resolvers (inet_aton) read as a number: decimal, octal or hex. */
const NUMERIC_PART = /^(?:0x[0-9a-f]*|[0-9]+)$/;

/** Why `host` is not a host the waiters can reach, or undefined if it is one. */
function hostProblem(host: string): string | undefined {
  if (host.includes(':') || host.startsWith('[')) {
    return "is an IPv6 address, which the waiters do not take (they write 'host:port' unbracketed)";
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  const parts = name.split('.');
  if (parts.every((p) => NUMERIC_PART.test(p))) {
    const ok = !host.endsWith('.') && parts.length === 4 && parts.every((p) => IPV4_OCTET.test(p) && Number(p) <= 255);
    return ok ? undefined : 'is all numbers, which resolvers read as an IPv4 address, but not one written as four decimal numbers 0-255 '
      + "joined by '.', without leading zeros (such as '10.0.0.7')";
  }
  if (!isDns1123Subdomain(name) || parts.some((p) => p.length > LABEL_MAX)) {
    return "is not a host: a DNS name (lower-case letters, digits, '-' and '.', at most 253 characters; each part between dots "
      + "at most 63 characters, starting and ending with a letter or digit; one trailing '.' allowed) or an IPv4 address such as '10.0.0.7'";
  }
  return undefined;
}

/**
 * A host for the TCP, DNS and HTTP checks: a DNS-1123 subdomain whose parts
 * are at most 63 characters (one trailing '.' allowed, for an absolute name),
 * or an IPv4 address in dotted-quad form. A host made only of numbers must be
 * a proper dotted quad, since resolvers read such names as addresses
 * (`10.1` is 10.0.0.1, `0x7f000001` is 127.0.0.1). IPv6 literals are refused.
 *
 * @internal
 */
export function checkHost(path: string, what: string, value: string, fix = HOST_FIX): void {
  requireString(path, what, value, fix);
  const problem = hostProblem(value);
  if (problem) throw invalid(path, what, value, problem, fix);
}

const URL_FIX = "give a URL such as 'http://api:8080/healthz'";
/** RFC 3986 pchar without '%': unreserved, sub-delims, ':' and '@'. */
const PCHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;

/**
 * A URL for `WaitFor.http`: exactly `http://host[:port][/path][?query]`.
 * The host as `checkHost` takes it; the port 1-65535 in decimal without
 * leading zeros; path and query only RFC 3986 characters (unreserved,
 * sub-delims, ':', '@', '/', and '?' in the query), percent-escapes well
 * formed. No whitespace or control character anywhere (a CR/LF would split
 * the request), no user information, no fragment. https is refused: the
 * check speaks plain HTTP. Returns the host, port and request target.
 *
 * @internal
 */
export function checkHttpUrl(path: string, what: string, value: string): HttpUrlParts {
  requireString(path, what, value, URL_FIX);
  const bad = /[\s\u0000-\u001f\u007f-\u009f]/.exec(value);
  if (bad) {
    throw invalid(path, what, value, `has the character ${showValue(bad[0])}, whitespace or a control character, `
      + 'which would split or end the HTTP request line', 'percent-encode it (a space is %20), or remove it');
  }
  if (/^https:/i.test(value)) {
    throw invalid(path, what, value, 'is https, which the check cannot speak (it writes plain HTTP/1.0 over nc)',
      'use WaitFor.tcp(host, 443) to wait for the port, or WaitFor.command(...) with an image that has an HTTPS client');
  }
  if (!value.startsWith('http://')) {
    throw invalid(path, what, value, "is not an http URL: it must start with 'http://' in lower case", URL_FIX);
  }
  if (value.includes('#')) {
    throw invalid(path, what, value, "has a fragment ('#...'), which is never sent to a server", "remove the '#' and what follows it");
  }
  const rest = value.slice('http://'.length);
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  if (authority.includes('@')) {
    throw invalid(path, what, value, "has user information ('user@'), which the check does not send", "remove the part up to and including '@'");
  }
  let host = authority;
  let port = 80;
  const colon = authority.indexOf(':');
  if (colon >= 0 && !authority.startsWith('[') && authority.indexOf(':', colon + 1) < 0) {
    host = authority.slice(0, colon);
    const digits = authority.slice(colon + 1);
    if (!/^[1-9][0-9]{0,4}$/.test(digits) || Number(digits) > 65535) {
      throw invalid(path, what, value, `has the port ${showValue(digits)}, which is not a TCP port: a whole number from 1 to 65535 without leading zeros`,
        "give the server's port, such as 'http://api:8080/healthz', or leave ':port' out for 80");
    }
    port = Number(digits);
  }
  const problem = hostProblem(host);
  if (problem) throw invalid(path, what, value, `has the host ${showValue(host)}, which ${problem}`, HOST_FIX);
  const query = tail.indexOf('?');
  const pathPart = query < 0 ? tail : tail.slice(0, query);
  const queryPart = query < 0 ? '' : tail.slice(query);
  checkUrlChars(path, what, value, pathPart, '/');
  checkUrlChars(path, what, value, queryPart.slice(1), '/?');
  return { host, port, target: `${pathPart || '/'}${queryPart}` };
}

/** Every character of `text` (a path or a query) is a pchar, one of `extra`, or a well-formed %XX. */
function checkUrlChars(path: string, what: string, url: string, text: string, extra: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '%') {
      if (!HEX2.test(text.slice(i + 1, i + 3))) {
        throw invalid(path, what, url, `has a '%' not followed by two hex digits (${showValue(text.slice(i, i + 3))})`,
          "write a '%' itself as %25");
      }
      i += 2;
    } else if (!PCHAR.test(c) && !extra.includes(c)) {
      throw invalid(path, what, url, `has the character ${showValue(c)} in its ${extra.includes('?') ? 'query' : 'path'}, which RFC 3986 does not allow there `
        + "(allowed: letters, digits, -._~!$&'()*+,;=:@/ , '?' in the query, and %XX escapes)", 'percent-encode it');
    }
  }
}

const STATUS_FIX = 'give the codes that count as ready, such as [200], or leave statusCodes out for 200-399';

/**
 * HTTP status codes to accept: at least one, each a whole number from 100
 * to 599.
 *
 * @internal
 */
export function checkHttpStatusCodes(path: string, what: string, codes: number[], fix = STATUS_FIX): void {
  if (!Array.isArray(codes)) throw invalid(path, what, codes, 'is not a list of status codes', fix);
  if (codes.length === 0) throw invalid(path, what, codes, 'is empty, so no answer would count as ready', fix);
  codes.forEach((code, i) => {
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
      throw invalid(path, `${what}[${i}]`, code, 'is not an HTTP status code: a whole number from 100 to 599', fix);
    }
  });
}

/**
 * The path (and query) of an HTTP request the kubelet makes, as in
 * `httpGet.path`: starting with '/', then only the characters RFC 3986 allows
 * in a path and a query, percent-escapes well formed. No whitespace or control
 * character (a CR/LF would split the request), no fragment.
 *
 * @internal
 */
export function checkHttpPath(path: string, what: string, value: string, fix = "give a path such as '/warm' or '/warm?level=1'"): void {
  requireString(path, what, value, fix);
  if (!value.startsWith('/')) throw invalid(path, what, value, "does not start with '/'", fix);
  const query = value.indexOf('?');
  checkUrlChars(path, what, value, query < 0 ? value : value.slice(0, query), '/');
  if (query >= 0) checkUrlChars(path, what, value, value.slice(query + 1), '/?');
}

// ---------------------------------------------------------------------------
// Images

const IMAGE_ALNUM = '[a-z0-9]+';
const IMAGE_SEPARATOR = '(?:[._]|__|-+)';
const IMAGE_PATH_PART = `${IMAGE_ALNUM}(?:${IMAGE_SEPARATOR}${IMAGE_ALNUM})*`;
const IMAGE_DOMAIN_PART = '[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?';
const IMAGE_REGISTRY = `(?:${IMAGE_DOMAIN_PART}(?:\\.${IMAGE_DOMAIN_PART})*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?`;
const IMAGE_NAME = `(?:${IMAGE_REGISTRY}/)?${IMAGE_PATH_PART}(?:/${IMAGE_PATH_PART})*`;
const IMAGE_TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const IMAGE_DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
const IMAGE_REFERENCE = new RegExp(`^(${IMAGE_NAME})(?::${IMAGE_TAG})?(?:@${IMAGE_DIGEST})?$`);
const IMAGE_NAME_MAX = 255;
/** Longer than any name, tag and digest together; keeps the pattern's work bounded. */
const IMAGE_MAX = 1024;

/**
 * A container image reference: `[registry[:port]/]path[:tag][@digest]`, path
 * components of lower-case letters and digits joined by '.', '_', '__' or
 * dashes; a tag of at most 128 characters; a digest `algorithm:hex`; the
 * name at most 255 characters. No whitespace or control character. Returns
 * the image.
 *
 * @internal
 */
export function checkImage(path: string, what: string, value: string,
  fix = "give an image such as 'busybox:1.36.1', better pinned by digest ('busybox:1.36.1@sha256:<digest>')"): string {
  requireString(path, what, value, fix);
  const m = value.length <= IMAGE_MAX ? IMAGE_REFERENCE.exec(value) : null;
  if (!m || m[1].length > IMAGE_NAME_MAX) {
    throw invalid(path, what, value, 'is not an image reference: [REGISTRY[:PORT]/]PATH[:TAG][@DIGEST], PATH being lower-case letters and digits '
      + "in parts joined by '/' (inside a part '.', '_', '__' or '-'), TAG at most 128 letters, digits, '_', '.' and '-' not starting with '.' or '-', "
      + 'DIGEST ALGORITHM:HEX, and the name before TAG at most 255 characters', fix);
  }
  return value;
}

// ---------------------------------------------------------------------------
// Durations

/**
 * A duration in whole seconds, at least `min`: what Kubernetes fields such as
 * `terminationGracePeriodSeconds` and the waiters' timeouts take. Returns the
 * seconds. The value is shown as cdk8s writes the Duration ("1 second 500
 * millis"), since a fraction of a second is what most often breaks the rule.
 *
 * @internal
 */
export function checkWholeSeconds(path: string, what: string, duration: Duration, min = 1,
  fix = 'give a whole number of seconds, such as Duration.seconds(30) or Duration.minutes(5)'): number {
  if (duration === null || typeof duration !== 'object' || typeof duration.toSeconds !== 'function') {
    throw invalid(path, what, duration, 'is not a Duration', fix);
  }
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < min) {
    throw invalid(path, what, duration.toHumanString(), `is not a whole number of seconds of at least ${min}`, fix);
  }
  return seconds;
}

// ---------------------------------------------------------------------------
// Numbers and choices

/**
 * A whole number of at least `min` (a count).
 *
 * @internal
 */
export function checkWholeNumber(path: string, what: string, value: number, min: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(path, what, value, `is not a whole number of at least ${min}`, fix);
  }
}

/**
 * One of a fixed set of strings (the values of an enum, for callers that do
 * not go through TypeScript's types).
 *
 * @internal
 */
export function checkOneOf(path: string, what: string, value: string, allowed: readonly string[], fix: string): void {
  if (!allowed.includes(value)) {
    throw invalid(path, what, value, `is not one of ${allowed.map((a) => showValue(a)).join(', ')}`, fix);
  }
}

// ---------------------------------------------------------------------------
// Kubernetes versions

/**
 * A Kubernetes version as `major.minor`, `1.<min>` to `1.<max>`, without
 * leading zeros or a patch. Returns the minor.
 *
 * @internal
 */
export function checkKubernetesVersion(path: string, what: string, value: string, min: number, max: number,
  fix = `give '1.${min}' to '1.${max}'`): number {
  requireString(path, what, value, fix);
  const m = /^1\.(0|[1-9][0-9]{0,2})$/.exec(value);
  const minor = m ? Number(m[1]) : NaN;
  if (!m || minor < min || minor > max) {
    throw invalid(path, what, value, `is not a version we write for: major.minor from 1.${min} to 1.${max}`, fix);
  }
  return minor;
}

// ---------------------------------------------------------------------------
// Arbitrary strings, as data

/**
 * A string that may legitimately be anything (a command's arguments, a URL
 * path passed on) but must reach a process: no NUL, which ends every
 * argument and environment string at the kernel, and no lone UTF-16
 * surrogate, which has no UTF-8 form (the container runtime API carries
 * UTF-8 strings only, and refuses invalid ones).
 *
 * @internal
 */
export function checkArbitraryText(path: string, what: string, value: string, fix = 'remove the character'): void {
  requireString(path, what, value, fix);
  if (value.includes('\u0000')) {
    throw invalid(path, what, value, 'has a NUL character, which no argument or environment variable can carry (the kernel ends strings at NUL)', fix);
  }
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
    throw invalid(path, what, value, 'has a lone UTF-16 surrogate, which has no UTF-8 form (the container runtime takes UTF-8 only)', fix);
  }
}

/**
 * A command to run, as `exec` takes it: a non-empty list whose first entry
 * (the program) is not empty, every entry text a process can receive
 * (`checkArbitraryText`). Entries are named by index: `command[2]`.
 *
 * @internal
 */
export function checkCommand(path: string, what: string, command: string[], fix: string): void {
  if (!Array.isArray(command)) throw invalid(path, what, command, 'is not a list of strings', fix);
  if (command.length === 0) throw invalid(path, what, command, 'is empty', fix);
  command.forEach((arg, i) => {
    requireString(path, `${what}[${i}]`, arg, 'write every entry as a string');
    checkArbitraryText(path, `${what}[${i}]`, arg);
  });
  if (command[0] === '') throw invalid(path, `${what}[0]`, command[0], 'is empty, so there is no program to run', fix);
}

/**
 * Makes `value` reach the container literally through `env[].value`,
 * `command` or `args`, which the kubelet expands before the container starts.
 *
 * The kubelet's expansion reads `$` as an operator: `$$` gives `$`, `$(NAME)`
 * gives the value of the variable NAME if the container has one (else it
 * stays as written), and a `$` before anything else (or at the end) stays as
 * it is. Doubling every `$` makes every `$` of the result the first half of a
 * `$$` pair, so expansion turns each pair back into one `$`, and no `$(` is
 * left to be read as a reference. Doubling only the `$` before `(` would not
 * be enough: kubelets before the fix of kubernetes#136323 read the character
 * after a lone `$` as a single byte, breaking a multi-byte character such as
 * `$é` into invalid UTF-8 (a container that fails to start on 1.34).
 *
 * Apply it to the exact text placed in the field, last (after any shell
 * quoting), and concatenate intended references such as `$(POD_NAMESPACE)`
 * after escaping the rest.
 *
 * @internal
 */
export function escapeForKubelet(value: string): string {
  return value.split('$').join('$$');
}

// ---------------------------------------------------------------------------
// RBAC

const RBAC_FIX = 'a generated rule names one API group, one resource, object names and only get, list, watch or patch; '
  + 'this is a bug in cdk8s-ordered: please report it with this message';
const RBAC_FIELDS = ['apiGroups', 'resources', 'resourceNames', 'verbs'];

/**
 * Asserts that a PolicyRule the library generated is as narrow as intended:
 * no '*' anywhere; exactly one entry in `apiGroups` and in `resources`, each
 * passing its grammar (so no ',' or whitespace lists in one field); object
 * names, if given, a non-empty list of DNS-1123 subdomains (an empty list
 * would mean every name); verbs a non-empty list without repeats from
 * `allowedVerbs` (get, list, watch, patch); no other field
 * (`nonResourceURLs`). `path` is the Role's construct path.
 *
 * @internal
 */
export function checkRbacRule(path: string, rule: unknown, allowedVerbs: readonly string[] = RBAC_VERBS): void {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
    throw invalid(path, 'RBAC rule', rule, 'is not an object', RBAC_FIX);
  }
  const r = rule as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!RBAC_FIELDS.includes(key) && r[key] !== undefined) {
      throw invalid(path, `RBAC rule field ${showValue(key)}`, r[key], 'is not one a generated rule may have (apiGroups, resources, resourceNames, verbs)', RBAC_FIX);
    }
  }
  for (const key of RBAC_FIELDS) {
    const list = r[key];
    if (list === undefined && key === 'resourceNames') continue;
    if (!Array.isArray(list)) throw invalid(path, `RBAC rule ${key}`, list, 'is not a list', RBAC_FIX);
    if (list.length === 0) {
      throw invalid(path, `RBAC rule ${key}`, list, key === 'resourceNames' ? 'is empty, which RBAC reads as every name' : 'is empty', RBAC_FIX);
    }
    for (const entry of list) {
      if (typeof entry !== 'string') throw invalid(path, `RBAC rule ${key} entry`, entry, 'is not a string', RBAC_FIX);
      if (entry.includes('*')) throw invalid(path, `RBAC rule ${key} entry`, entry, "is a wildcard ('*')", RBAC_FIX);
      if (/[,\s]/.test(entry)) throw invalid(path, `RBAC rule ${key} entry`, entry, 'holds a list (a comma or whitespace) in one field', RBAC_FIX);
    }
    if (new Set(list).size !== list.length) throw invalid(path, `RBAC rule ${key}`, list, 'names an entry twice', RBAC_FIX);
  }
  const apiGroups = r.apiGroups as string[];
  const resources = r.resources as string[];
  if (apiGroups.length !== 1) throw invalid(path, 'RBAC rule apiGroups', apiGroups, 'has more than one group', RBAC_FIX);
  if (resources.length !== 1) throw invalid(path, 'RBAC rule resources', resources, 'has more than one resource', RBAC_FIX);
  checkApiGroup(path, 'RBAC rule API group', apiGroups[0], RBAC_FIX);
  // A subresource (`pods/status`) is its resource and one more plural, each of the same grammar.
  for (const part of resources[0].split('/', 3).length <= 2 ? resources[0].split('/') : [resources[0]]) {
    checkResource(path, 'RBAC rule resource', part, RBAC_FIX);
  }
  for (const name of (r.resourceNames as string[] | undefined) ?? []) checkObjectName(path, 'RBAC rule resource name', name, RBAC_FIX);
  for (const verb of r.verbs as string[]) {
    if (!allowedVerbs.includes(verb)) {
      throw invalid(path, 'RBAC rule verb', verb, `is not one a generated rule may hold (${allowedVerbs.join(', ')})`, RBAC_FIX);
    }
  }
}

/**
 * `checkRbacRule` for each rule of a Role.
 *
 * @internal
 */
export function checkRbacRules(path: string, rules: readonly unknown[], allowedVerbs: readonly string[] = RBAC_VERBS): void {
  for (const rule of rules) checkRbacRule(path, rule, allowedVerbs);
}
