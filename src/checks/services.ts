import { CheckContext, finding, labelsText, listText } from './context';
import { isKnownKind } from '../api/validate';
import { findPort, podsMatching } from '../dataplane/endpoints';
import { PROFILE_NGINX } from '../dataplane/ingress/types';
import type { ServiceModel, ServicePortModelInternal } from '../dataplane/services';
import type { Diagnostic } from '../dataplane/types';
import { MODELLED_CUSTOM_KINDS, PodModel } from '../dataplane/workloads';

/**
 * Why a selector matches nothing: pods of other namespaces it would match (a Service selects
 * only in its own namespace), else the pod of its namespace closest to it and the labels that differ.
 */
function nearMiss(ctx: CheckContext, svc: ServiceModel): string | undefined {
  const selector = svc.selector!;
  const elsewhere: string[] = [];
  for (const [ns, postings] of ctx.model.endpoints.podsByLabel) {
    if (ns === svc.namespace) continue;
    for (const pod of podsMatching(postings, selector)) elsewhere.push(pod.key);
  }
  if (elsewhere.length) return `pods ${listText(elsewhere)} match but live in another namespace; a Service selects pods of its own namespace only`;
  let best: PodModel | undefined;
  let bestScore = 0;
  for (const pod of ctx.model.workloads.podsByNamespace.get(svc.namespace) ?? []) {
    // Equal values count most, then shared keys: `app=wbe` is closest to a pod with `app=web`.
    const score = Object.keys(selector).reduce((n, k) => n + (pod.labels[k] === selector[k] ? 2 : k in pod.labels ? 1 : 0), 0);
    if (score > bestScore) {
      best = pod;
      bestScore = score;
    }
  }
  if (!best) return 'fix the selector or the pod template labels so they agree';
  const differ = Object.keys(selector).filter((k) => best!.labels[k] !== selector[k])
    .map((k) => `${k}=${selector[k]} (pod has ${best!.labels[k] === undefined ? 'no such label' : `${k}=${best!.labels[k]}`})`);
  return `closest pod ${best.key} differs in ${differ.join(', ')}`;
}

function portText(port: ServicePortModelInternal): string {
  return `${port.name ? `${port.name} ` : ''}${port.port}/${port.protocol}`;
}

