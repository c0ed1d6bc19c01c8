import { z } from 'zod';
import { ACCELERATED_GPU_TYPES, MAX_GPUS_PER_POD } from '../gpu.js';
import { ServiceSpec } from '../serviceSpec.js';
import { KV_CACHE_DTYPES, LLM_DTYPES, LLM_QUANTIZATIONS } from './precision.js';

// The llm-service template's parameters (issue 24), named so that values files and `--set` read
// the same from every door. The fields an LLM service shares with model-service (name, owner,
// system, description, replicas, repoUrl) are model-service's own rules, taken from ServiceSpec.
const shared = ServiceSpec.in.shape;

/** A Hugging Face repository id (`org/name`), as the Hub spells them (at most 96 characters each side). */
export const HF_REPO_ID_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?/[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$';
/** Weights already in object storage or on a volume: s3://BUCKET/PATH, gs://BUCKET/PATH, pvc://CLAIM/PATH. */
export const LLM_MODEL_URI_PATTERN = '^(?:s3|gs|pvc)://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/[A-Za-z0-9._~=+-]+)*/?$';
/** A pinned commit of a Hub repository: the 40 hex digits `git rev-parse` prints. */
export const MODEL_REVISION_PATTERN = '^([0-9a-f]{40})?$';
/** The name clients pass as `model` in OpenAI requests: vLLM's --served-model-name. */
export const SERVED_MODEL_NAME_PATTERN = '^([A-Za-z0-9][A-Za-z0-9._:/-]{0,127})?$';
/** A config.json: an https URL, or a path (a local file for `idp new`, offline). Empty derives it from a Hub model. */
export const MODEL_CONFIG_PATTERN = '^(https?://[!-~]+|[^\\s:][^\\n\\r]*)?$';

const MODEL_RULE = `must be a Hugging Face repository id or an s3://, gs:// or pvc:// URI of the weights (e.g. meta-llama/Llama-3.1-8B-Instruct)`;

const text = (rule: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `is required and ${rule}` : `must be text and ${rule}`) });

const whole = (min: number, max: number, example: number) => {
  const message = `must be a whole number from ${min} to ${max} (e.g. ${example})`;
  return z.int(message).min(min, message).max(max, message);
};

const oneOf = <T extends readonly [string, ...string[]]>(values: T, example: T[number]) =>
  z.enum(values, { error: `must be one of ${values.join(', ')} (e.g. ${example})` });

/** `auto`: vLLM reads the quantization from the checkpoint's config (none for an unquantized one). */
export const LLM_SERVICE_QUANTIZATIONS = ['auto', ...LLM_QUANTIZATIONS] as const;
/** `auto`: sizing picks the smallest GPU type of the platform that holds the model. */
export const LLM_SERVICE_GPU_TYPES = ['auto', ...ACCELERATED_GPU_TYPES] as [string, ...string[]];

/** The longest context and the concurrency an LLM service asks for unless told. */
export const DEFAULT_MAX_MODEL_LEN = 8192;
export const DEFAULT_MAX_NUM_SEQS = 16;

/**
 * An LLM service on vLLM, as every door (form, CLI flags, values files) describes it. Messages
 * name the rule and a valid example; the issue path names the field.
 */
