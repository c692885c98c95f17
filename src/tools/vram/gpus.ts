/**
 * Common GPUs for the "fits on" verdict. Vendors' memory "GB" for these cards are binary
 * (a 24 GB card has 24 GiB of memory), so capacities are the nominal size × 2³⁰; the usable
 * amount is a little lower (ECC, driver reserve).
 */

export interface Gpu {
  name: string;
  memoryBytes: number;
}

const GiB = 2 ** 30;

export const GPUS: readonly Gpu[] = [
  { name: 'T4-16GB', memoryBytes: 16 * GiB },
  { name: 'RTX-3090-24GB', memoryBytes: 24 * GiB },
  { name: 'RTX-4090-24GB', memoryBytes: 24 * GiB },
  { name: 'A10-24GB', memoryBytes: 24 * GiB },
  { name: 'V100-32GB', memoryBytes: 32 * GiB },
  { name: 'A100-40GB', memoryBytes: 40 * GiB },
  { name: 'A100-80GB', memoryBytes: 80 * GiB },
  { name: 'H100-80GB', memoryBytes: 80 * GiB },
  { name: 'H200-141GB', memoryBytes: 141 * GiB },
];

/** CUDA context per GPU, measured 621 MiB in nvidia-smi on an H200 (torch 2.11); reserved in the verdict. */
export const CUDA_CONTEXT_BYTES = 621 * 2 ** 20;

export interface Fit {
  gpu: string;
  memoryBytes: number;
  fits: boolean;
  /** Memory left after the estimate and the CUDA context; negative when it does not fit. */
  headroomBytes: number;
}

export function fitsOn(perGpuBytes: number): Fit[] {
  return GPUS.map((g) => {
    const headroomBytes = g.memoryBytes - perGpuBytes - CUDA_CONTEXT_BYTES;
    return { gpu: g.name, memoryBytes: g.memoryBytes, fits: headroomBytes >= 0, headroomBytes };
  });
}

/** A GPU name reduced for matching: lower case, letters and digits, no vendor words. */
function gpuKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/nvidia|geforce|tesla|rtx/g, '')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The listed GPUs a user's name for one means: `a100` → both A100s, `a100-80gb` or
 * `A100 80GB` → the 80 GB one, `4090` or `RTX 4090` → RTX-4090-24GB. Empty when unknown.
 */
export function matchGpus(name: string): Gpu[] {
  const key = gpuKey(name);
  if (key === '') return [];
  return GPUS.filter((g) => {
    const full = gpuKey(g.name);
    const model = gpuKey(g.name.replace(/-\d+GB$/, ''));
    return key.startsWith(model) && full.startsWith(key);
  });
}