function checkSelected(ctx: CheckContext, svc: ServiceModel, out: Diagnostic[]): void {
  const pods = ctx.model.endpoints.selected.get(svc.key) ?? [];
  if (pods.length === 0) {
    // An operator's custom resource in the namespace may create the pods the model cannot see.
    const custom = ctx.model.inventory.objects.filter((o) => o.namespace === svc.namespace && o.apiVersion.includes('.')
      && !isKnownKind(o.apiVersion, o.kind) && !MODELLED_CUSTOM_KINDS.has(`${o.apiVersion}/${o.kind}`));
    if (custom.length) {
      out.push(finding('SERVICE_SELECTOR_CUSTOM_RESOURCE', svc.ref, 'spec.selector',
        `selector ${labelsText(svc.selector!)} matches no modelled pod; pods may come from the custom resources ${listText(custom.map((o) => o.ref))}, whose controllers the model does not run`));
      return;
    }
    out.push(finding('SERVICE_SELECTOR_NO_MATCH', svc.ref, 'spec.selector',
      `selector ${labelsText(svc.selector!)} matches no pod in namespace ${svc.namespace}: the Service has no endpoints`, nearMiss(ctx, svc)));
    return;
  }
  // The classic mix-up: a selector broad enough to take in another app's pods.
  const owners = [...new Set(pods.map((p) => p.owner ?? `Pod/${p.key}`))];
  if (owners.length > 1) {
    out.push(finding('SERVICE_SELECTOR_SPANS_WORKLOADS', svc.ref, 'spec.selector',
      `selector ${labelsText(svc.selector!)} matches the pods of ${owners.length} workloads (${listText(owners)}): connections are spread over all of them`,
      'add a label only one workload\'s pods carry to the selector (or accept the split with a suppression, e.g. for a canary)'));
  }
  const perPort = ctx.model.endpoints.byService.get(svc.key) ?? [];
  let portProblem = false;
  for (const pe of perPort) {
    const port = pe.port;
    const field = `spec.ports[${port.index}].targetPort`;
    if (typeof port.targetPort === 'string') {
      const unresolved = pods.filter((p) => findPort(p, port, ctx.model.options.kubernetes.sidecarNamedPorts) === undefined);
      if (unresolved.length === 0) continue;
      portProblem = true;
      // FindPort needs the name and the protocol to agree.
      const otherProtocol = unresolved.map((p) => p.ports.find((cp) => cp.name === port.targetPort)).find((cp) => cp !== undefined);
      const some = unresolved.length < pods.length ? ` (${unresolved.length} of ${pods.length} selected pods)` : '';
      const onSidecar = unresolved.some((p) => p.sidecarPorts.some((cp) => cp.name === port.targetPort && cp.protocol === port.protocol));
      if (onSidecar) {
        out.push(finding('SERVICE_TARGET_PORT_UNRESOLVED', svc.ref, field,
          `port ${portText(port)}: "${port.targetPort}" is a port of a sidecar (an init container with restartPolicy: Always) of ${listText(unresolved.map((p) => p.key))}; ` +
          `the EndpointSlice controller of Kubernetes ${ctx.model.options.kubernetes.version} looks only at regular containers, so no endpoint has it${some}`,
          'use the containerPort number, or run Kubernetes 1.33 or later (kubernetes#128850)'));
      } else if (otherProtocol) {
        out.push(finding('SERVICE_PROTOCOL_MISMATCH', svc.ref, `spec.ports[${port.index}].protocol`,
          `port ${portText(port)}: container port "${port.targetPort}" of ${listText(unresolved.map((p) => p.key))} is ${otherProtocol.protocol}, not ${port.protocol}, so it is not an endpoint${some}`,
          `make the Service port's protocol ${otherProtocol.protocol} or the container port's ${port.protocol}`));
      } else {
        out.push(finding('SERVICE_TARGET_PORT_UNRESOLVED', svc.ref, field,
          `port ${portText(port)}: no container of ${listText(unresolved.map((p) => p.key))} has a port named "${port.targetPort}", so ${unresolved.length < pods.length ? 'those pods are' : 'no pod is'} an endpoint of it${some}`,
          `name a container port "${port.targetPort}" (protocol ${port.protocol}) or use a containerPort number`));
      }
      continue;
    }
    // Declaring a containerPort is informational (the pod spec docs), so only pods that declare
    // ports at all, none of them this one, are suspicious.
    const declaring = pods.filter((p) => p.ports.length > 0);
    if (declaring.length === 0) continue;
    if (declaring.some((p) => p.ports.some((cp) => cp.port === port.targetPort && cp.protocol === port.protocol))) continue;
    const other = declaring.flatMap((p) => p.ports).find((cp) => cp.port === port.targetPort);
    if (other) {
      out.push(finding('SERVICE_PROTOCOL_MISMATCH', svc.ref, `spec.ports[${port.index}].protocol`,
        `port ${portText(port)}: the selected pods declare port ${port.targetPort} as ${other.protocol}, not ${port.protocol}`,
        `make the Service port's protocol ${other.protocol}, or declare ${port.targetPort}/${port.protocol} on the container`));
    } else {
      const declared = [...new Set(declaring.flatMap((p) => p.ports.map((cp) => `${cp.port}/${cp.protocol}`)))];
      out.push(finding('SERVICE_TARGET_PORT_UNDECLARED', svc.ref, field,
        `port ${portText(port)} targets ${port.targetPort}, which no container of the selected pods declares (they declare ${listText(declared)})`,
        `point targetPort at a declared container port, or declare ${port.targetPort} in the pod template`));
    }
  }
  if (portProblem || perPort.length === 0) return;
  if (perPort.every((pe) => pe.ready.length === 0)) {
    out.push(finding('SERVICE_NO_READY_ENDPOINTS', svc.ref, 'spec.selector',
      `selects ${pods.length} pod(s) (${listText(pods.map((p) => p.key))}) but none is ready: the Service has no ready endpoint`,
      'check the pods\' readiness probes; set publishNotReadyAddresses only if clients may reach unready pods'));
    return;
  }
  if (svc.externalTrafficLocal) {
    const withEndpoint = new Set(perPort.flatMap((pe) => pe.ready.map((e) => e.node?.name)));
    const without = ctx.model.workloads.nodes.filter((n) => !withEndpoint.has(n.name)).map((n) => n.name);
    if (without.length) {
      out.push(finding('SERVICE_LOCAL_TRAFFIC_NODES_WITHOUT_ENDPOINT', svc.ref, 'spec.externalTrafficPolicy',
        `externalTrafficPolicy Local: ${listText(without, 5)} ${without.length === 1 ? 'has' : 'have'} no ready endpoint, so kube-proxy drops external traffic arriving there (node ports time out; load balancers health-check those nodes out via healthCheckNodePort)`,
        'run a pod on every node (a DaemonSet or more replicas with topology spread), or use externalTrafficPolicy Cluster if the client IP need not be preserved'));
    }
  }
}

/** Service checks: selectors, target ports, protocols, readiness, affinity, traffic policy. */
export function checkServices(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const svc of ctx.model.services) {
    if (svc.selector) checkSelected(ctx, svc, out);
    if (svc.sessionAffinity !== 'ClientIP') continue;
    if (svc.headless) {
      out.push(finding('SERVICE_AFFINITY_HEADLESS', svc.ref, 'spec.sessionAffinity',
        'sessionAffinity ClientIP on a headless Service has no effect: clients connect to pod IPs from DNS, and kube-proxy programs no rules for a Service without ClusterIP',
        'drop sessionAffinity, or give the Service a ClusterIP'));
      continue;
    }
    const backends = ctx.backendsByService.get(svc.key) ?? [];
    if (backends.length && svc.type === 'ClusterIP' && svc.externalIPs.length === 0) {
      const via = [...new Set(backends.map((b) => b.ingress.ref))];
      const nginx = ctx.ingress?.profile === PROFILE_NGINX;
      out.push(finding('SERVICE_AFFINITY_BEHIND_INGRESS', svc.ref, 'spec.sessionAffinity',
        nginx
          ? `sessionAffinity ClientIP, but the Service is reached through ${listText(via)} and ingress-nginx sends requests to the endpoints directly, not via the ClusterIP: the affinity is never applied`
          : `sessionAffinity ClientIP, but the Service is reached through ${listText(via)}: kube-proxy sees the ingress controller's pod IP as the client, so every user behind one controller replica is pinned to the same pod`,
        nginx
          ? 'use cookie affinity at the ingress (nginx.ingress.kubernetes.io/affinity: cookie) and drop sessionAffinity'
          : 'use the ingress controller\'s own (cookie) affinity and drop sessionAffinity'));
    }
  }
  return out;
}