export const LlmServiceSpec = z
  .object({
    name: shared.name,
    description: shared.description.unwrap().default('An LLM service (OpenAI-compatible API on vLLM)'),
    owner: shared.owner,
    system: shared.system,
    model: text(MODEL_RULE)
      .regex(new RegExp(`${HF_REPO_ID_PATTERN}|${LLM_MODEL_URI_PATTERN}`), MODEL_RULE)
      .max(2048, 'must be at most 2048 characters (e.g. meta-llama/Llama-3.1-8B-Instruct)')
      .meta({ title: 'Model', description: 'A Hugging Face repository id, or an s3://, gs:// or pvc:// URI of the weights' }),
    modelRevision: text('must be the 40-hex-digit commit of the model repository (e.g. 0e9e39f249a16976918f6564b8830bc894c89659)')
      .regex(
        new RegExp(MODEL_REVISION_PATTERN),
        'must be the 40-hex-digit commit of the model repository, lower case (e.g. 0e9e39f249a16976918f6564b8830bc894c89659)',
      )
      .default('')
      .meta({ title: 'Model revision', description: 'The pinned commit of a Hugging Face model; required for one' }),
    modelConfig: text("must be an https URL or a path of the model's config.json (e.g. ./config.json)")
      .regex(new RegExp(MODEL_CONFIG_PATTERN), "must be an https URL or a path of the model's config.json (e.g. ./config.json)")
      .max(2048, 'must be at most 2048 characters (e.g. ./config.json)')
      .default('')
      .meta({
        title: 'Model config',
        description: "URL or path of the model's config.json; empty reads it from the Hugging Face Hub at the pinned revision",
      }),
    servedModelName: text('must be letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit (e.g. llama-3.1-8b)')
      .regex(
        new RegExp(SERVED_MODEL_NAME_PATTERN),
        'must be letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit, at most 128 (e.g. llama-3.1-8b)',
      )
      .default('')
      .meta({ title: 'Served model name', description: 'The `model` clients ask for; empty serves it under the model id' }),
    dtype: oneOf(LLM_DTYPES, 'auto').default('auto').meta({ title: 'Data type', description: "vLLM's --dtype; auto is the checkpoint's" }),
    quantization: oneOf(LLM_SERVICE_QUANTIZATIONS, 'auto')
      .default('auto')
      .meta({ title: 'Quantization', description: "vLLM's --quantization; auto is the checkpoint's own (none for an unquantized one)" }),
    kvCacheDtype: oneOf(KV_CACHE_DTYPES, 'auto')
      .default('auto')
      .meta({ title: 'KV cache data type', description: 'fp8 halves the KV cache of a 16-bit model' }),
    maxModelLen: whole(16, 10_485_760, DEFAULT_MAX_MODEL_LEN)
      .default(DEFAULT_MAX_MODEL_LEN)
      .meta({ title: 'Longest context (tokens)', description: "vLLM's --max-model-len: prompt and answer together" }),
    maxNumSeqs: whole(1, 4096, DEFAULT_MAX_NUM_SEQS)
      .default(DEFAULT_MAX_NUM_SEQS)
      .meta({ title: 'Concurrent sequences', description: "vLLM's --max-num-seqs; sizing holds a full-length KV cache for each" }),
    gpuType: oneOf(LLM_SERVICE_GPU_TYPES, 'auto')
      .default('auto')
      .meta({ title: 'GPU type', description: 'auto picks the smallest GPU type of the platform that holds the model' }),
    gpuCount: whole(1, MAX_GPUS_PER_POD, 1)
      .optional()
      .meta({ title: 'GPU count', description: 'GPUs per replica (the tensor-parallel size); derived by sizing unless given' }),
    // At least 1: a replica comes up only after loading the model (minutes), and vLLM's queue, the
    // scaling signal, does not exist while no replica runs; an LLM service does not scale to zero.
    minReplicas: whole(1, 100, 1)
      .default(1)
      .meta({ title: 'Minimum replicas', description: 'At least 1 (a cold start loads the model); production keeps at least 2' }),
    maxReplicas: whole(1, 100, 2).default(2).meta({ title: 'Maximum replicas' }),
    repoUrl: shared.repoUrl,
  })
  .strict()
  .superRefine((spec, ctx) => crossFieldRules(spec as Partial<Record<keyof typeof spec, unknown>>, ctx), {
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

/** A Hub model is pinned to a commit (the cache downloads it once, upgrades move it); URIs pin themselves. */
function crossFieldRules(spec: Record<string, unknown>, ctx: z.RefinementCtx) {
  const { model, modelRevision, modelConfig, minReplicas, maxReplicas } = spec;
  const fromHub = typeof model === 'string' && new RegExp(HF_REPO_ID_PATTERN).test(model);
  if (fromHub && (modelRevision === undefined || modelRevision === '')) {
    ctx.addIssue({
      code: 'custom',
      path: ['modelRevision'],
      message: `must pin a Hugging Face model to a commit, so every replica serves the same weights (e.g. the 40 hex digits of ${model}'s commit, git ls-remote https://huggingface.co/${model} main)`,
    });
  }
  const fromUri = typeof model === 'string' && new RegExp(LLM_MODEL_URI_PATTERN).test(model);
  if (typeof model === 'string' && fromUri && (modelConfig === undefined || modelConfig === '')) {
    ctx.addIssue({
      code: 'custom',
      path: ['modelConfig'],
      message: `must name the model's config.json when the weights are at ${model.split('://')[0]}:// (the doors cannot read them there) (e.g. ./config.json)`,
    });
  }
  const min = typeof minReplicas === 'number' ? minReplicas : 1;
  const max = typeof maxReplicas === 'number' ? maxReplicas : 2;
  if (min > max) {
    ctx.addIssue({ code: 'custom', path: ['maxReplicas'], message: `must be at least minReplicas (${min}) (e.g. maxReplicas=${min})` });
  }
}

/** What a door submits: every optional field may be left out. */
export type LlmServiceSpecInput = z.input<typeof LlmServiceSpec>;
/** A valid spec with every default filled in. */
export type LlmServiceSpec = z.output<typeof LlmServiceSpec>;

/** Where the doors read a Hub model's config.json, pinned to the revision the service deploys. */
export function hubFileUrl(model: string, revision: string, file: string): string {
  return `https://huggingface.co/${model}/resolve/${revision}/${file}`;
}

/** The config.json location: the one given, else the Hub's at the pinned revision. */
export function modelConfigLocation(spec: Pick<LlmServiceSpec, 'model' | 'modelRevision' | 'modelConfig'>): string {
  return spec.modelConfig || hubFileUrl(spec.model, spec.modelRevision, 'config.json');
}
