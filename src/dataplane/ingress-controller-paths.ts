/**
 * Path matching structures of the ingress controller model (internal), built once per host:
 * a hash map for Exact paths plus a trie of path elements (portable), or nginx's own location
 * order (ingress-nginx profile). A request costs one map lookup plus a walk as deep as its path.
 */

/** The Kubernetes path types. */
export const PATH_EXACT = 'Exact';
export const PATH_PREFIX = 'Prefix';
export const PATH_IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific';

/** The request path's elements: `/aaa/bbb/` → `['aaa', 'bbb']` (empty elements are ignored). */
function elements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

interface TrieNode<T> {
  value?: T;
  readonly children: Map<string, TrieNode<T>>;
}

/** What a portable path table answers: the matched entry and the kind of match. */
export interface PortableMatch<T> {
  readonly value: T;
  readonly pathType: string;
  readonly path: string;
}

/**
 * Path matching of the Kubernetes Ingress specification (docs "Ingress", "Examples" table):
 * Exact compares the whole path, case-sensitively; Prefix matches element by element split by
 * `/`, ignoring a trailing slash; the longest match wins and Exact wins a tie. This model
 * treats ImplementationSpecific as Prefix (the specification leaves it to the controller).
 * The first entry added for a path and type keeps it (callers add in creation order).
 */
export class PortablePathTable<T> {
  private readonly exact = new Map<string, PortableMatch<T>>();
  private readonly root: TrieNode<PortableMatch<T>> = { children: new Map() };

  public add(path: string, pathType: string, value: T): boolean {
    if (pathType === PATH_EXACT) {
      if (this.exact.has(path)) return false;
      this.exact.set(path, { value, pathType, path });
      return true;
    }
    let node = this.root;
    for (const element of elements(path)) {
      let next = node.children.get(element);
      if (!next) {
        next = { children: new Map() };
        node.children.set(element, next);
      }
      node = next;
    }
    if (node.value) return false;
    node.value = { value, pathType, path };
    return true;
  }

  public match(path: string): PortableMatch<T> | undefined {
    // An Exact match has the request's full length, so no Prefix match can be longer.
    const exact = this.exact.get(path);
    if (exact) return exact;
    let node: TrieNode<PortableMatch<T>> | undefined = this.root;
    let best = this.root.value;
    for (const element of elements(path)) {
      node = node.children.get(element);
      if (!node) break;
      if (node.value) best = node.value;
    }
    return best;
  }
}

/** One nginx `location` of a server, after ingress-nginx's normalisation. */
export interface NginxLocation<T> {
  /** The location path as nginx sees it (e.g. `/foo/` for Prefix `/foo`). */
  readonly path: string;
  /** `Exact`, `Prefix` or `ImplementationSpecific` (the Ingress path type behind it). */
  readonly pathType: string;
  /** Whether this location was added as the Exact twin of a Prefix path. */
  readonly exactTwin: boolean;
  readonly value: T;
  /** The rendered nginx location, e.g. `= /foo`, `/foo/` or `~* "^/foo"`. */
  readonly rendered: string;
  /** The compiled regex in regex mode. */
  readonly regex?: RegExp;
  /** Why the regex could not be compiled, in regex mode. */
  readonly regexError?: string;
}

/** What nginx's location lookup answered. */
export type NginxLocationMatch<T> =
  | { readonly kind: 'location'; readonly location: NginxLocation<T> }
  | { readonly kind: 'slash-redirect'; readonly location: NginxLocation<T> }
  | { readonly kind: 'none' };

/** A location before normalisation: an Ingress path (or the server's root location). */
export interface NginxLocationInput<T> {
  readonly path: string;
  readonly pathType: string;
  /** Whether this location's own annotations ask for regex (use-regex or rewrite-target). */
  readonly regexAnnotated: boolean;
  readonly value: T;
}

interface Normalised<T> {
  readonly input: NginxLocationInput<T>;
  readonly path: string;
  readonly pathType: string;
  readonly exactTwin: boolean;
}

/**
 * ingress-nginx `updateServerLocations` (internal/ingress/controller/controller.go): a Prefix
 * path other than `/` becomes a prefix location ending in `/` plus an Exact location of the
 * original path — unless it uses regex, or an Exact location of that path already exists.
 */
