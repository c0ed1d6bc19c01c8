// Builds overlays with a real kustomize: $KUSTOMIZE (a kustomize binary) when set, else kubectl's
// built-in one. The overlays use `labels` and targeted `patches`, so kustomize 5 or newer is needed
// (Debian's kubernetes-client 1.20 embeds kustomize 2.0.3, which cannot build them).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from './deliveryKubeValidate.js';

const MIN_MAJOR = 5;

interface Kustomize {
  command: string;
  args: string[];
  version: string;
}

let found: Kustomize | undefined;

/** The kustomize to build with, checked once; throws naming the fix when none is usable. */
export function kustomize(): Kustomize {
  if (found) return found;
  const custom = process.env.KUSTOMIZE;
  let version: string;
  try {
    version = custom
      ? execFileSync(custom, ['version'], { encoding: 'utf-8' })
      : String(
          (
            JSON.parse(execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf-8' })) as {
              kustomizeVersion?: string;
            }
          ).kustomizeVersion,
        );
  } catch (error) {
    throw new Error(
      `No kustomize found (${(error as Error).message.split('\n')[0]}): install kubectl ≥ 1.27 or set KUSTOMIZE to a kustomize ≥ v${MIN_MAJOR} binary`,
    );
  }
  const major = Number(/v?(\d+)\./.exec(version)?.[1]);
  if (!(major >= MIN_MAJOR)) {
    throw new Error(
      `kustomize ${version.trim()} is too old: the overlays need kustomize ≥ v${MIN_MAJOR} (kubectl ≥ 1.27, or set KUSTOMIZE to a kustomize binary)`,
    );
  }
  found = custom ? { command: custom, args: ['build'], version } : { command: 'kubectl', args: ['kustomize'], version };
  return found;
}

/** The objects an overlay renders to. */
export async function build(dir: string): Promise<KubeObject[]> {
  const { command, args } = kustomize();
  const { stdout: out } = await promisify(execFile)(command, [...args, dir], { encoding: 'utf-8', maxBuffer: 16 * 2 ** 20 });
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length) throw new Error(`kustomize output of ${dir} is not YAML: ${doc.errors[0]!.message}`);
    return doc.toJS() as KubeObject;
  });
}

/**
 * Pins the image digest into an overlay as CD's `kustomize edit set image NAME=IMAGE@DIGEST` does:
 * the overlay's images entry gets `digest`.
 */
export function pinDigest(overlayDir: string, name: string, digest: string): void {
  const file = path.join(overlayDir, 'kustomization.yaml');
  const kustomization = parse(readFileSync(file, 'utf-8')) as { images?: { name: string; digest?: string }[] };
  const entry = kustomization.images?.find((image) => image.name === name);
  if (!entry) throw new Error(`${file} has no images entry named ${name} for CD to pin`);
  entry.digest = digest;
  writeFileSync(file, stringify(kustomization));
}
