// Renders the llm-service skeleton for its tests, as template.yaml's fetch:template step renders it:
// the values idp:llm:size resolves (from a model fixture's config.json) plus the platform contract.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformContract, scaffold } from '@idp/scaffold';
import { type LlmServiceSpecInput, type PlatformContract, type ResolvedLlmService, resolveLlmService } from '@idp/service-spec';
import { repoPath } from '../../../test/repoRoot.js';

export const TEMPLATE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const SKELETON_DIR = path.join(TEMPLATE_DIR, 'skeleton');

export const REVISION = '0e9e39f249a16976918f6564b8830bc894c89659';

/** A model fixture's config.json (and safetensors index, where the fixtures have one) as a door reads them. */
export function modelFiles(fixture: string): { config: string; index?: string } {
  const read = (file: string) => readFileSync(repoPath(`platform/service-spec/src/llm/fixtures/${file}`), 'utf-8');
  const config = read(`${fixture}.config.json`);
  try {
    return { config, index: read(`${fixture}.index.json`) };
  } catch {
    return { config };
  }
}

/** Llama-3.1-8B at 4096 tokens × 4 sequences: one L4 on the default contract. */
export const LLAMA_8B: LlmServiceSpecInput = {
  name: 'support-chat',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  modelRevision: REVISION,
  maxModelLen: 4096,
  maxNumSeqs: 4,
};

export type LlmValues = ResolvedLlmService & { platform: PlatformContract; answers: LlmServiceSpecInput };

export interface RenderedLlmService {
  dir: string;
  values: LlmValues;
  cleanup: () => Promise<void>;
}

/** The values fetch:template gets: idp:llm:size's spec output and idp:platform:contract's contract. */
export async function llmValues(spec: LlmServiceSpecInput, contract?: PlatformContract, fixture = 'llama-3.1-8b'): Promise<LlmValues> {
  const platform = contract ?? (await loadPlatformContract());
  // `answers`: the parameters as given, which template.yaml passes for .idp/answers.yaml.
  return { ...resolveLlmService(spec, { contract: platform, model: modelFiles(fixture) }), platform, answers: spec };
}

/** Writes the rendered skeleton into a fresh temporary directory. */
export async function renderLlmService(
  spec: LlmServiceSpecInput,
  contract?: PlatformContract,
  fixture?: string,
): Promise<RenderedLlmService> {
  const values = await llmValues(spec, contract, fixture);
  const dir = await mkdtemp(path.join(tmpdir(), 'idp-llm-'));
  const target = path.join(dir, values.name);
  await scaffold({ templateDir: SKELETON_DIR, targetDir: target, values });
  return { dir: target, values, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