function normalise<T>(inputs: readonly NginxLocationInput<T>[]): Array<Normalised<T>> {
  const exactPaths = new Set(inputs.filter((l) => l.pathType === PATH_EXACT).map((l) => l.path));
  const out: Array<Normalised<T>> = [];
  for (const input of inputs) {
    if (input.pathType !== PATH_PREFIX || input.regexAnnotated || input.path === '/' || exactPaths.has(input.path)) {
      out.push({ input, path: input.path, pathType: input.pathType, exactTwin: false });
      continue;
    }
    out.push({ input, path: input.path.endsWith('/') ? input.path : `${input.path}/`, pathType: PATH_PREFIX, exactTwin: false });
    out.push({ input, path: input.path, pathType: PATH_EXACT, exactTwin: true });
  }
  return out;
}

/**
 * The locations of one nginx server block and nginx's lookup over them.
 *
 * Order: ingress-nginx sorts a server's locations by path, descending, then (stably) by path
 * length, descending (getBackendServers). Rendering (rootfs/etc/nginx/template/nginx.tmpl,
 * `buildLocation`): when any location of the server uses `use-regex` or a `rewrite-target`,
 * every location of the server becomes a case-insensitive regex `~* "^<path>"` — Exact ones
 * too; otherwise Exact paths render as `= <path>` and the rest as plain prefix locations.
 *
 * Lookup (nginx ngx_http_core_find_location): an `=` location equal to the URI wins; else the
 * longest prefix location (case-sensitive); regex locations are tried in order and the first
 * match wins. A prefix location ending in `/` whose path is the URI plus `/` answers 301 with
 * the slash appended when nothing matches the URI exactly (nginx `location` docs: proxy_pass
 * locations redirect the slash-less URI).
 */
export class NginxServerLocations<T> {
  public readonly regexMode: boolean;
  public readonly locations: readonly NginxLocation<T>[];
  private readonly exact = new Map<string, NginxLocation<T>>();
  private readonly prefixes: readonly NginxLocation<T>[];
  private readonly prefixPaths = new Map<string, NginxLocation<T>>();

  public constructor(inputs: readonly NginxLocationInput<T>[]) {
    this.regexMode = inputs.some((l) => l.regexAnnotated);
    const normalised = normalise(inputs);
    const sorted = normalised
      .slice()
      .sort((a, b) => (a.path > b.path ? -1 : a.path < b.path ? 1 : 0))
      .sort((a, b) => b.path.length - a.path.length);
    this.locations = sorted.map((l) => this.build(l.input, l.path, l.pathType, l.exactTwin));
    const prefixes: NginxLocation<T>[] = [];
    for (const loc of this.locations) {
      if (this.regexMode) continue;
      if (loc.pathType === PATH_EXACT) {
        if (!this.exact.has(loc.path)) this.exact.set(loc.path, loc);
      } else if (!this.prefixPaths.has(loc.path)) {
        this.prefixPaths.set(loc.path, loc);
        prefixes.push(loc);
      }
    }
    this.prefixes = prefixes;
  }

  private build(input: NginxLocationInput<T>, path: string, pathType: string, exactTwin: boolean): NginxLocation<T> {
    if (!this.regexMode) {
      return { path, pathType, exactTwin, value: input.value, rendered: pathType === PATH_EXACT ? `= ${path}` : path };
    }
    const rendered = `~* "^${path}"`;
    try {
      return { path, pathType, exactTwin, value: input.value, rendered, regex: new RegExp(`^${pcreToJs(path)}`, 'i') };
    } catch (e) {
      return { path, pathType, exactTwin, value: input.value, rendered, regexError: (e as Error).message };
    }
  }

  public match(uri: string): NginxLocationMatch<T> {
    if (this.regexMode) {
      for (const location of this.locations) {
        if (location.regex?.test(uri)) return { kind: 'location', location };
      }
      return { kind: 'none' };
    }
    const exact = this.exact.get(uri);
    if (exact) return { kind: 'location', location: exact };
    if (!this.prefixPaths.has(uri)) {
      const slashed = this.prefixPaths.get(`${uri}/`);
      if (slashed) return { kind: 'slash-redirect', location: slashed };
    }
    // Sorted by length, descending: the first prefix that matches is the longest.
    for (const location of this.prefixes) {
      if (uri.startsWith(location.path)) return { kind: 'location', location };
    }
    return { kind: 'none' };
  }
}

/**
 * PCRE syntax nginx accepts that JavaScript spells differently: named groups `(?P<name>…)`.
 * Everything else used in Ingress paths (classes, groups, quantifiers, anchors) is shared.
 */
export function pcreToJs(pattern: string): string {
  return pattern.replace(/\(\?P</g, '(?<');
}
