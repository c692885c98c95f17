/**
 * Rough serving cost for /choose: a BERT-base encoder on CPU against a 7B decoder LLM on a GPU.
 * Every figure comes from a formula stated here, so a reader can redo it:
 * - Encoder on CPU: BERT-base spends about 0.17 GFLOP per token (2 × its 86M non-embedding
 *   parameters); an 8-core server CPU sustains about 300 GFLOP/s in fp32, so about 1,800
 *   tokens/s per 8-core machine (int8 ONNX runs roughly 3× faster; measure yours).
 * - LLM on a GPU: reading the prompt (prefill) costs 2 × params FLOP per token at 40 % of the
 *   card's dense bf16 peak; writing (decode) is bound by memory bandwidth: every output token
 *   reads all weights, shared by a batch of 16 concurrent requests (latency: batch 1).
 * - LLM memory: `/vram <model> mode=inference` (bf16 weights, KV cache and activations).
 */
import { GPUS, safeEstimateMemory } from '../vram/index.js';

export const ENCODER_GFLOP_PER_TOKEN = 0.17;
export const CPU_GFLOPS = 300;
export const ENCODER_CPU_TOKENS_PER_S =
  Math.round(CPU_GFLOPS / ENCODER_GFLOP_PER_TOKEN / 100) * 100;
/** CPU memory bandwidth (GB/s) for a 7B model decoding on CPU. */
export const CPU_BANDWIDTH_GBS = 50;
export const MFU = 0.4;
export const DECODE_BATCH = 16;

/** Dense bf16/fp16 tensor TFLOPS and memory bandwidth (GB/s), vendor figures. */
export const GPU_SPECS: Record<string, { tflops: number; bandwidthGBs: number }> = {
  'T4-16GB': { tflops: 65, bandwidthGBs: 320 },
  'RTX-3090-24GB': { tflops: 71, bandwidthGBs: 936 },
  'RTX-4090-24GB': { tflops: 165, bandwidthGBs: 1008 },
  'A10-24GB': { tflops: 125, bandwidthGBs: 600 },
  'V100-32GB': { tflops: 125, bandwidthGBs: 900 },
  'A100-40GB': { tflops: 312, bandwidthGBs: 1555 },
  'A100-80GB': { tflops: 312, bandwidthGBs: 2039 },
  'H100-80GB': { tflops: 989, bandwidthGBs: 3350 },
  'H200-141GB': { tflops: 989, bandwidthGBs: 4800 },
};

export const HARDWARE = ['cpu', ...GPUS.map((g) => g.name)] as const;

export interface ServingCost {
  /** Tokens per second the task needs on average (volume × tokens / 86,400 s). */
  neededTokensPerS: number;
  encoder: { tokensPerS: number; machines: number; latencyMs: number };
  llm: {
    model: string;
    memoryGB: number;
    /** null on CPU. */
    fits: boolean | null;
    hardware: string;
    /** Requests per second one device serves. */
    requestsPerS: number;
    devices: number;
    latencyMs: number;
  };
}

export interface CostInput {
  volumePerDay: number;
  inputTokens: number;
  outputTokens: number;
  hardware: string;
  /** The /vram preset of the 7B model (qwen2-7b for Chinese, mistral-7b otherwise). */
  model: string;
}

/** The serving figures of both options for a task. */
export function servingCost(input: CostInput): ServingCost {
  const { volumePerDay, inputTokens: tin, outputTokens: tout, hardware, model } = input;
  const neededTokensPerS = (volumePerDay * tin) / 86_400;
  const encoderSecondsPerDay = (volumePerDay * tin) / ENCODER_CPU_TOKENS_PER_S;
  const vram = safeEstimateMemory({ model, mode: 'inference', seq: tin + tout, batch: 1 });
  const est = vram.ok ? vram.value : undefined;
  const params = est?.params ?? 7e9;
  const weightGB = (est?.bytes.weights ?? params * 2) / 1e9;
  const memoryGB = (est?.perGpuBytes ?? params * 2) / 1e9;
  const gpu = GPU_SPECS[hardware];
  const prefillFlops = (gpu ? gpu.tflops * 1e12 * MFU : CPU_GFLOPS * 1e9) / (2 * params);
  const bandwidth = gpu ? gpu.bandwidthGBs : CPU_BANDWIDTH_GBS;
  const decodeSolo = bandwidth / weightGB; // tokens/s of one request
  const decodeBatched = gpu ? decodeSolo * DECODE_BATCH : decodeSolo;
  const secondsPerRequest = tin / prefillFlops + tout / decodeBatched;
  const fit = est?.fits.find((f) => f.gpu === hardware);
  return {
    neededTokensPerS,
    encoder: {
      tokensPerS: ENCODER_CPU_TOKENS_PER_S,
      machines: Math.max(1, Math.ceil(encoderSecondsPerDay / 86_400)),
      latencyMs: (1000 * tin) / ENCODER_CPU_TOKENS_PER_S,
    },
    llm: {
      model,
      memoryGB,
      fits: gpu ? (fit?.fits ?? false) : null,
      hardware,
      requestsPerS: 1 / secondsPerRequest,
      devices: Math.max(1, Math.ceil((volumePerDay * secondsPerRequest) / 86_400)),
      latencyMs: 1000 * (tin / prefillFlops + tout / decodeSolo),
    },
  };
}
