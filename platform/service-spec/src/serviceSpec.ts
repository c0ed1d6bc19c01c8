import { z } from 'zod';
import { GPU_TYPES, MAX_GPUS_PER_POD } from './gpu.js';
import { DNS_1035_PATTERN, MAX_SERVICE_NAME_LENGTH, pythonPackageProblem } from './names.js';
import { ENTITY_NAME_PATTERN, MAX_ENTITY_NAME_LENGTH, OWNER_REF_PATTERN } from './entityRef.js';
import { parseQuantity, QUANTITY_PATTERN } from './quantity.js';
import { parseRepoLocation, REPO_URL_PATTERN } from './repoUrl.js';
import { freeText } from './freeText.js';
import { MAX_MODEL_URI_LENGTH, MODEL_URI_PATTERN } from './modelUri.js';
import { CPU_ONLY_MODEL_FORMATS, MODEL_FORMATS } from './modelFormat.js';
import { MAX_MODEL_NAME_LENGTH, MAX_MODEL_VERSION_LENGTH, MODEL_NAME_PATTERN, MODEL_VERSION_PATTERN } from './modelName.js';

export const RUNTIMES = ['python'] as const;

// Bounds that keep a service schedulable on the platform's node pools.
export const CPU_RANGE = { min: 0.1, max: 64, minText: '100m', maxText: '64', example: '1' };
export const MEMORY_RANGE = { min: 256 * 2 ** 20, max: 1024 * 2 ** 30, minText: '256Mi', maxText: '1Ti', example: '2Gi' };
export const MAX_REPLICAS = 100;
export const MAX_BATCH_SIZE = 1024;
export const MAX_QUEUE_LENGTH = 100_000;

/** A text field: its type error and its pattern error both state the rule and an example. */
const pattern = (source: string, rule: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `is required and ${rule}` : `must be text and ${rule}`) })
    .regex(new RegExp(source), rule);

/** A whole number from `min` to `max`; every way of missing it gets the same message. */
function wholeNumber(min: number, max: number, message: string) {
  return z.int(message).min(min, message).max(max, message);
}

/**
 * A model microservice, as every door (form, CLI flags, values files) describes it.
 * Messages name the rule and a valid example; the issue path names the field.
 */
