import { gpuQuotaProblems } from '../gpuQuota.js';
import type { PlatformContract } from '../platformContract.js';
import { InvalidInputError, type Problem, problemsFromZod } from '../problems.js';
import { overheadBytesPerGpu } from './engineOverhead.js';
import { bySize, type GpuFit, judgeFit, type ModelFootprint, tensorParallelSizes } from './gpuFit.js';
import { type GpuOffer, gpuOffers } from './gpuOffers.js';
import { kvBytesPerSequence, kvBytesPerToken } from './kvCache.js';
import { type ModelShape, parseModelConfig } from './modelConfig.js';
import {
  type ConcreteDtype,
  DTYPE_BYTES,
  type KvCacheDtype,
  kvElementBytes,
  LLM_QUANTIZATIONS,
  type LlmQuantization,
  resolveDtype,
} from './precision.js';
import { checkpointBytes } from './safetensorsIndex.js';
import { LlmSizingRequest } from './sizingRequest.js';
import { gib, memoryRefusal, quotaRefusal } from './sizingRefusal.js';
import { weightsBytes } from './weightsBytes.js';
import { GPU_TYPES } from '../gpu.js';

/** What `idp new llm-service --dry-run --json` shows, and what the template renders from. */
export interface LlmSizing {
  model: {
    modelType?: string;
    parameters?: number;
    weightsFrom: 'config' | 'safetensors-index' | 'config+safetensors-index';
    layers: number;
    attentionHeads: number;
    kvHeads: number;
    headDim: number;
    dtype: ConcreteDtype;
    quantization?: LlmQuantization;
    kvCacheDtype: KvCacheDtype;
    maxModelLen: number;
    maxNumSeqs: number;
  };
  weightsBytes: number;
  kvBytesPerToken: number;
  kvBytesPerSequence: number;
  /** Overhead on each GPU of the chosen configuration. */
  overheadBytes: number;
  /** Weights + KV cache for maxNumSeqs × maxModelLen + overhead on every GPU of the choice. */
  neededBytes: number;
  choice: GpuFit;
  /** Per other GPU type: its smallest fit, or why it has none. */
  alternatives: Alternative[];
}

export type Alternative = GpuFit | { gpuType: string; fits: false; reason: string };

const SUBJECT = 'The LLM sizing';

/**
 * Sizes an LLM for the platform's GPUs (docs/adr/0021): computes weights, KV cache and overhead,
 * and picks the smallest GPU type and count from the contract that fits, with a tensor-parallel
 * size that divides the heads, within one node and the owner team's GPU quota. Pure: the doors
 * read config.json and the index, this only computes. Throws InvalidInputError naming the field,
 * the rule, the numbers and what would fit.
 */
