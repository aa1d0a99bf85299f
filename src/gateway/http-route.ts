import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IHttpRouteParent } from './gateway';
import { FieldError } from '../api';
import { FieldPath, invalid, required } from '../api/field-path';
import { GATEWAY_API_GROUP, GATEWAY_API_VERSION } from '../api/gateway';
import { IKubernetesResource } from '../core/kubernetes-resource';
import { ValidatedApiObject } from '../core/validated-api-object';
import { foreignServiceReference, IServiceReference, Protocol, ServicePortInfo } from '../service/reference';

/** HTTP methods a match can require. */
export enum HttpMethod {
  GET = 'GET',
  HEAD = 'HEAD',
  POST = 'POST',
  PUT = 'PUT',
  DELETE = 'DELETE',
  CONNECT = 'CONNECT',
  OPTIONS = 'OPTIONS',
  TRACE = 'TRACE',
  PATCH = 'PATCH',
}

/** What a match requires besides the path; every given condition must hold. */
export interface HttpRouteMatchOptions {
  /**
   * Headers and their exact values (names compare case-insensitively).
   * @default - any headers
   */
  readonly headers?: { [name: string]: string };
  /**
   * Query parameters and their exact values (names compare exactly).
   * @default - any query
   */
  readonly queryParams?: { [name: string]: string };
  /**
   * The HTTP method.
   * @default - any method
   */
  readonly method?: HttpMethod;
}

/** One way a request matches a rule (HTTPRoute `matches[]`). */
export class HttpRouteMatch {
  /** Paths starting with `path`, element by element (`/api` matches `/api` and `/api/x`, not `/apix`). */
  public static pathPrefix(path: string, options: HttpRouteMatchOptions = {}): HttpRouteMatch {
    return new HttpRouteMatch('PathPrefix', path, options);
  }

  /** Exactly `path`. */
  public static exact(path: string, options: HttpRouteMatchOptions = {}): HttpRouteMatch {
    return new HttpRouteMatch('Exact', path, options);
  }

  /** Paths the regular expression matches (RegularExpression; the dialect is the implementation's). */
  public static regex(path: string, options: HttpRouteMatchOptions = {}): HttpRouteMatch {
    return new HttpRouteMatch('RegularExpression', path, options);
  }

  private constructor(private readonly type: string, private readonly value: string, private readonly options: HttpRouteMatchOptions) {}

  /** @internal */
  public _render(): any {
    const o = this.options;
    const list = (m: { [name: string]: string } | undefined) => Object.entries(m ?? {}).map(([name, value]) => ({ type: 'Exact', name, value }));
    return {
      path: { type: this.type, value: this.value },
      ...(o.headers && Object.keys(o.headers).length ? { headers: list(o.headers) } : {}),
      ...(o.queryParams && Object.keys(o.queryParams).length ? { queryParams: list(o.queryParams) } : {}),
      ...(o.method !== undefined ? { method: o.method } : {}),
    };
  }
}

/** Which port of the Service a route backend sends traffic to, and its share. */
export interface HttpRouteBackendOptions {
  /**
   * The Service port number.
   * @default - the Service's only port (or `portName`); an error at synth when it has several or none
   */
  readonly port?: number;
  /**
   * The Service port by name, resolved to its number at synth (an HTTPRoute names ports by number).
   * @default - use `port`
   */
  readonly portName?: string;
  /**
   * The backend's share of the rule's traffic, relative to the other backends' weights.
   * @default 1
   */
  readonly weight?: number;
}