export const ServiceSpec = z
  .object({
    name: pattern(
      DNS_1035_PATTERN,
      'must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter and not ending with "-" (e.g. fraud-detector)',
    )
      .max(
        MAX_SERVICE_NAME_LENGTH,
        `must be at most ${MAX_SERVICE_NAME_LENGTH} characters so Kubernetes object names with suffixes stay within 63 (e.g. fraud-detector)`,
      )
      .describe('Service name: the repository, image, Kubernetes and catalog name')
      .meta({ title: 'Name', examples: ['fraud-detector'] }),
    description: freeText({ rule: 'must be printable text', example: '"Scores card transactions for fraud"' })
      .min(1, 'must not be empty (e.g. "Scores card transactions for fraud")')
      .max(280, 'must be at most 280 characters (e.g. "Scores card transactions for fraud")')
      .default('A model microservice')
      .meta({ title: 'Description' }),
    owner: pattern(OWNER_REF_PATTERN, 'must be a group or user entity reference (e.g. group:default/ml-team)')
      .default('group:default/ml-team')
      .meta({ title: 'Owner', description: 'The team that owns the service (a Backstage group)' }),
    // Empty means "none"; one pattern (not a union) so forms render a plain text field.
    system: pattern(`^(${ENTITY_NAME_PATTERN.slice(1, -1)})?$`, 'must be a Backstage entity name or empty (e.g. fraud-platform)')
      .max(MAX_ENTITY_NAME_LENGTH, `must be at most ${MAX_ENTITY_NAME_LENGTH} characters (e.g. fraud-platform)`)
      .default('')
      .meta({ title: 'System', description: 'The Backstage system the service belongs to; empty for none' }),
    runtime: z
      .enum(RUNTIMES, { error: `must be one of ${RUNTIMES.join(', ')} (e.g. python)` })
      .default('python')
      .meta({ title: 'Runtime' }),
    modelName: pattern(
      MODEL_NAME_PATTERN,
      'must be lower-case letters, digits, "-", "_" or ".", starting and ending with a letter or digit (e.g. fraud-classifier)',
    )
      .max(MAX_MODEL_NAME_LENGTH, `must be at most ${MAX_MODEL_NAME_LENGTH} characters (e.g. fraud-classifier)`)
      .default('example-classifier')
      .meta({ title: 'Model name', description: 'The name the inference API serves the model under' }),
    modelVersion: pattern(
      MODEL_VERSION_PATTERN,
      'must be letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. 1 or 2024-06-01)',
    )
      .max(MAX_MODEL_VERSION_LENGTH, `must be at most ${MAX_MODEL_VERSION_LENGTH} characters (e.g. 1)`)
      .default('1')
      .meta({ title: 'Model version' }),
    modelUri: freeText({
      rule: 'must be empty (the bundled example model) or an s3://BUCKET/PATH, gs://BUCKET/PATH, hf://ORG/REPO[@REVISION] or file:///PATH URI of RFC 3986 characters (%-escape others), without user info, port, query or fragment',
      example: 's3://models/fraud/1',
      grammar: MODEL_URI_PATTERN,
    })
      .max(MAX_MODEL_URI_LENGTH, `must be at most ${MAX_MODEL_URI_LENGTH} characters (e.g. s3://models/fraud/1)`)
      .default('')
      .meta({ title: 'Model URI', description: 'Where the model is loaded from; empty serves the bundled example model' }),
    modelFormat: z
      .enum(MODEL_FORMATS, { error: `must be one of ${MODEL_FORMATS.join(', ')} (e.g. pytorch)` })
      .default('custom')
      .meta({
        title: 'Model format',
        description:
          'What the framework saved: pytorch (TorchScript), onnx, xgboost (JSON/UBJ), sklearn (joblib); custom is your own Model class (the bundled example)',
      }),
    gpuType: z
      .enum(GPU_TYPES, { error: `must be one of ${GPU_TYPES.join(', ')} (e.g. nvidia-l4)` })
      .default('none')
      .meta({ title: 'GPU type' }),
    gpuCount: wholeNumber(0, MAX_GPUS_PER_POD, `must be a whole number from 0 to ${MAX_GPUS_PER_POD} (e.g. 1)`)
      .optional()
      .meta({ title: 'GPU count', description: 'GPUs per replica: 0 without a GPU type, 1 by default with one' }),
    cpu: pattern(QUANTITY_PATTERN, 'must be a Kubernetes CPU quantity (e.g. 500m or 2)')
      .default('1')
      .meta({ title: 'CPU', description: 'CPU request and limit per replica' }),
    memory: pattern(QUANTITY_PATTERN, 'must be a Kubernetes memory quantity (e.g. 512Mi or 4Gi)')
      .default('2Gi')
      .meta({ title: 'Memory', description: 'Memory request and limit per replica' }),
    // 0 (scale to zero) only on platforms whose contract enables it: resolveService checks that.
    minReplicas: wholeNumber(0, MAX_REPLICAS, `must be a whole number from 0 to ${MAX_REPLICAS} (e.g. 2)`).default(1).meta({
      title: 'Minimum replicas',
      description:
        '0 scales to zero when idle, where the platform allows it; production keeps at least 2 otherwise, so a node drain never takes the service down',
    }),
    maxReplicas: wholeNumber(1, MAX_REPLICAS, `must be a whole number from 1 to ${MAX_REPLICAS} (e.g. 4)`)
      .default(3)
      .meta({ title: 'Maximum replicas' }),
    maxModelLoadSeconds: wholeNumber(10, 3600, 'must be a whole number of seconds from 10 to 3600 (e.g. 300)')
      .default(300)
      .meta({ title: 'Longest model load (seconds)', description: 'Startup probes and rollouts wait this long for the model' }),
    // Dynamic batching and backpressure in the generated service (MAX_BATCH_SIZE, MAX_BATCH_DELAY_MS, MAX_QUEUE_LENGTH).
    maxBatchSize: wholeNumber(1, MAX_BATCH_SIZE, `must be a whole number from 1 to ${MAX_BATCH_SIZE} (e.g. 32; 1 turns batching off)`)
      .default(32)
      .meta({ title: 'Largest batch', description: 'Most inference requests run together in one model call; 1 turns batching off' }),
    maxBatchDelayMs: wholeNumber(0, 1000, 'must be a whole number of milliseconds from 0 to 1000 (e.g. 2)').default(0).meta({
      title: 'Longest batching delay (ms)',
      description: 'How long a request may wait for others to fill its batch; 0 batches only what is already queued',
    }),
    maxQueueLength: wholeNumber(1, MAX_QUEUE_LENGTH, `must be a whole number from 1 to ${MAX_QUEUE_LENGTH} (e.g. 128)`).default(128).meta({
      title: 'Longest queue',
      description: 'Requests that may wait for the model; past it the service answers 503 with Retry-After',
    }),
    repoUrl: freeText({
      rule: 'must be of the form HOST?owner=ORG&repo=NAME',
      example: 'github.com?owner=acme&repo=fraud-detector',
      grammar: REPO_URL_PATTERN,
    })
      .optional()
      .meta({
        title: 'Repository',
        description: 'Where the repository is created; by default the platform organisation and the service name',
      }),
  })
  .strict()
  // Cross-field rules run even when other fields failed, so a person sees every problem at once;
  // each rule therefore checks the types it relies on.
  .superRefine((spec, ctx) => crossFieldRules(spec as Partial<Record<keyof typeof spec, unknown>>, ctx), {
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })
  .transform((spec) => ({ ...spec, gpuCount: spec.gpuCount ?? (spec.gpuType === 'none' ? 0 : 1) }));