export function sizeLlm(input: LlmSizingRequest, platform: PlatformContract): LlmSizing {
  const parsed = LlmSizingRequest.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(SUBJECT, problemsFromZod(parsed.error));
  const request = parsed.data;
  const shape = parseModelConfig(request.config, { hasIndex: request.index !== undefined });
  const indexBytes = request.index === undefined ? undefined : checkpointBytes(request.index);
  const { quantization, problems } = servedQuantization(shape, request.quantization, indexBytes);
  if (shape.maxPositionEmbeddings !== undefined && request.maxModelLen > shape.maxPositionEmbeddings) {
    problems.push({
      field: 'maxModelLen',
      message: `must be at most the model's max_position_embeddings ${shape.maxPositionEmbeddings} (e.g. ${Math.min(8192, shape.maxPositionEmbeddings)})`,
    });
  }
  const dtype = resolveDtype(request.dtype, shape.checkpointDtype);
  const weights = weightsBytes(shape, {
    dtype,
    ...(quantization ? { quantization } : {}),
    ...(indexBytes === undefined ? {} : { indexBytes }),
  });
  if (!weights) {
    problems.push({
      field: 'modelConfig.intermediate_size',
      message: 'is needed to count the parameters when no safetensors index is given (e.g. 14336, or give model.safetensors.index.json)',
    });
  }
  if (request.gpuCount !== undefined && tensorParallelSizes(shape, request.gpuCount).at(-1) !== request.gpuCount) {
    const fitting = tensorParallelSizes(shape, 8);
    problems.push({
      field: 'gpuCount',
      message: `must divide the model's ${shape.attentionHeads} attention heads and ${shape.kvHeads} KV heads, which tensor parallelism splits (e.g. ${fitting.filter((tp) => tp <= request.gpuCount!).at(-1)}; any of ${fitting.join(', ')})`,
    });
  }
  if (problems.length > 0 || !weights) throw new InvalidInputError(SUBJECT, problems);

  const perToken = kvBytesPerToken(shape, kvElementBytes(request.kvCacheDtype, dtype));
  const model: ModelFootprint = {
    weightsBytes: weights.bytes,
    kvBytesPerToken: perToken,
    kvBytesPerSequence: kvBytesPerSequence(perToken, request.maxModelLen),
    maxNumSeqs: request.maxNumSeqs,
    ...(shape.maxPositionEmbeddings === undefined ? {} : { maxPositionEmbeddings: shape.maxPositionEmbeddings }),
    overheadBytesPerGpu: (tensorParallelSize) =>
      overheadBytesPerGpu(shape, { activationBytes: DTYPE_BYTES[dtype], maxNumSeqs: request.maxNumSeqs, tensorParallelSize }),
  };

  const offers = gpuOffers(platform).filter((o) => request.gpuType === undefined || o.gpuType === request.gpuType);
  const usable = offers.filter((o) => !o.unusable);
  const unusable = offers.filter((o) => o.unusable);
  requestedGpusOffered(request, usable, unusable);

  const withinQuota = (fit: GpuFit) =>
    request.namespace === undefined
      ? []
      : gpuQuotaProblems(
          { gpuType: fit.gpuType, gpuCount: fit.gpuCount, minReplicas: request.minReplicas, maxReplicas: request.maxReplicas },
          request.namespace,
          platform,
        );
  const sizesOf = (offer: GpuOffer) =>
    tensorParallelSizes(shape, offer.maxGpusPerPod).filter((tp) => request.gpuCount === undefined || tp === request.gpuCount);
  const judged = usable.flatMap((offer) => sizesOf(offer).map((tp) => judgeFit(model, offer, tp, request.gpuMemoryUtilization)));
  const order = bySize(GPU_TYPES);
  const fitting = judged.filter((fit) => fit.fits).sort(order);
  const allowed = fitting.filter((fit) => withinQuota(fit).length === 0);
  const choice = allowed[0];
  if (!choice) {
    if (fitting[0]) throw new InvalidInputError(SUBJECT, [quotaRefusal(fitting[0], withinQuota(fitting[0])[0]!)]);
    // Per pool, its largest allowed configuration within the quota (any, when none is): what it offers at most.
    const largest = usable.flatMap((offer) => {
      const mine = judged.filter((fit) => fit.gpuType === offer.gpuType);
      const ok = mine.filter((fit) => withinQuota(fit).length === 0);
      return (ok.length > 0 ? ok : mine).slice(-1);
    });
    throw new InvalidInputError(SUBJECT, [memoryRefusal(model, request, largest, unusable)]);
  }

  const alternatives: Alternative[] = offers
    .filter((offer) => offer.gpuType !== choice.gpuType)
    .map((offer): Alternative => {
      if (offer.unusable) return { gpuType: offer.gpuType, fits: false, reason: offer.unusable };
      const smallest = allowed.find((fit) => fit.gpuType === offer.gpuType);
      if (smallest) return smallest;
      const blocked = fitting.find((fit) => fit.gpuType === offer.gpuType);
      if (blocked) return { gpuType: offer.gpuType, fits: false, reason: withinQuota(blocked)[0]!.message };
      const most = judged.filter((fit) => fit.gpuType === offer.gpuType).at(-1);
      return {
        gpuType: offer.gpuType,
        fits: false,
        reason: most
          ? `${most.gpuCount} GPU(s) give ${gib(most.availableBytes)}, the model needs ${gib(most.neededBytes)}; ${
              most.largestMaxModelLen > 0
                ? `maxModelLen ${most.largestMaxModelLen} would fit`
                : `the weights alone take ${gib(weights.bytes)}`
            }`
          : `no tensor-parallel size up to ${offer.maxGpusPerPod} GPU(s) per pod divides the heads`,
      };
    });

  return {
    model: {
      ...(shape.modelType ? { modelType: shape.modelType } : {}),
      ...(weights.parameters === undefined ? {} : { parameters: weights.parameters }),
      weightsFrom: weights.source,
      layers: shape.layers,
      attentionHeads: shape.attentionHeads,
      kvHeads: shape.kvHeads,
      headDim: shape.headDim,
      dtype,
      ...(quantization ? { quantization } : {}),
      kvCacheDtype: request.kvCacheDtype,
      maxModelLen: request.maxModelLen,
      maxNumSeqs: request.maxNumSeqs,
    },
    weightsBytes: weights.bytes,
    kvBytesPerToken: perToken,
    kvBytesPerSequence: model.kvBytesPerSequence,
    overheadBytes: choice.overheadBytes / choice.tensorParallelSize,
    neededBytes: choice.neededBytes,
    choice,
    alternatives,
  };
}

