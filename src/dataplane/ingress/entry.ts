/**
 * Plugs the ingress controller model into the Cluster façade (internal): compiles it from the
 * cluster's inventory and endpoints, gives it an address, and answers requests from outside
 * addressed to an Ingress host or to that address.
 */
import { diagnostic } from '../diagnostic-codes';
import type { CompiledModel, ExternalEntry, ExternalRequest } from '../model';
import type { HttpRequest } from '../routing/engine';
import { Trace } from '../trace';
import { RequestResult } from '../types';
import { readyEndpointLookup } from '../upstreams';
import { isIpLiteral } from '../util';
import type { PodModel } from '../workloads';
import { IngressController } from './controller';
import { findInstalledController, InstalledController } from './installed';
import { INGRESS_COMPONENT as COMPONENT } from './types';

/** The controller of a compiled cluster plus its entry point (internal). */
export interface IngressEntry extends ExternalEntry {
  readonly controller: IngressController;
  /** The controller's external IP, when it is modelled as reachable. */
  readonly address?: string;
  /** The controller the manifests install, when they do. */
  readonly installed?: InstalledController;
  /**
   * Answers an HTTP(S) request that reached a pod of the installed controller (through its
   * Service's LoadBalancer IP, node ports or ClusterIP, or the pod itself) on `port`.
   */
  serve(request: ExternalRequest, port: number, pod: PodModel, trace: Trace): RequestResult;
}

/**
 * Compiles the ingress controller over the cluster's accepted objects. It is reachable from
 * outside when the manifests hold an Ingress or the options configure a controller.
 */
export function buildIngressEntry(model: CompiledModel): IngressEntry {
  const options = model.options.raw.ingressController ?? {};
  const inv = model.inventory;
  const endpoints = readyEndpointLookup(model);
  const ingresses = inv.ofKind('networking.k8s.io/v1/Ingress').map((o) => o.manifest);
  const controller = IngressController.compile({
    ingresses,
    ingressClasses: inv.ofKind('networking.k8s.io/v1/IngressClass').map((o) => o.manifest),
    secrets: inv.ofKind('v1/Secret').map((o) => o.manifest),
    services: model.services.map((s) => s.manifest),
    endpoints,
    random: model.prng,
    clock: wallClock(model),
  }, options);
  for (const c of controller.ignoredCanaries) {
    model.diagnostics.push(diagnostic({ code: 'INGRESS_CANARY_WITHOUT_MAIN', object: `Ingress/${c.ingress}`, message: c.message }));
  }
  const installed = findInstalledController(model);
  const modelled = installed !== undefined || ingresses.length > 0 || model.options.raw.ingressController !== undefined;
  const address = installed?.address ?? (!modelled ? undefined : options.address ?? model.ipam.allocateLoadBalancerIp('ingress-controller', 'the ingress controller'));
  return {
    controller,
    address,
    installed,
    enter: (request, trace) => (modelled ? enter(model, controller, address, installed, request, trace) : undefined),
    serve: (request, port, pod, trace) => serve(model, controller, request, port, pod, trace),
  };
}

/** Seconds since the epoch: ClusterOptions.now (else the compile time) plus the model's virtual clock (advanceClock). */
function wallClock(model: CompiledModel): () => number {
  const base = Math.floor((model.options.raw.now?.getTime() ?? Date.now()) / 1000);
  return () => base + model.clock.now;
}