function crossFieldRules(spec: Record<string, unknown>, ctx: z.RefinementCtx) {
  const { name, gpuType, gpuCount, minReplicas, maxReplicas, cpu, memory, repoUrl, maxBatchSize, maxQueueLength, modelFormat, modelUri } =
    spec;
  if (typeof name === 'string') {
    const packageProblem = pythonPackageProblem(name);
    if (packageProblem) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `must give a usable Python package, but ${packageProblem} (e.g. ${name}-service)`,
      });
    }
  }
  const gpu = gpuType ?? 'none';
  if (gpu === 'none' && typeof gpuCount === 'number' && gpuCount !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['gpuCount'],
      message: 'must be 0 when gpuType is none (e.g. gpuType=nvidia-l4 with gpuCount=1, or gpuCount=0)',
    });
  }
  if (gpu !== 'none' && gpuCount === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['gpuCount'],
      message: `must be 1 to ${MAX_GPUS_PER_POD} when gpuType is ${String(gpu)} (e.g. 1)`,
    });
  }
  modelFormatRules(ctx, modelFormat, modelUri, gpu);
  const min = typeof minReplicas === 'number' ? minReplicas : 1;
  const max = typeof maxReplicas === 'number' ? maxReplicas : 3;
  if (min > max) {
    ctx.addIssue({ code: 'custom', path: ['maxReplicas'], message: `must be at least minReplicas (${min}) (e.g. maxReplicas=${min})` });
  }
  const batch = typeof maxBatchSize === 'number' ? maxBatchSize : 32;
  const queue = typeof maxQueueLength === 'number' ? maxQueueLength : 128;
  if (queue < batch) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxQueueLength'],
      message: `must be at least maxBatchSize (${batch}) so a full batch can queue (e.g. maxQueueLength=${batch})`,
    });
  }
  checkRange(ctx, 'cpu', cpu ?? '1', CPU_RANGE);
  checkRange(ctx, 'memory', memory ?? '2Gi', MEMORY_RANGE);
  if (typeof repoUrl === 'string' && new RegExp(REPO_URL_PATTERN).test(repoUrl)) {
    const location = parseRepoLocation(repoUrl);
    if (typeof location === 'string') {
      const repo = typeof name === 'string' && new RegExp(DNS_1035_PATTERN).test(name) ? name : 'fraud-detector';
      ctx.addIssue({ code: 'custom', path: ['repoUrl'], message: `${location} (e.g. github.com?owner=acme&repo=${repo})` });
    }
  }
}

/** A built-in runtime needs an artifact to load, and a CPU-only one must not be given a GPU. */
function modelFormatRules(ctx: z.RefinementCtx, modelFormat: unknown, modelUri: unknown, gpu: unknown) {
  if (typeof modelFormat !== 'string' || !(MODEL_FORMATS as readonly string[]).includes(modelFormat) || modelFormat === 'custom') return;
  if (modelUri === undefined || modelUri === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['modelUri'],
      message: `must name the model's artifact directory when modelFormat is ${modelFormat} (the bundled example is a custom model) (e.g. s3://models/fraud/1)`,
    });
  }
  if ((CPU_ONLY_MODEL_FORMATS as readonly string[]).includes(modelFormat) && gpu !== 'none') {
    ctx.addIssue({
      code: 'custom',
      path: ['gpuType'],
      message: `must be none when modelFormat is ${modelFormat}, which runs on the CPU only (e.g. gpuType=none, or modelFormat=xgboost for a GPU)`,
    });
  }
}

function checkRange(ctx: z.RefinementCtx, field: string, text: unknown, range: typeof CPU_RANGE) {
  const value = typeof text === 'string' ? parseQuantity(text) : undefined;
  if (value === undefined) return; // the pattern already reported it
  if (value < range.min || value > range.max) {
    ctx.addIssue({ code: 'custom', path: [field], message: `must be from ${range.minText} to ${range.maxText} (e.g. ${range.example})` });
  }
}

/** What a door submits: every optional field may be left out. */
export type ServiceSpecInput = z.input<typeof ServiceSpec>;
/** A valid spec with every default filled in. */
export type ServiceSpec = z.output<typeof ServiceSpec>;