/**
 * The quantization served: the one asked for, else the checkpoint's own (vLLM reads it from the
 * config). A pre-quantized checkpoint cannot be served in another, and one quantized by a method
 * this sizing has no figure for needs the index, whose size is then the weights.
 */
function servedQuantization(
  shape: ModelShape,
  asked: LlmQuantization | undefined,
  indexBytes: number | undefined,
): { quantization?: LlmQuantization; problems: Problem[] } {
  const stored = shape.checkpointQuantization;
  if (stored === undefined) return { ...(asked ? { quantization: asked } : {}), problems: [] };
  const known = (LLM_QUANTIZATIONS as readonly string[]).includes(stored) ? (stored as LlmQuantization) : undefined;
  if (asked !== undefined && asked !== stored) {
    return {
      problems: [
        {
          field: 'quantization',
          message: `must be the checkpoint's own, quantization_config.quant_method ${stored} (e.g. ${known ?? 'leave it out'})`,
        },
      ],
    };
  }
  if (!known && indexBytes === undefined) {
    return {
      problems: [
        {
          field: 'modelIndex',
          message: `is needed for a checkpoint quantized with ${stored}, whose size only the index tells (e.g. model.safetensors.index.json)`,
        },
      ],
    };
  }
  return { ...(known ? { quantization: known } : {}), problems: [] };
}

/** A GPU type or count asked for must exist and be usable: refused here with what exists instead. */
function requestedGpusOffered(request: { gpuType?: string; gpuCount?: number }, usable: GpuOffer[], unusable: GpuOffer[]): void {
  if (request.gpuType === undefined) return;
  const offer = usable[0];
  if (!offer) {
    const why = unusable[0]?.unusable ?? 'the platform contract has no pool for it';
    throw new InvalidInputError(SUBJECT, [
      {
        field: 'gpuType',
        message: `must be a GPU type that can serve an LLM, but ${request.gpuType}: ${why} (e.g. leave it out to have one chosen)`,
      },
    ]);
  }
  if (request.gpuCount !== undefined && request.gpuCount > offer.maxGpusPerPod) {
    throw new InvalidInputError(SUBJECT, [
      {
        field: 'gpuCount',
        message: `must be at most the ${offer.maxGpusPerPod} GPU(s) one ${offer.gpuType} node gives a pod, as a pod's GPUs come from one node (e.g. ${offer.maxGpusPerPod})`,
      },
    ]);
  }
}
