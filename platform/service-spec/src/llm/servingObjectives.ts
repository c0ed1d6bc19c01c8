/**
 * What an llm-service promises and is judged on, in one place: the alerts, the canary analysis and
 * the runbook all read these (through the resolved values), so a release is aborted on the same
 * thresholds an alert pages on. Starting points for an interactive chat model; a team tunes them
 * in its repository.
 */
export const LLM_OBJECTIVES = {
  /** Time to first token, p95, in seconds (prefill of the prompt plus time queued). */
  ttftP95Seconds: 2,
  /** Inter-token latency, p95, in seconds: 0.1 s is 10 tokens/s per stream, reading speed. */
  itlP95Seconds: 0.1,
  /** Share of API requests answered with a server error. */
  maxErrorRatio: 0.01,
  /** Requests waiting per replica before another replica is added (KEDA) or an alert fires. */
  waitingPerReplica: 4,
  /** KV-cache use above which replicas are added: past it vLLM preempts running sequences. */
  kvCacheScaleAt: 0.8,
  /** The longest a request may run (a long generation streamed): mesh timeouts and the drain allow it. */
  requestTimeoutSeconds: 300,
} as const;
export type LlmObjectives = typeof LLM_OBJECTIVES;
