import { CheckContext, finding } from './context';
import type { Diagnostic } from '../dataplane/types';

/**
 * StatefulSets and their governing Service: pod DNS names (`<pod>.<serviceName>.<ns>.svc`) exist
 * only when spec.serviceName names a headless Service of the namespace (StatefulSet docs,
 * "Stable Network ID"; CoreDNS kubernetes plugin answers pod hostnames for headless Services only).
 */
export function checkStatefulSets(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const o of ctx.model.inventory.ofKind('apps/v1/StatefulSet')) {
    const name = o.manifest.spec?.serviceName;
    if (typeof name !== 'string' || name === '') continue;
    const svc = ctx.model.serviceByKey.get(`${o.namespace}/${name}`);
    if (!svc) {
      out.push(finding('STATEFULSET_SERVICE_MISSING', o.ref, 'spec.serviceName',
        `governing Service ${o.namespace}/${name} does not exist: names like ${o.name}-0.${name}.${o.namespace}.svc do not resolve`,
        `add a headless Service ${name} (clusterIP: None) in namespace ${o.namespace} selecting the set's pods`));
    } else if (!svc.headless) {
      out.push(finding('STATEFULSET_SERVICE_NOT_HEADLESS', o.ref, 'spec.serviceName',
        `governing Service ${svc.key} has a ClusterIP (${svc.type === 'ExternalName' ? 'ExternalName' : svc.clusterIPs[0]}), not None: pod names like ${o.name}-0.${name}.${o.namespace}.svc do not resolve`,
        `set clusterIP: None on Service ${name}, or add a separate headless Service and name it in spec.serviceName`));
    }
  }
  return out;
}