/** A request from outside addressed to the controller: by its address, or an Ingress host whose DNS points at it. */
function enter(
  model: CompiledModel, controller: IngressController, address: string | undefined, installed: InstalledController | undefined,
  request: ExternalRequest, trace: Trace,
): RequestResult | undefined {
  const { urlHost } = request;
  const toAddress = address !== undefined && urlHost === address;
  if (!toAddress && isIpLiteral(urlHost)) return undefined;
  const named = !toAddress && controller.servesHost(urlHost);
  if (!toAddress && !named && !controller.servesAnyHost()) return undefined;
  const at = address ?? 'its address';
  trace.add('client', 'route', toAddress
    ? `${urlHost} is the ingress controller's address`
    : named
      ? `${urlHost} is an Ingress host: its DNS points at the ingress controller (${at})`
      : `no Ingress rule names ${urlHost}, but an Ingress answers every host: the model assumes its DNS points at the ingress controller (${at})`);
  if (!installed) return serve(model, controller, request, request.port, undefined, trace);
  // The controller of the manifests: kube-proxy takes the connection to one of its pods first
  // (its Service's traffic policy applies), then that pod routes by Host.
  trace.add(COMPONENT, 'installed', `the manifests install the controller (${installed.workload}, Service ${installed.service.key} at ${installed.address}): the connection goes through kube-proxy to its pods`,
    installed.service.ref);
  const reached = request.connect(installed.address, request.port, trace);
  if (!reached.connected) return { status: 0, error: reached.error, trace: trace.hops };
  return serve(model, controller, request, reached.endpoint?.port ?? request.port, reached.endpoint?.pod, trace);
}

/** The controller answers on its `port`: nginx's listeners, TLS, routing, and the upstream connection. */
function serve(
  model: CompiledModel, controller: IngressController, request: ExternalRequest, port: number, controllerPod: PodModel | undefined, trace: Trace,
): RequestResult {
  const { url, urlHost } = request;
  const https = url.protocol === 'https:';
  if (port !== 80 && port !== 443) {
    trace.add(COMPONENT, 'no-listener', `the controller listens on 80 (HTTP) and 443 (HTTPS), not ${port}: connection refused`);
    return { status: 0, error: 'connection refused', trace: trace.hops };
  }
  if (https && port === 80) {
    trace.add(COMPONENT, 'reject', 'a TLS ClientHello sent to the plain-HTTP port 80: the handshake fails');
    return { status: 0, error: 'TLS handshake failed', trace: trace.hops };
  }
  if (!https && port === 443) {
    trace.add(COMPONENT, 'respond', 'plain HTTP sent to the HTTPS port 443: nginx answers 400 (The plain HTTP request was sent to HTTPS port)');
    return { status: 400, trace: trace.hops };
  }
  const sni = https ? request.options.sni ?? (isIpLiteral(urlHost) ? undefined : urlHost) : undefined;
  const req: { -readonly [K in keyof HttpRequest]: HttpRequest[K] } = {
    scheme: https ? 'https' : 'http',
    host: request.hostHeader,
    path: url.pathname,
    query: url.search,
    method: (request.options.method ?? 'GET').toUpperCase(),
  };
  if (sni !== undefined) req.sni = sni;
  // Canaries and cookie affinity read request headers and cookies.
  if (request.options.headers) req.headers = request.options.headers;
  // The controller adds its hops to this request's trace, so its answer is the request's answer.
  const routed = controller.route(req, trace);
  // The controller's pods (the installed ones, else ingress-nginx's chart: see docs/model.md) open
  // the upstream connection to the endpoint pod directly, so that pod's ingress policies (and the controller's egress) apply.
  const policies = model.networkPolicies;
  const upstreamDenied = routed.status === 200 && routed.pod !== undefined
    && !policies.upstreamAllowed(controllerPod ?? policies.ingressController, routed.pod, routed.endpoint!, routed.targetPort!, trace);
  if (upstreamDenied) {
    const { endpoint: _endpoint, targetPort: _targetPort, pod: _pod, upstream: _upstream, trace: hops, ...rest } = routed;
    trace.add(COMPONENT, 'respond', `connecting to upstream ${routed.endpoint} timed out (proxy_connect_timeout): 504 Gateway Timeout`, `Pod/${routed.pod}`);
    return { ...rest, status: 504, trace: hops };
  }
  if (routed.status === 200 && routed.pod) {
    trace.add('pod', 'respond', `${routed.pod} answers 200 on port ${routed.targetPort}`, `Pod/${routed.pod}`);
  } else if (routed.status === 200) {
    trace.add('pod', 'respond', `${routed.endpoint} is not a modelled pod; the model assumes it answers 200`);
  }
  return routed;
}
