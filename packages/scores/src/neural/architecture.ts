/**
 * The score-network architectures, as TensorFlow.js layers models with two inputs, `x` [dim] (a flattened point in
 * model space) and `level` [embeddingSize] (the level embedding of `embedding.ts`), and one output [dim] (the
 * prediction). Only stock layers are used, so a saved model.json loads in any TensorFlow.js.
 *
 * - `mlp`: the level features go through a dense swish layer t; then h = swish(W [x, t]), followed by depth − 1
 *   residual blocks h ← h + swish(W_k [h, t]); a linear output layer, initialised at zero (the first prediction is 0).
 * - `unet`: for height × width images (both divisible by 4). Residual blocks of two 3 × 3 convolutions with swish, the
 *   level added as a per-channel bias after the first; channels C at full size, 2C at ½ and ¼ (average pooling down,
 *   nearest upsampling up, skip connections by concatenation); a zero-initialised 1 × 1 output convolution.
 */

import { ValidationError } from '@rtk-diffusion/tensor';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkEmbeddingSize } from './embedding.js';
import { tfl } from './layers.js';

/** A time-conditioned MLP for d-dimensional data. */
export interface MlpArchitecture {
  readonly kind: 'mlp';
  /** Data dimension d. */
  readonly dim: number;
  /** Width of every hidden layer. */
  readonly hidden: number;
  /** Number of hidden layers (≥ 1). */
  readonly depth: number;
  /** Size of the level embedding (even, ≥ 4). */
  readonly embeddingSize: number;
}

/** A small convolutional U-Net for single-channel height × width images. */
export interface UnetArchitecture {
  readonly kind: 'unet';
  readonly height: number;
  readonly width: number;
  /** Channels C at full resolution (2C below). */
  readonly channels: number;
  /** Size of the level embedding (even, ≥ 4). */
  readonly embeddingSize: number;
}

/** A score-network architecture. */
export type NetworkArchitecture = MlpArchitecture | UnetArchitecture;

/** Defaults of {@link mlpArchitecture}: 3 hidden layers of 128, embedding 32. */
export const MLP_DEFAULTS: Readonly<Omit<MlpArchitecture, 'kind' | 'dim'>> = Object.freeze({
  hidden: 128,
  depth: 3,
  embeddingSize: 32,
});

/** Defaults of {@link unetArchitecture}: 28 × 28, 16 channels, embedding 32. */
export const UNET_DEFAULTS: Readonly<Omit<UnetArchitecture, 'kind'>> = Object.freeze({
  height: 28,
  width: 28,
  channels: 16,
  embeddingSize: 32,
});

/** An MLP architecture for dimension `dim`, defaults from {@link MLP_DEFAULTS}. */
export function mlpArchitecture(
  dim: number,
  options: Partial<Omit<MlpArchitecture, 'kind' | 'dim'>> = {},
): MlpArchitecture {
  return checkArchitecture({ kind: 'mlp', dim, ...MLP_DEFAULTS, ...options });
}

/** A U-Net architecture, defaults from {@link UNET_DEFAULTS}. */
export function unetArchitecture(options: Partial<Omit<UnetArchitecture, 'kind'>> = {}): UnetArchitecture {
  return checkArchitecture({ kind: 'unet', ...UNET_DEFAULTS, ...options });
}

/** The data dimension of an architecture. */
export function architectureDim(architecture: NetworkArchitecture): number {
  return architecture.kind === 'mlp' ? architecture.dim : architecture.height * architecture.width;
}

function positiveInteger(value: number, name: string, kind: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(`${kind} architecture: ${name} must be an integer ≥ 1, got ${value}`, {
      [name]: value,
    });
  }
}

/**
 * Checks an architecture and returns it.
 *
 * @throws {@link ValidationError} for an unknown kind, non-positive sizes, an odd embedding size, or U-Net image sides
 *   not divisible by 4.
 */
export function checkArchitecture<A extends NetworkArchitecture>(architecture: A): A {
  const kind = (architecture as { kind?: unknown }).kind;
  if (kind === 'mlp') {
    const a = architecture as MlpArchitecture;
    positiveInteger(a.dim, 'dim', 'mlp');
    positiveInteger(a.hidden, 'hidden', 'mlp');
    positiveInteger(a.depth, 'depth', 'mlp');
  } else if (kind === 'unet') {
    const a = architecture as UnetArchitecture;
    positiveInteger(a.channels, 'channels', 'unet');
    for (const side of ['height', 'width'] as const) {
      if (!Number.isInteger(a[side]) || a[side] < 4 || a[side] % 4 !== 0) {
        throw new ValidationError(
          `unet architecture: ${side} must be a multiple of 4 (two 2× poolings), got ${a[side]}`,
          { [side]: a[side] },
        );
      }
    }
  } else {
    throw new ValidationError(`architecture: kind must be 'mlp' or 'unet', got ${JSON.stringify(kind)}`, {
      kind,
    });
  }
  checkEmbeddingSize(architecture.embeddingSize, `${kind} architecture`);
  return architecture;
}

