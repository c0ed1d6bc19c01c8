import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, type ModelFiles } from '@idp/service-spec';
import { splitUrlCredentials } from '../templateSource/urlCredentials.js';

/** How a door reaches a model's config.json (docs/adr/0021, "How a production install reaches Hugging Face"). */
export interface ModelFileAccess {
  /** The Hub token for gated models (HF_TOKEN): sent to huggingface.co over https only, never printed. */
  hfToken?: string;
  /**
   * Paths are read from here. The CLI reads any path (the user's own files, offline); the portal
   * reads only its configured mirror of configs, and a path that leaves it is refused.
   */
  localFiles?: { baseDir: string; confined: boolean };
  /** For tests and proxies; the runtime's fetch by default. */
  fetch?: typeof fetch;
}

const SUBJECT = 'The model config';
const INDEX_FILE = 'model.safetensors.index.json';
const HUB_HOST = 'huggingface.co';

/**
 * Reads config.json from a URL or a path, and model.safetensors.index.json beside it when the
 * model has one (its absence is normal: small models ship one safetensors file). Throws
 * InvalidInputError naming modelConfig, what went wrong and what to do.
 */
export async function readModelFiles(location: string, access: ModelFileAccess): Promise<ModelFiles> {
  if (/^https?:\/\//i.test(location)) {
    const config = await fetchText(location, access, { optional: false });
    const index = await fetchText(location.replace(/[^/]*$/, INDEX_FILE), access, { optional: true });
    return { config: config!, ...(index === undefined ? {} : { index }) };
  }
  const local = access.localFiles;
  if (!local) {
    throw problem(
      `must be an https URL here: this door reads no local files (e.g. https://${HUB_HOST}/ORG/MODEL/resolve/REVISION/config.json)`,
    );
  }
  const file = path.resolve(local.baseDir, location);
  const relative = path.relative(local.baseDir, file);
  if (local.confined && (relative.startsWith('..') || path.isAbsolute(relative))) {
    throw problem(`must be a path inside the portal's mirror of model configs, but ${location} leaves it (e.g. llama-3.1-8b/config.json)`);
  }
  const config = await readFile(file, 'utf-8').catch((error: NodeJS.ErrnoException) => {
    throw problem(`must be a readable config.json, but ${location}: ${error.code ?? error.message} (e.g. ./config.json)`);
  });
  const index = await readFile(path.join(path.dirname(file), INDEX_FILE), 'utf-8').catch(() => undefined);
  return { config, ...(index === undefined ? {} : { index }) };
}

async function fetchText(url: string, access: ModelFileAccess, { optional }: { optional: boolean }): Promise<string | undefined> {
  const { url: shown, password } = splitUrlCredentials(url);
  if (password !== undefined)
    throw problem('must not carry credentials in the URL: the Hub token comes from HF_TOKEN (e.g. https://huggingface.co/…)');
  const target = new URL(url);
  const headers: Record<string, string> = {};
  if (access.hfToken && target.protocol === 'https:' && target.hostname === HUB_HOST) headers.authorization = `Bearer ${access.hfToken}`;
  let response: Response;
  try {
    response = await (access.fetch ?? fetch)(target, { headers, redirect: 'follow' });
  } catch (error) {
    throw problem(
      `must be reachable, but fetching ${shown} failed: ${(error as Error).message} (e.g. a local copy: modelConfig=./config.json)`,
    );
  }
  if (response.ok) return response.text();
  if (optional && response.status === 404) return undefined;
  if (optional)
    throw problem(`has a ${INDEX_FILE} beside it that answered ${response.status} at ${shown} (e.g. try again, or give a local copy)`);
  const gated = response.status === 401 || response.status === 403;
  throw problem(
    `must be readable, but ${shown} answered ${response.status}${gated ? ': a gated model needs HF_TOKEN with access to it' : ''} (e.g. ${gated ? 'set HF_TOKEN' : 'check the model id and revision'})`,
  );
}

const problem = (message: string) => new InvalidInputError(SUBJECT, [{ field: 'modelConfig', message }]);
