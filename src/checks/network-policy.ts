import { CheckContext, finding, listText } from './context';
import { labelSelectorMatches } from '../api/workloads';
import type { PolicyParty, PolicyPod } from '../dataplane/network-policy';
import type { Diagnostic } from '../dataplane/types';

/** Namespaces every kubeadm cluster has, plus the one the ingress controller is modelled in. */
const CLUSTER_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'ingress-nginx'];

/**
 * NetworkPolicy findings: policies that select nothing or name what does not exist, and
 * traffic the model's verdicts show blocked where an app needs it (Ingress backends, DNS).
 */
export function checkNetworkPolicies(ctx: CheckContext): Diagnostic[] {
  const { model } = ctx;
  const policies = model.networkPolicies;
  if (policies.policies.length === 0) return [];
  const out: Diagnostic[] = [];
  const w = model.workloads;
  const standIns = [policies.coreDns, policies.ingressController];
  const podsIn = (ns: string): readonly PolicyPod[] => [...(w.podsByNamespace.get(ns) ?? []), ...standIns.filter((p) => p.namespace === ns)];
  const namespaces = new Set<string>(CLUSTER_NAMESPACES);
  for (const o of model.inventory.objects) {
    if (o.namespace !== undefined) namespaces.add(o.namespace);
    else if (o.kind === 'Namespace') namespaces.add(o.name);
  }

  for (const policy of policies.policies) {
    const spec = policy.manifest.spec;
    const selected = podsIn(policy.namespace).filter((p) => !p.hostNetwork && labelSelectorMatches(spec.podSelector, p.labels));
    if (selected.length === 0) {
      out.push(finding('NETPOL_SELECTS_NO_POD', policy.ref, 'spec.podSelector',
        `the podSelector matches no pod of namespace ${policy.namespace}: the policy isolates and allows nothing`,
        'check the labels against the pod templates (a policy selects pods of its own namespace only)'));
    }
    for (const direction of ['ingress', 'egress'] as const) {
      const rules: any[] = Array.isArray(spec[direction]) ? spec[direction] : [];
      const peersField = direction === 'ingress' ? 'from' : 'to';
      rules.forEach((rule, i) => {
        (Array.isArray(rule?.[peersField]) ? rule[peersField] : []).forEach((peer: any, j: number) => {
          if (!peer?.namespaceSelector) return;
          if ([...namespaces].some((ns) => labelSelectorMatches(peer.namespaceSelector, policies.labelsOfNamespace(ns)))) return;
          out.push(finding('NETPOL_NAMESPACE_SELECTOR_NO_MATCH', policy.ref, `spec.${direction}[${i}].${peersField}[${j}].namespaceSelector`,
            `the namespaceSelector matches none of the namespaces the manifests use (${listText([...namespaces].sort(), 6)}): the peer admits nobody`,
            'namespace labels come from Namespace manifests; `kubernetes.io/metadata.name: <name>` selects a namespace by name'));
        });
        (Array.isArray(rule?.ports) ? rule.ports : []).forEach((port: any, j: number) => {
          if (typeof port?.port !== 'string') return;
          // Ingress ports name the selected pods' ports; egress ports name the destinations'.
          const candidates = direction === 'ingress' ? selected : w.pods;
          if (candidates.some((p) => p.ports.some((c) => c.name === port.port && c.protocol === port.protocol))) return;
          out.push(finding('NETPOL_NAMED_PORT_UNKNOWN', policy.ref, `spec.${direction}[${i}].ports[${j}].port`,
            `no ${direction === 'ingress' ? 'selected ' : ''}pod has a ${port.protocol} container port named "${port.port}": the rule allows no port`,
            'name the port as the containers declare it, or use its number'));
        });
      });
    }
  }

  if (!policies.active) return out;
  const controller = policies.ingressController;
  const fromController: PolicyParty = { ip: controller.ip ?? '', pod: controller };
  for (const [key, backends] of ctx.backendsByService) {
    const svc = model.serviceByKey.get(key);
    if (!svc) continue;
    const denied = new Map<string, string[]>();
    let reachable = 0;
    for (const pe of model.endpoints.byService.get(key) ?? []) {
      if (!backends.some((b) => b.port === pe.port.port || (pe.port.name !== undefined && b.port === pe.port.name))) continue;
      for (const e of pe.ready) {
        if (!e.pod) continue;
        const verdict = policies.judge(controller, fromController, { ip: e.ip, pod: e.pod }, e.port, 'TCP');
        if (verdict.allowed) reachable++;
        else denied.set(e.pod.key, verdict[verdict.egress.allowed ? 'ingress' : 'egress'].isolating.map((p) => p.key));
      }
    }
    if (denied.size === 0) continue;
    const names = [...new Set([...denied.values()].flat())];
    out.push(finding('NETPOL_BLOCKS_INGRESS_BACKEND', svc.ref, undefined,
      `${reachable ? `${denied.size} of ${denied.size + reachable}` : 'every one of the'} backend pod(s) of ${listText(backends.map((b) => b.ingress.ref))} `
      + `is unreachable from the ingress controller (${controller.key}): NetworkPolicy ${listText(names)} isolates ${listText([...denied.keys()])} and allows no connection from it`,
      `allow ingress from namespaceSelector kubernetes.io/metadata.name: ${controller.namespace} with podSelector app.kubernetes.io/name: ingress-nginx`));
  }

  const reported = new Set<string>();
  for (const pod of w.pods) {
    if (!pod.ip || pod.hostNetwork || pod.dnsPolicy !== 'ClusterFirst') continue;
    const owner = pod.owner ?? `Pod/${pod.key}`;
    if (reported.has(owner)) continue;
    const coreDns = policies.coreDns;
    const verdict = policies.judge(pod, { ip: pod.ip, pod }, { ip: coreDns.ip ?? '', pod: coreDns }, 53, 'UDP');
    if (verdict.allowed) continue;
    reported.add(owner);
    const direction = verdict.egress.allowed ? 'ingress' : 'egress';
    out.push(finding('NETPOL_DNS_EGRESS_BLOCKED', owner, undefined,
      `${pod.key} cannot reach cluster DNS (kube-system CoreDNS, 53/UDP): NetworkPolicy ${listText(verdict[direction].isolating.map((p) => p.key))} `
      + `${direction === 'egress' ? 'isolates its egress' : 'isolates CoreDNS'} and allows no such connection, so every name lookup times out`,
      'allow egress to namespaceSelector kubernetes.io/metadata.name: kube-system, podSelector k8s-app: kube-dns on port 53 UDP and TCP'));
  }
  return out;
}
