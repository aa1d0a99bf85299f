/**
 * The cdk8s validation plugin: `cdk8s synth` runs it over the synthesized manifests when an app's
 * cdk8s.yaml lists it under `validations:`. Every unsuppressed finding of the model and the
 * checks becomes a violation naming the rule, the fix and the construct path; the synth fails at
 * the chosen severity.
 */
import { readFileSync } from 'node:fs';
import { Cluster } from './cluster';
import { isNamespacedKind, objectRef } from '../dataplane/inventory';
import { parseYamlDocuments } from '../dataplane/loader';
import { ClusterOptions, Diagnostic } from '../dataplane/types';

const SEVERITIES = ['error', 'warning', 'info'];

/** `properties:` of the plugin's entry in cdk8s.yaml: the Cluster options and the severity that fails the synth. */
export interface TrafficValidationProps extends ClusterOptions {
  /**
   * The least serious finding that fails the synth: `error`, `warning`, `info` or `never`.
   * @default 'error'
   */
  readonly failOn?: string;
}

/** Where cdk8s recorded the construct behind a resource. */
export interface ResourceConstructPath {
  /** The construct path in the app. */
  readonly path: string;
}

/** A resource a violation is about (cdk8s-cli's ValidationViolatingResource). */
export interface ViolatingResource {
  /** `metadata.name`, the key of cdk8s's construct metadata. */
  readonly resourceName: string;
  /** The fields concerned. */
  readonly locations: string[];
  readonly manifestPath: string;
}

/** One rule's violations (cdk8s-cli's ValidationViolation). */
export interface Violation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: ViolatingResource[];
}

/** The report cdk8s-cli hands the plugin. */
export interface IValidationReport {
  /** Adds a violation. */
  addViolation(violation: Violation): void;
  /** Completes the report: `success` or `failure`. */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/** What cdk8s-cli passes to `validate` (its ValidationContext). */
export interface IValidationContext {
  /** The synthesized manifest files. */
  readonly manifests: string[];
  /** The construct path of each resource, by `metadata.name`. */
  readonly metadata?: { [name: string]: ResourceConstructPath };
  readonly report: IValidationReport;
}

/**
 * `validations: [{ package: 'cdk8s-traffic', class: 'TrafficValidation', version: '…',
 * properties: { failOn: 'error', ingressController: { profile: 'nginx' } } }]` in cdk8s.yaml.
 */
export class TrafficValidation {
  private readonly failOn: string;
  private readonly options: ClusterOptions;

  public constructor(props: TrafficValidationProps = {}) {
    const { failOn, ...options } = props ?? {};
    if (failOn !== undefined && failOn !== 'never' && !SEVERITIES.includes(failOn)) {
      throw new Error(`TrafficValidation: failOn must be one of error, warning, info, never; got ${JSON.stringify(failOn)}`);
    }
    this.failOn = failOn ?? 'error';
    this.options = options;
  }

  /** Models the synthesized manifests and reports every finding; fails at `failOn`. */
  public async validate(context: IValidationContext): Promise<void> {
    const documents: unknown[] = [];
    const fileOf = new Map<string, string>();
    for (const file of context.manifests) {
      for (const doc of parseYamlDocuments(readFileSync(file, 'utf8'), file)) {
        documents.push(doc);
        const d = doc as any;
        if (typeof d?.kind === 'string' && typeof d?.metadata?.name === 'string') {
          const namespaced = isNamespacedKind(String(d.apiVersion ?? ''), d.kind);
          fileOf.set(objectRef(d.kind, namespaced ? d.metadata.namespace || 'default' : undefined, d.metadata.name), file);
        }
      }
    }
    const diagnostics = Cluster.fromManifests(documents, this.options).diagnostics.filter((d) => d.suppressed === undefined);
    const byCode = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) byCode.set(d.code, [...(byCode.get(d.code) ?? []), d]);
    for (const [code, list] of byCode) {
      context.report.addViolation({
        ruleName: `${code} (${list[0].severity})`,
        recommendation: list.map((d) => `${d.object}: ${d.message}`).join('\n'),
        fix: [...new Set(list.map((d) => d.hint).filter((h): h is string => h !== undefined))].join('\n') || 'see the cdk8s-traffic README, Checks',
        violatingResources: list.map((d) => ({
          resourceName: d.object.split('/').pop()!,
          locations: d.field ? [d.field] : [],
          manifestPath: fileOf.get(d.object) ?? context.manifests[0] ?? '',
        })),
      });
    }
    const threshold = SEVERITIES.indexOf(this.failOn);
    const failing = threshold >= 0 && diagnostics.some((d) => SEVERITIES.indexOf(d.severity) <= threshold);
    context.report.submit(failing ? 'failure' : 'success', { findings: String(diagnostics.length), failOn: this.failOn });
  }
}
