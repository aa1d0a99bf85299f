import { CheckContext, finding } from './context';
import { NGINX_ANNOTATION_PREFIX as NGINX_PREFIX, parseGoBool } from '../dataplane/ingress/nginx-annotations';
import type { Diagnostic } from '../dataplane/types';

/** Annotations with which a cloud load balancer in front of the Ingress terminates TLS, and whose. */
const CLOUD_TLS_ANNOTATIONS: Readonly<Record<string, string>> = {
  'networking.gke.io/managed-certificates': 'a Google-managed certificate on the GKE load balancer',
  'ingress.gcp.kubernetes.io/pre-shared-cert': 'a pre-shared certificate on the GCE load balancer',
  'alb.ingress.kubernetes.io/certificate-arn': 'an ACM certificate on the AWS Application Load Balancer',
  'appgw.ingress.kubernetes.io/appgw-ssl-certificate': 'the Azure Application Gateway',
};

/** What reaches the Services and Ingresses from outside, and how safely. */
export function checkExposure(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const svc of ctx.model.services) {
    if (svc.externalIPs.length) {
      out.push(finding('EXPOSURE_EXTERNAL_IPS', svc.ref, 'spec.externalIPs',
        `externalIPs ${svc.externalIPs.join(', ')}: kube-proxy captures traffic to these addresses on every node, whoever owns them (CVE-2020-8554: anyone who can create Services can intercept traffic this way)`,
        'use a LoadBalancer Service instead, and restrict externalIPs cluster-wide (DenyServiceExternalIPs admission plugin or a policy)'));
    }
    if (svc.type === 'NodePort') {
      const ports = svc.ports.map((p) => p.nodePort).filter((p) => p !== undefined);
      out.push(finding('EXPOSURE_NODE_PORT', svc.ref, 'spec.type',
        `NodePort: reachable on every node's IP${ports.length ? ` at port ${ports.join(', ')}` : ''}, by anything that can reach the nodes`));
    }
    if (svc.type === 'LoadBalancer') {
      out.push(finding('EXPOSURE_LOAD_BALANCER', svc.ref, 'spec.type',
        `LoadBalancer: exposed at ${svc.loadBalancerIPs.length ? svc.loadBalancerIPs.join(', ') : 'an external address'}${svc.ports.some((p) => p.nodePort !== undefined) ? ' and on node ports of every node' : ''}`));
      // The spec's ranges, else the legacy annotation's (src/api readServiceSpec).
      if (svc.spec.loadBalancerSourceRanges.length === 0) {
        out.push(finding('EXPOSURE_LOAD_BALANCER_OPEN', svc.ref, 'spec.loadBalancerSourceRanges',
          'LoadBalancer without loadBalancerSourceRanges: the cloud firewall admits every client address (0.0.0.0/0)',
          'list the client CIDRs in spec.loadBalancerSourceRanges, or keep the Service internal (ClusterIP behind an Ingress)'));
      }
    }
  }
  // Both controller profiles pick certificates by host across Ingresses, so another
  // Ingress's tls section can cover this one's hosts.
  const tlsHosts = new Set<string>();
  for (const ing of ctx.ingresses) {
    for (const t of Array.isArray(ing.manifest.spec?.tls) ? ing.manifest.spec.tls : []) {
      for (const h of Array.isArray(t?.hosts) ? t.hosts : []) if (typeof h === 'string') tlsHosts.add(h.toLowerCase());
    }
  }
  const tlsElsewhere = (host: unknown) => {
    if (typeof host !== 'string' || host === '') return false;
    const h = host.toLowerCase();
    const dot = h.indexOf('.');
    return tlsHosts.has(h) || (dot > 0 && tlsHosts.has(`*${h.slice(dot)}`));
  };
  for (const ing of ctx.ingresses) {
    const spec = ing.manifest.spec ?? {};
    const rules: any[] = Array.isArray(spec.rules) ? spec.rules : [];
    const hasTls = (Array.isArray(spec.tls) && spec.tls.length > 0) || (rules.length > 0 && rules.every((r) => tlsElsewhere(r?.host)));
    const annotations: Record<string, unknown> = ing.manifest.metadata?.annotations ?? {};
    const cloudTls = Object.keys(CLOUD_TLS_ANNOTATIONS).find((key) => typeof annotations[key] === 'string' && annotations[key] !== '');
    if (!hasTls && (rules.length > 0 || spec.defaultBackend) && cloudTls) {
      out.push(finding('INGRESS_TLS_AT_LOAD_BALANCER', ing.ref, `metadata.annotations[${cloudTls}]`,
        `no tls section, but ${CLOUD_TLS_ANNOTATIONS[cloudTls]} terminates TLS in front of the cluster (${cloudTls}); the model does not follow traffic before the Ingress`));
    } else if (!hasTls && (rules.length > 0 || spec.defaultBackend)) {
      out.push(finding('INGRESS_NO_TLS', ing.ref, 'spec.tls',
        'no tls section: the Ingress serves plain HTTP, so traffic and cookies cross the network unencrypted',
        'add spec.tls with a certificate Secret for the hosts (cert-manager can issue one)'));
    }
    const sslRedirect = annotations[`${NGINX_PREFIX}ssl-redirect`];
    if (hasTls && typeof sslRedirect === 'string' && parseGoBool(sslRedirect) === false) {
      out.push(finding('INGRESS_SSL_REDIRECT_DISABLED', ing.ref, `metadata.annotations[${NGINX_PREFIX}ssl-redirect]`,
        `ssl-redirect is "${sslRedirect}": plain-HTTP requests are served instead of being redirected to HTTPS`,
        'remove the annotation (ingress-nginx redirects hosts that have a certificate by default)'));
    }
    for (const key of Object.keys(annotations).sort()) {
      if (!key.startsWith(NGINX_PREFIX) || !key.endsWith('-snippet')) continue;
      out.push(finding('INGRESS_NGINX_SNIPPET', ing.ref, `metadata.annotations[${key}]`,
        `${key.slice(NGINX_PREFIX.length)} injects raw nginx configuration: with allow-snippet-annotations on, whoever can edit Ingresses can read the controller's credentials and every Secret it sees (CVE-2021-25742); since v1.9 the controller ignores snippets by default`,
        'use a dedicated annotation or the controller ConfigMap instead; keep allow-snippet-annotations off and ingress-nginx at v1.11.5/v1.12.1 or later (CVE-2025-1974, annotation injection through the admission webhook)'));
    }
    rules.forEach((rule, i) => {
      if (rule?.host === undefined || rule.host === '') {
        out.push(finding('INGRESS_ANY_HOST', ing.ref, `spec.rules[${i}].host`,
          'the rule has no host: it answers requests for every Host name, including ones the Ingress was not meant for',
          'set spec.rules[].host to the public host name'));
      }
    });
  }
  return out;
}
