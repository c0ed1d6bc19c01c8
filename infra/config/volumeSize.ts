import { z } from 'zod';

/** A persistent volume's size in whole Gi or Ti, the unit storage classes provision in. */
export const volumeSize = (example: string) =>
  z
    .string()
    .regex(/^\d+(Gi|Ti)$/, `must be a volume size (e.g. ${example})`)
    .default(example);
