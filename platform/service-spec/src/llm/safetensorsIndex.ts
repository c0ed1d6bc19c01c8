import { z } from 'zod';
import { InvalidInputError, problemsFromZod } from '../problems.js';

/** `model.safetensors.index.json`: its `metadata.total_size` is the bytes of every tensor in the checkpoint. */
const SafetensorsIndex = z.looseObject({
  metadata: z.looseObject({
    total_size: z
      .number({ error: 'must be the checkpoint size in bytes (e.g. 16060522496)' })
      .int('must be the checkpoint size in bytes (e.g. 16060522496)')
      .positive('must be the checkpoint size in bytes (e.g. 16060522496)'),
  }),
});

/** The checkpoint's size in bytes from a parsed safetensors index. */
export function checkpointBytes(index: unknown): number {
  const result = SafetensorsIndex.safeParse(index);
  if (!result.success) {
    throw new InvalidInputError(
      'The safetensors index (model.safetensors.index.json)',
      problemsFromZod(result.error).map((p) => ({ ...p, field: `modelIndex.${p.field}` })),
    );
  }
  return result.data.metadata.total_size;
}
