// Kubernetes resource quantities ("500m", "2Gi", "1.5"), parsed so rules can compare them.
const QUANTITY = /^(?<number>\d+(?:\.\d+)?|\.\d+)(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const SUFFIX_FACTORS: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match?.groups) return undefined;
  const { number, suffix } = match.groups as { number: string; suffix?: string };
  const value = Number(number);
  if (!suffix) return value;
  if (suffix[0] === 'e' || suffix[0] === 'E') return value * 10 ** Number(suffix.slice(1));
  return value * (SUFFIX_FACTORS[suffix] ?? Number.NaN);
}

export const QUANTITY_PATTERN = QUANTITY.source.replace(/\?<\w+>/g, '');
