/**
 * The ingress controller of the dataplane model (internal): which Ingresses it serves
 * (admission), and its profile — `portable` (the Kubernetes Ingress specification) or `nginx`
 * (kubernetes/ingress-nginx v1.15.1) — compiled once into a route table that the routing engine
 * answers requests over.
 */
import { IngressView, readIngress, readIngressClass } from '../../api/ingress-reader';
import { CertificateStore, TlsCertificate } from '../routing/certificates';
import { HttpRequest, LocatedRule, RouteEngine, RouteResult } from '../routing/engine';
import { RouteTable } from '../routing/ir';
import { Trace } from '../trace';
import { canonicalHost } from '../util';
import { admit, chooseIdentity, creationOrder, indexClasses } from './admission';
import { BackendResolver, upstreamEndpoints } from './backends';
import { compileNginx, IgnoredCanary, NGINX_PORT_RULE } from './nginx';
import { CompileContext, compilePortable, SPEC_PORT_RULE } from './portable';
import { INGRESS_COMPONENT, IngressControllerInput, IngressControllerOptions, IngressStatus, LocatedPath, PROFILE_NGINX } from './types';

/** The controller's generated fake certificate. */
const FAKE_CERTIFICATE: TlsCertificate = { secret: '@default' };

/**
 * A compiled ingress controller. Build it with `IngressController.compile`, then ask
 * `ingressStatus()` and `route()` as often as needed.
 */
export class IngressController {
  /**
   * Compiles the controller's tables from manifests the API server accepted (defaults applied).
   * Throws an Error naming the option for an unusable option value.
   */
  public static compile(input: IngressControllerInput, options: IngressControllerOptions = {}): IngressController {
    return new IngressController(input, options);
  }

  /** `portable` or `nginx`. */
  public readonly profile: string;
  /** The `spec.controller` value this controller answers to, when known. */
  public readonly controllerName?: string;
  /** The legacy class annotation value it answers to, when known. */
  public readonly className?: string;
  /** How the profile was chosen, for traces. */
  public readonly profileReason: string;
  /** Canary Ingresses the controller merges into no location (nginx profile). */
  public readonly ignoredCanaries: readonly IgnoredCanary[];
  /** The compiled routes, for comparison with another front door's. */
  public readonly routes: RouteTable;
  /** Whether some admitted Ingress answers any host name (decided at compile: asked for every request to an unnamed host). */
  private readonly anyHost: boolean;
  /** By Ingress `namespace/name`, in creation order. */
  private readonly statuses = new Map<string, IngressStatus>();
  private readonly engine: RouteEngine;

  private constructor(input: IngressControllerInput, options: IngressControllerOptions) {
    const ingresses = input.ingresses.map(readIngress);
    const classes = indexClasses(input.ingressClasses.map(readIngressClass));
    const identity = chooseIdentity(ingresses, classes, options);
    this.profile = identity.profile;
    this.profileReason = identity.reason;
    this.controllerName = identity.controllerName;
    this.className = identity.className;

    const admitted: IngressView[] = [];
    for (const ing of creationOrder(ingresses)) {
      const status = admit(ing, classes, options, identity);
      this.statuses.set(ing.key, status);
      if (status.admitted) admitted.push(ing);
    }
    const nginx = this.profile === PROFILE_NGINX;
    const certificates = new CertificateStore(input.secrets);
    const ctx: CompileContext = {
      certificates,
      backends: new BackendResolver(input.services, nginx ? NGINX_PORT_RULE : SPEC_PORT_RULE),
      ...defaultCertificate(certificates, options.defaultSslCertificate),
    };
    const compiled = nginx ? compileNginx(admitted, ctx, options.sslRedirect ?? true) : { ...compilePortable(admitted, ctx), ignoredCanaries: [] };
    this.routes = compiled.table;
    this.anyHost = compiled.answersAnyHost;
    this.ignoredCanaries = compiled.ignoredCanaries;
    this.engine = new RouteEngine(compiled.table, upstreamEndpoints(input.endpoints), input.random, input.clock);
  }

  /** Whether the controller serves the Ingress `namespace/name`, and why. */
  public ingressStatus(key: string): IngressStatus {
    return this.statuses.get(key) ?? { admitted: false, reason: `there is no Ingress ${key} among the accepted manifests` };
  }

  /** The keys of every Ingress the controller knows, in creation order. */
  public ingressKeys(): string[] {
    return [...this.statuses.keys()];
  }

  /** Whether a host name (no port) is one an admitted Ingress rule names, exactly or by wildcard. */
  public servesHost(host: string): boolean {
    return this.engine.servesHost(host);
  }

  /**
   * Whether some admitted Ingress answers any host name: a rule without host, or (nginx) a
   * rule-less Ingress holding the catch-all server, or (portable) any defaultBackend.
   */
  public servesAnyHost(): boolean {
    return this.anyHost;
  }

  /**
   * Which Ingress path answers `host` + `path`, without routing a request (no TLS, redirect or
   * endpoint pick, so no state changes): for the checks' shadowing analysis.
   */
  public locate(host: string, path: string): LocatedPath | undefined {
    const found: LocatedRule | undefined = this.engine.locate(canonicalHost(host), path);
    const origin = found?.rule.origin;
    if (!origin) return undefined;
    return { ingress: origin.ingress, path: origin.path, pathType: origin.pathType, rule: origin.rule, shadowed: [...origin.shadowed] };
  }

  /**
   * Answers one HTTP(S) request that reached the controller; its hops are added to `trace`
   * (the caller's, so a request entering from outside is not copied into a second trace).
   */
  public route(req: HttpRequest, trace: Trace = new Trace()): RouteResult {
    trace.add(INGRESS_COMPONENT, 'profile', `${this.profile} profile (${this.profileReason})`);
    return this.engine.route(req, trace);
  }
}

/** ingress-nginx `--default-ssl-certificate`, else the generated fake certificate. */
function defaultCertificate(certificates: CertificateStore, ref: string | undefined): Pick<CompileContext, 'defaultCertificate' | 'defaultCertificateNote'> {
  if (ref === undefined) return { defaultCertificate: FAKE_CERTIFICATE };
  const read = certificates.certificate(ref);
  return read.ok
    ? { defaultCertificate: { secret: '@default', x509: read.cert.x509 }, defaultCertificateNote: `the default certificate from Secret ${ref}` }
    : { defaultCertificate: FAKE_CERTIFICATE, defaultCertificateNote: `--default-ssl-certificate ${ref} is unusable (${read.reason}); the generated fake certificate is the default` };
}
