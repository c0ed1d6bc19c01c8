import { githubHosts, formatRepoUrl, repoHostProblem } from '../repoUrl.js';
import { InvalidInputError, type Problem, problemsFromZod } from '../problems.js';
import type { PlatformContract } from '../platformContract.js';
import { ownerTeam } from '../ownerTeam.js';
import { refuseReservedKeys } from '../reservedKeys.js';
import { MAX_NUM_BATCHED_TOKENS } from './engineOverhead.js';
import { HF_REPO_ID_PATTERN, LlmServiceSpec, modelConfigLocation } from './llmServiceSpec.js';
import { DEFAULT_GPU_MEMORY_UTILIZATION } from './sizingRequest.js';
import { type ServingResources, servingResources } from './servingResources.js';
import { type LlmSizing, sizeLlm } from './sizeLlm.js';
import { LLM_OBJECTIVES, type LlmObjectives } from './servingObjectives.js';
import { VLLM_ENGINE } from './vllmEngine.js';

const SUBJECT = 'The LLM service spec';
const SPEC_FIELDS = Object.keys(LlmServiceSpec.shape);

/** The model files a door read for sizing: the text of config.json, and of the safetensors index when there is one. */
export interface ModelFiles {
  /** config.json as read from `modelConfig` (or the Hub at the pinned revision). */
  config: string;
  /** model.safetensors.index.json beside it, when the model has one: its total_size is the weights exactly. */
  index?: string;
}

/** A valid llm-service spec, every default applied and everything the skeleton renders derived from it. */
export type ResolvedLlmService = Omit<LlmServiceSpec, 'gpuType' | 'gpuCount'> &
  ServingResources & {
    owner: string;
    repoUrl: string;
    /** The owner team's Kubernetes namespace, where the service deploys. */
    namespace: string;
    /** Where config.json was read from (the given modelConfig, or the Hub at modelRevision). */
    modelConfig: string;
    /** hf (downloaded into the cache at modelRevision), s3/gs (streamed by the engine) or pvc (mounted). */
    modelSource: 'hf' | 's3' | 'gs' | 'pvc';
    servedModelName: string;
    /** The GPUs sizing chose (or checked, when given). */
    gpuType: string;
    gpuCount: number;
    tensorParallelSize: number;
    gpuMemoryUtilization: number;
    maxNumBatchedTokens: number;
    engineImage: string;
    engineVersion: string;
    /** The thresholds alerts, autoscaling and the canary analysis share. */
    objectives: LlmObjectives;
    /** What `idp new llm-service --dry-run --json` shows: the figures the choice rests on. */
    sizing: LlmSizing;
  };

export interface ResolveLlmOptions {
  contract: PlatformContract;
  model: ModelFiles;
  /** GitHub Enterprise hosts the door has integrations for (see githubHosts). */
  enterpriseHosts?: readonly string[];
}

/**
 * Validates what a door submitted for an llm-service and sizes the model for the platform's GPUs
 * (docs/adr/0021, 0024) before anything is written. Pure: the door reads config.json and the
 * index, and passes their text. Throws InvalidInputError naming every problem: the spec's fields,
 * or the refusal with the needed GiB, what each pool offers and the longest context that fits.
 */
export function resolveLlmService(input: unknown, { contract, model, enterpriseHosts = [] }: ResolveLlmOptions): ResolvedLlmService {
  refuseReservedKeys(input, SUBJECT, { example: 'model' });
  const parsed = LlmServiceSpec.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(SUBJECT, problemsFromZod(parsed.error, SPEC_FIELDS));
  const spec = parsed.data;

  const problems: Problem[] = [];
  const { owner, namespace, problem: ownerProblem } = ownerTeam(spec.owner);
  if (ownerProblem) problems.push(ownerProblem);
  const hostProblem =
    spec.repoUrl === undefined ? undefined : repoHostProblem(spec.repoUrl, githubHosts(contract.github.host, enterpriseHosts), spec.name);
  if (hostProblem) problems.push({ field: 'repoUrl', message: hostProblem });
  const configLocation = modelConfigLocation(spec);
  const config = parseJson(model.config, 'modelConfig', configLocation, problems);
  const index = model.index === undefined ? undefined : parseJson(model.index, 'modelIndex', 'model.safetensors.index.json', problems);
  if (problems.length) throw new InvalidInputError(SUBJECT, problems);

  const sizing = sizeLlm(
    {
      config,
      ...(index === undefined ? {} : { index }),
      dtype: spec.dtype,
      ...(spec.quantization === 'auto' ? {} : { quantization: spec.quantization }),
      kvCacheDtype: spec.kvCacheDtype,
      maxModelLen: spec.maxModelLen,
      maxNumSeqs: spec.maxNumSeqs,
      gpuMemoryUtilization: DEFAULT_GPU_MEMORY_UTILIZATION,
      ...(spec.gpuType === 'auto' ? {} : { gpuType: spec.gpuType }),
      ...(spec.gpuCount === undefined ? {} : { gpuCount: spec.gpuCount }),
      namespace,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
    },
    contract,
  );
  const fromHub = new RegExp(HF_REPO_ID_PATTERN).test(spec.model);
  return {
    ...spec,
    ...servingResources(sizing, { quantizedAtLoad: spec.quantization === 'fp8' || spec.quantization === 'int8' }),
    owner,
    repoUrl: spec.repoUrl ?? formatRepoUrl({ host: contract.github.host, owner: contract.github.org, repo: spec.name }),
    namespace: namespace!,
    modelConfig: configLocation,
    modelSource: fromHub ? 'hf' : (spec.model.split('://')[0] as 's3' | 'gs' | 'pvc'),
    servedModelName: spec.servedModelName || (fromHub ? spec.model : spec.name),
    gpuType: sizing.choice.gpuType,
    gpuCount: sizing.choice.gpuCount,
    tensorParallelSize: sizing.choice.tensorParallelSize,
    gpuMemoryUtilization: sizing.choice.utilisation,
    maxNumBatchedTokens: MAX_NUM_BATCHED_TOKENS,
    engineImage: `${VLLM_ENGINE.image}@${VLLM_ENGINE.digest}`,
    engineVersion: VLLM_ENGINE.version,
    objectives: LLM_OBJECTIVES,
    sizing,
  };
}

/** A model file's JSON, or a problem naming the file and where it came from. */
function parseJson(text: string, field: string, source: string, problems: Problem[]): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    problems.push({
      field,
      message: `must be JSON, but ${source} is not (${(error as Error).message}) (e.g. the config.json of the model's Hugging Face repository)`,
    });
    return undefined;
  }
}
