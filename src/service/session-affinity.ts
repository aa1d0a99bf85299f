import { Duration } from 'cdk8s';

/**
 * Whether kube-proxy keeps sending a client to the same endpoint (`spec.sessionAffinity`).
 */
export class SessionAffinity {
  /**
   * Requests from one client IP go to the same endpoint until `timeout` passes without traffic.
   * @param timeout whole seconds between 1 s and 86400 s (checked at synth, as the API server does);
   * @default - Kubernetes' default of 10800 s (3 hours)
   */
  public static clientIp(timeout?: Duration): SessionAffinity {
    let seconds: number | undefined;
    if (timeout !== undefined) {
      seconds = timeout.toSeconds({ integral: false });
      if (!Number.isInteger(seconds)) {
        throw new Error(`SessionAffinity.clientIp: timeout must be a whole number of seconds, got ${timeout.toHumanString()}`);
      }
    }
    return new SessionAffinity('ClientIP', seconds);
  }

  /** No affinity: each connection picks an endpoint on its own (the Kubernetes default). */
  public static none(): SessionAffinity {
    return new SessionAffinity('None');
  }

  /** The `spec.sessionAffinity` value: `ClientIP` or `None`. */
  public readonly type: string;
  /** The ClientIP timeout in seconds, when one was given. */
  public readonly timeoutSeconds?: number;

  private constructor(type: string, timeoutSeconds?: number) {
    this.type = type;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** @internal */
  public _render(): Record<string, unknown> {
    if (this.timeoutSeconds === undefined) return { sessionAffinity: this.type };
    return { sessionAffinity: this.type, sessionAffinityConfig: { clientIP: { timeoutSeconds: this.timeoutSeconds } } };
  }
}