function describePorts(ports: ServicePortInfo[]): string {
  return ports.map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`)).join(', ');
}

/** Where a route rule sends requests: a Service port. */
export class HttpRouteBackend {
  /**
   * A Service of this library or one referenced with `ServiceReference.fromAttributes`; the port
   * is resolved at synth time, so ports added after this call count. A Service in another
   * namespace also needs a ReferenceGrant (`ReferenceGrant.allowRouteToService`).
   */
  public static fromService(service: IServiceReference, options: HttpRouteBackendOptions = {}): HttpRouteBackend {
    if (options.port !== undefined && options.portName !== undefined) {
      throw new Error(`HttpRouteBackend.fromService(${service.serviceName}): give port or portName, not both`);
    }
    return new HttpRouteBackend(service, options);
  }

  /** A cdk8s-plus Service of any major (27 … 33); its ports are read from its synthesized spec. */
  public static fromPlusService(service: IKubernetesResource, options: HttpRouteBackendOptions = {}): HttpRouteBackend {
    return HttpRouteBackend.fromService(foreignServiceReference(service, 'HttpRouteBackend.fromPlusService'), options);
  }

  private constructor(private readonly service: IServiceReference, private readonly options: HttpRouteBackendOptions) {}

  /** The Service this backend names. */
  public get serviceReference(): IServiceReference {
    return this.service;
  }

  /** @internal */
  public _render(path: FieldPath, routeNamespace: string | undefined, withWeight: boolean): { ref: any; errors: FieldError[] } {
    const svc = this.service;
    const errors: FieldError[] = [];
    const ports = svc.listPorts();
    let port = this.options.port;
    if (this.options.portName !== undefined) {
      port = ports.find((p) => p.name === this.options.portName)?.port;
      if (port === undefined) {
        errors.push(invalid(path.child('port'), this.options.portName, `Service "${svc.serviceName}" has no port named "${this.options.portName}" (its ports: ${describePorts(ports)})`));
      }
    } else if (port !== undefined) {
      const chosen = ports.find((p) => p.port === port);
      if (ports.length > 0 && !chosen) errors.push(invalid(path.child('port'), port, `Service "${svc.serviceName}" has no port ${port} (its ports: ${describePorts(ports)})`));
      if (chosen?.protocol !== undefined && chosen.protocol !== Protocol.TCP) errors.push(invalid(path.child('port'), port, `Service "${svc.serviceName}" port ${port} is ${chosen.protocol}; an HTTPRoute carries HTTP over TCP`));
    } else if (ports.length === 1) {
      port = ports[0].port;
    } else {
      errors.push(required(path.child('port'), ports.length === 0
        ? `Service "${svc.serviceName}" lists no ports; give the backend a port`
        : `Service "${svc.serviceName}" has several ports (${describePorts(ports)}); give the backend a port`));
    }
    const ns = svc.serviceNamespace;
    return {
      ref: {
        group: '',
        kind: 'Service',
        name: svc.serviceName,
        ...(ns !== undefined && ns !== routeNamespace ? { namespace: ns } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(withWeight && this.options.weight !== undefined ? { weight: this.options.weight } : {}),
      },
      errors,
    };
  }
}

/** Header changes of a RequestHeaderModifier filter. */
export interface RequestHeadersOptions {
  /**
   * Headers to set, overwriting any value sent.
   * @default - none
   */
  readonly set?: { [name: string]: string };
  /**
   * Headers to add, appended (with `,`) to any value sent.
   * @default - none
   */
  readonly add?: { [name: string]: string };
  /**
   * Header names to remove.
   * @default - none
   */
  readonly remove?: string[];
}

/** A RequestRedirect filter: each part left out keeps the request's. */
export interface RequestRedirectOptions {
  /**
   * `http` or `https`.
   * @default - the request's scheme
   */
  readonly scheme?: string;
  /**
   * The host name to redirect to.
   * @default - the request's host
   */
  readonly hostname?: string;
  /**
   * The port to redirect to.
   * @default - the scheme's well-known port when `scheme` is given, else the listener's port
   */
  readonly port?: number;
  /**
   * Replace the whole path.
   * @default - keep the path
   */
  readonly fullPath?: string;
  /**
   * Replace the matched path prefix (the rule must have exactly one pathPrefix match).
   * @default - keep the path
   */
  readonly replacePrefixMatch?: string;
  /**
   * 301, 302, 303, 307 or 308.
   * @default 302
   */
  readonly statusCode?: number;
}

/** A URLRewrite filter. */
export interface UrlRewriteOptions {
  /**
   * The Host header the backend receives.
   * @default - the request's
   */
  readonly hostname?: string;
  /**
   * Replace the whole path.
   * @default - keep the path
   */
  readonly fullPath?: string;
  /**
   * Replace the matched path prefix (the rule must have exactly one pathPrefix match).
   * @default - keep the path
   */
  readonly replacePrefixMatch?: string;
}

/** A step a rule applies to matching requests (HTTPRoute `filters[]`). */
export class HttpRouteFilter {
  /** Answers with a redirect instead of forwarding (a rule with this filter has no backends). */
  public static requestRedirect(options: RequestRedirectOptions): HttpRouteFilter {
    const path = HttpRouteFilter.path(options.fullPath, options.replacePrefixMatch, 'requestRedirect');
    return new HttpRouteFilter({
      type: 'RequestRedirect',
      requestRedirect: {
        ...(options.scheme !== undefined ? { scheme: options.scheme } : {}),
        ...(options.hostname !== undefined ? { hostname: options.hostname } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(path ? { path } : {}),
        ...(options.statusCode !== undefined ? { statusCode: options.statusCode } : {}),
      },
    });
  }

  /** Rewrites the Host header and/or the path the backend receives. */
  public static urlRewrite(options: UrlRewriteOptions): HttpRouteFilter {
    const path = HttpRouteFilter.path(options.fullPath, options.replacePrefixMatch, 'urlRewrite');
    return new HttpRouteFilter({ type: 'URLRewrite', urlRewrite: { ...(options.hostname !== undefined ? { hostname: options.hostname } : {}), ...(path ? { path } : {}) } });
  }

  /** Changes the request headers the backend receives. */
  public static requestHeaders(options: RequestHeadersOptions): HttpRouteFilter {
    const list = (m: { [name: string]: string } | undefined) => Object.entries(m ?? {}).map(([name, value]) => ({ name, value }));
    return new HttpRouteFilter({
      type: 'RequestHeaderModifier',
      requestHeaderModifier: {
        ...(options.set ? { set: list(options.set) } : {}),
        ...(options.add ? { add: list(options.add) } : {}),
        ...(options.remove ? { remove: [...options.remove] } : {}),
      },
    });
  }

  /** Sends a copy of each request to `backend`; its answers are ignored. */
  public static mirror(backend: HttpRouteBackend): HttpRouteFilter {
    return new HttpRouteFilter({ type: 'RequestMirror', requestMirror: {} }, backend);
  }

  private static path(fullPath: string | undefined, prefix: string | undefined, filter: string): any {
    if (fullPath !== undefined && prefix !== undefined) throw new Error(`HttpRouteFilter.${filter}: give fullPath or replacePrefixMatch, not both`);
    if (fullPath !== undefined) return { type: 'ReplaceFullPath', replaceFullPath: fullPath };
    if (prefix !== undefined) return { type: 'ReplacePrefixMatch', replacePrefixMatch: prefix };
    return undefined;
  }

  private constructor(private readonly spec: any, private readonly mirrorBackend?: HttpRouteBackend) {}

  /** @internal */
  public _render(path: FieldPath, routeNamespace: string | undefined): { filter: any; errors: FieldError[] } {
    if (!this.mirrorBackend) return { filter: structuredClone(this.spec), errors: [] };
    const r = this.mirrorBackend._render(path.child('requestMirror').child('backendRef'), routeNamespace, false);
    return { filter: { type: 'RequestMirror', requestMirror: { backendRef: r.ref } }, errors: r.errors };
  }

  /** @internal */
  public get _isRedirect(): boolean {
    return this.spec.type === 'RequestRedirect';
  }
}

/** One rule of an HTTPRoute. */
export interface HttpRouteRule {
  /**
   * Requests the rule takes (any of them).
   * @default - every request (a `/` path prefix)
   */
  readonly matches?: HttpRouteMatch[];
  /**
   * Where the requests go, split by weight.
   * @default - none (then a filter must answer, e.g. a redirect; otherwise requests get 500)
   */
  readonly backends?: HttpRouteBackend[];
  /**
   * Steps applied in order before forwarding.
   * @default - none
   */
  readonly filters?: HttpRouteFilter[];
  /**
   * The rule's name (for status and policies).
   * @default - unnamed
   */
  readonly name?: string;
}

/** Props for `HttpRoute`. */
export interface HttpRouteProps {
  /** The Gateways (or listeners: `gateway.listener('https')`) the route attaches to. */
  readonly parents: IHttpRouteParent[];
  /**
   * Host names the route serves; `*.example.com` covers every subdomain.
   * @default - every host name its listeners serve
   */
  readonly hostnames?: string[];
  /**
   * Rules, as `addRule` adds them.
   * @default - none
   */
  readonly rules?: HttpRouteRule[];
  /**
   * Metadata of the HTTPRoute.
   * @default - a name generated by cdk8s, the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * A gateway.networking.k8s.io/v1 HTTPRoute. At synth it resolves backend ports, then validates the
 * manifest with the CRD's schema and CEL rules (e.g. a redirect with backends, ReplacePrefixMatch
 * without exactly one pathPrefix match are refused with the API server's messages).
 */
export class HttpRoute extends Construct {
  /** The HTTPRoute's `metadata.name`. */
  public readonly name: string;
  /**
   * The HTTPRoute's namespace.
   * @default - the namespace kubectl applies it to
   */
  public readonly namespace?: string;
  private readonly rules: HttpRouteRule[] = [];

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id);
    const parents = [...props.parents];
    const hostnames = props.hostnames ? [...props.hostnames] : undefined;
    const resource = new ValidatedApiObject(this, 'Resource', {
      apiVersion: GATEWAY_API_VERSION,
      kind: 'HTTPRoute',
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this.render(parents, hostnames).spec }),
    }, () => this.render(parents, hostnames).errors);
    this.name = resource.name;
    this.namespace = resource.metadata.namespace;
    for (const r of props.rules ?? []) this.addRule(r);
  }

  /** Adds a rule; rules keep the order they were added in (it breaks precedence ties). */
  public addRule(rule: HttpRouteRule): void {
    this.rules.push({
      ...rule,
      ...(rule.matches ? { matches: [...rule.matches] } : {}),
      ...(rule.backends ? { backends: [...rule.backends] } : {}),
      ...(rule.filters ? { filters: [...rule.filters] } : {}),
    });
  }

  private render(parents: IHttpRouteParent[], hostnames: string[] | undefined): { spec: any; errors: FieldError[] } {
    const errors: FieldError[] = [];
    const rulesPath = FieldPath.root('spec').child('rules');
    const parentRefs = parents.map((p) => {
      const ref = p.toParentRef();
      return {
        group: GATEWAY_API_GROUP,
        kind: 'Gateway',
        name: ref.name,
        ...(ref.namespace !== undefined && ref.namespace !== this.namespace ? { namespace: ref.namespace } : {}),
        ...(ref.sectionName !== undefined ? { sectionName: ref.sectionName } : {}),
        ...(ref.port !== undefined ? { port: ref.port } : {}),
      };
    });
    if (parentRefs.length === 0) errors.push(invalid(FieldPath.root('spec').child('parentRefs'), [], 'give the route at least one parent Gateway or listener; without one nothing serves it'));
    const rules = this.rules.map((rule, i) => {
      const at = rulesPath.index(i);
      const backends = rule.backends ?? [];
      const backendRefs = backends.map((b, j) => {
        const r = b._render(at.child('backendRefs').index(j), this.namespace, true);
        errors.push(...r.errors);
        return r.ref;
      });
      const filters = (rule.filters ?? []).map((f, j) => {
        const r = f._render(at.child('filters').index(j), this.namespace);
        errors.push(...r.errors);
        return r.filter;
      });
      if (backends.length === 0 && !(rule.filters ?? []).some((f) => f._isRedirect)) {
        errors.push(invalid(at.child('backendRefs'), [], 'a rule without backends and without a redirect answers every request with 500; add a backend or HttpRouteFilter.requestRedirect'));
      }
      return {
        ...(rule.name !== undefined ? { name: rule.name } : {}),
        ...(rule.matches ? { matches: rule.matches.map((m) => m._render()) } : {}),
        ...(filters.length ? { filters } : {}),
        ...(backendRefs.length ? { backendRefs } : {}),
      };
    });
    const spec = {
      parentRefs,
      ...(hostnames && hostnames.length ? { hostnames: [...hostnames] } : {}),
      ...(rules.length ? { rules } : {}),
    };
    return { spec, errors };
  }
}