/** Builds the (untrained, all-zero) layers model of an architecture. */
export function buildNetworkModel(architecture: NetworkArchitecture): tfl.LayersModel {
  checkArchitecture(architecture);
  const dim = architectureDim(architecture);
  const x = tfl.input({ shape: [dim], name: 'x' });
  const level = tfl.input({ shape: [architecture.embeddingSize], name: 'level' });
  const output =
    architecture.kind === 'mlp' ? mlpBody(architecture, x, level) : unetBody(architecture, x, level);
  return tfl.model({ inputs: [x, level], outputs: output, name: `score_${architecture.kind}` });
}

type Layer = { apply(input: SymbolicTensor | SymbolicTensor[]): unknown };

function call(layer: Layer, input: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(input) as SymbolicTensor;
}

const ZEROS = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;

function mlpBody(a: MlpArchitecture, x: SymbolicTensor, level: SymbolicTensor): SymbolicTensor {
  const dense = (units: number, name: string, activation: 'swish' | 'linear') =>
    tfl.layers.dense({ units, activation, name, ...ZEROS });
  const t = call(dense(a.hidden, 'mlp_level', 'swish'), level);
  let h = call(
    dense(a.hidden, 'mlp_hidden_0', 'swish'),
    call(tfl.layers.concatenate({ name: 'mlp_join_0' }), [x, t]),
  );
  for (let k = 1; k < a.depth; k++) {
    const joined = call(tfl.layers.concatenate({ name: `mlp_join_${k}` }), [h, t]);
    const update = call(dense(a.hidden, `mlp_hidden_${k}`, 'swish'), joined);
    h = call(tfl.layers.add({ name: `mlp_residual_${k}` }), [h, update]);
  }
  return call(dense(a.dim, 'mlp_out', 'linear'), h);
}

function unetBody(a: UnetArchitecture, x: SymbolicTensor, level: SymbolicTensor): SymbolicTensor {
  const c = a.channels;
  let count = 0;
  const name = (what: string) => `unet_${what}_${count++}`;
  const conv = (
    filters: number,
    size: number,
    input: SymbolicTensor,
    activation: 'swish' | 'linear' = 'linear',
  ) =>
    call(
      tfl.layers.conv2d({
        filters,
        kernelSize: size,
        padding: 'same',
        activation,
        name: name('conv'),
        ...ZEROS,
      }),
      input,
    );
  const t = call(
    tfl.layers.dense({ units: 2 * c, activation: 'swish', name: 'unet_level', ...ZEROS }),
    level,
  );
  const block = (input: SymbolicTensor, filters: number): SymbolicTensor => {
    const first = conv(filters, 3, input);
    const bias = call(tfl.layers.dense({ units: filters, name: name('level'), ...ZEROS }), t);
    const shaped = call(tfl.layers.reshape({ targetShape: [1, 1, filters], name: name('reshape') }), bias);
    const conditioned = call(tfl.layers.add({ name: name('add') }), [first, shaped]);
    const activated = call(tfl.layers.activation({ activation: 'swish', name: name('swish') }), conditioned);
    const second = conv(filters, 3, activated, 'swish');
    const inputChannels = input.shape[input.shape.length - 1];
    const skip = inputChannels === filters ? input : conv(filters, 1, input);
    return call(tfl.layers.add({ name: name('residual') }), [second, skip]);
  };
  const pool = (input: SymbolicTensor) =>
    call(tfl.layers.averagePooling2d({ poolSize: 2, name: name('pool') }), input);
  const up = (input: SymbolicTensor) =>
    call(tfl.layers.upSampling2d({ size: [2, 2], name: name('up') }), input);
  const join = (inputs: SymbolicTensor[]) => call(tfl.layers.concatenate({ name: name('join') }), inputs);
  const image = call(tfl.layers.reshape({ targetShape: [a.height, a.width, 1], name: 'unet_image' }), x);
  const full = block(image, c);
  const half = block(pool(full), 2 * c);
  const quarter = block(pool(half), 2 * c);
  const halfUp = block(join([up(quarter), half]), 2 * c);
  const fullUp = block(join([up(halfUp), full]), c);
  const out = call(
    tfl.layers.conv2d({ filters: 1, kernelSize: 1, padding: 'same', name: 'unet_out', ...ZEROS }),
    fullUp,
  );
  return call(tfl.layers.reshape({ targetShape: [a.height * a.width], name: 'unet_flat' }), out);
}
