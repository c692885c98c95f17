/** GB = 10⁹ bytes, GiB = 2³⁰ bytes: peers mix them, which alone explains ~7 % disagreement. */
export const GB = 1e9;
export const GiB = 2 ** 30;
export const MiB = 2 ** 20;

export function toGB(bytes: number): number {
  return bytes / GB;
}

export function toGiB(bytes: number): number {
  return bytes / GiB;
}

/** `13.48 GB (12.55 GiB)`. */
export function formatBoth(bytes: number): string {
  return `${toGB(bytes).toFixed(2)} GB (${toGiB(bytes).toFixed(2)} GiB)`;
}

/** Integers with thousands separators: 6,738,415,616. */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
