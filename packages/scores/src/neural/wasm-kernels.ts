/**
 * Faster training kernels for the wasm backend (`@tensorflow/tfjs-backend-wasm` 4.22). The training functions use them
 * through {@link withWasmTrainingKernels}, only for the synchronous span of each training step, and put the kernels
 * that were registered before back right after it: no other code can run in between, so nothing outside a training
 * step (sampling, exact scores, evaluation, in the same process and after training) ever runs on them, and its results
 * do not depend on whether a network was trained. {@link installWasmTrainingKernels} installs them for good, for a
 * caller that wants that (nothing happens on import). Their natural home is `@rtk-diffusion/tensor`'s `initBackend`.
 *
 * Convolutions: the backend has no `Conv2DBackpropFilter` kernel at all (a convolution cannot be trained there), and
 * its `Conv2DBackpropInput` is a plain loop, ≈ 20× slower than its XNNPACK forward convolution. Both gradients of a
 * stride-s convolution y = x ⋆ W (NHWC, padding top/left p_t, p_l) are forward convolutions:
 *   ∂L/∂x = dy ⋆ W′ for s = 1, with W′[i, j, o, c] = W[f_h − 1 − i, f_w − 1 − j, c, o] and padding f − 1 − p;
 *   ∂L/∂W = transpose(xᵀ ⋆_s dyᵀ), with the batch as channels: xᵀ = x permuted to [C, H, W, B], the filter
 *           dyᵀ = dy permuted to [o_h, o_w, B, O], dilation s, cropped to [f_h, f_w].
 * Measured for a batch of 64 at 28 × 28 × 16 → 16: forward 17 ms; ∂x 235 ms by the stock kernel, 13 ms as a forward
 * convolution; ∂W 34 ms (other strides of ∂x fall back to the stock kernel).
 *
 * Matrix products: the backend's `BatchMatMul` and `_FusedMatMul` are ≈ 10× slower with a transposed operand (the
 * layout of every gradient of a dense layer: 8.3 ms for xᵀ·dy at [256, 160] × [256, 128], 0.9 ms after an explicit
 * transpose), so transposed operands are transposed first and the stock kernel runs untransposed.
 */
import { BackendError, tf } from '@rtk-diffusion/tensor';

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];
type Backend = KernelArgs['backend'] & { disposeData(dataId: object): boolean };
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

const BACKEND = 'wasm';
const BACKPROP_INPUT = 'Conv2DBackpropInput';
const BACKPROP_FILTER = 'Conv2DBackpropFilter';
const MATMUL = 'BatchMatMul';
const FUSED_MATMUL = '_FusedMatMul';
/** Marks the kernels registered here, so installing twice is a no-op. */
const MARK = Symbol.for('rtk-diffusion.wasm-training-kernels');

/**
 * Registers the faster `Conv2DBackpropInput`, `BatchMatMul` and `_FusedMatMul` kernels and the missing
 * `Conv2DBackpropFilter` kernel for the `wasm` backend, built from its own `Conv2D`, `Transpose`, `Reverse`, `Slice`
 * and matrix-product kernels (same results up to float32 rounding). Idempotent; does nothing when the wasm backend is
 * not registered. Returns whether the kernels are in place.
 */
export function installWasmTrainingKernels(): boolean {
  if (tf.findBackendFactory(BACKEND) == null) return false;
  const current = tf.getKernel(BACKPROP_FILTER, BACKEND) as (tf.KernelConfig & { [MARK]?: true }) | undefined;
  if (current?.[MARK]) return true;
  const stock = (name: string) => tf.getKernel(name, BACKEND)?.kernelFunc;
  const [stockInput, stockMatMul, stockFused] = [stock(BACKPROP_INPUT), stock(MATMUL), stock(FUSED_MATMUL)];
  const kernel = (name: string, fn: (args: KernelArgs) => TensorInfo) => {
    if (tf.getKernel(name, BACKEND) !== undefined) tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({
      kernelName: name,
      backendName: BACKEND,
      kernelFunc: fn as tf.KernelFunc,
      [MARK]: true,
    } as tf.KernelConfig);
  };
  if (stockMatMul !== undefined) kernel(MATMUL, (args) => untransposed(args, stockMatMul));
  if (stockFused !== undefined) kernel(FUSED_MATMUL, (args) => untransposed(args, stockFused));
  kernel(BACKPROP_INPUT, (args) => backpropInput(args, stockInput));
  kernel(BACKPROP_FILTER, backpropFilter);
  return true;
}

const OVERRIDDEN = [BACKPROP_INPUT, BACKPROP_FILTER, MATMUL, FUSED_MATMUL];

/**
 * Runs `fn` with the training kernels in place when the current backend is wasm (as they are if installed for good),
 * then re-registers exactly the kernels that were there before (none for `Conv2DBackpropFilter`, the stock ones for
 * the others). `fn` must be synchronous, so no other code runs on them meanwhile; an async `fn` is refused.
 */
export function withWasmTrainingKernels<T>(fn: () => T): T {
  const current = tf.getKernel(BACKPROP_FILTER, BACKEND) as (tf.KernelConfig & { [MARK]?: true }) | undefined;
  if (tf.getBackend() !== BACKEND || current?.[MARK]) return fn();
  const before = OVERRIDDEN.map((name) => tf.getKernel(name, BACKEND));
  installWasmTrainingKernels();
  try {
    const result = fn();
    if (result instanceof Promise) throw new TypeError('withWasmTrainingKernels: fn must be synchronous');
    return result;
  } finally {
    OVERRIDDEN.forEach((name, i) => {
      if (tf.getKernel(name, BACKEND) !== undefined) tf.unregisterKernel(name, BACKEND);
      const config = before[i];
      if (config !== undefined) tf.registerKernel(config);
    });
  }
}

/** Runs a matrix-product kernel with its transposed operands transposed explicitly. */
function untransposed(args: KernelArgs, stock: tf.KernelFunc): TensorInfo {
  const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
  if (!transposeA && !transposeB) return stock(args) as TensorInfo;
  const backend = args.backend as Backend;
  const inputs = { ...(args.inputs as Record<string, TensorInfo>) };
  const temporary: TensorInfo[] = [];
  const swap = (key: 'a' | 'b') => {
    const x = inputs[key]!;
    const perm = x.shape.map((_, i) => i);
    perm.splice(-2, 2, perm.length - 1, perm.length - 2);
    inputs[key] = run('Transpose', { inputs: { x }, backend, attrs: { perm } });
    temporary.push(inputs[key]!);
  };
  if (transposeA) swap('a');
  if (transposeB) swap('b');
  try {
    return stock({
      ...args,
      inputs,
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    }) as TensorInfo;
  } finally {
    for (const t of temporary) backend.disposeData(t.dataId);
  }
}

function run(name: string, args: KernelArgs): TensorInfo {
  const config = tf.getKernel(name, BACKEND);
  if (config === undefined) throw new BackendError(`the wasm backend has no '${name}' kernel`);
  return config.kernelFunc(args) as TensorInfo;
}

function padInfo(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

function checkFormat(dataFormat: unknown, name: string): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new BackendError(`${name} on wasm supports only the NHWC data format, got ${String(dataFormat)}`);
  }
}

/** ∂L/∂x = dy ⋆ W′ (stride 1); other strides use the stock kernel. */
function backpropInput(args: KernelArgs, stock: tf.KernelFunc | undefined): TensorInfo {
  const { inputs, attrs } = args;
  const backend = args.backend as Backend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: Pad;
    dataFormat: string;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  checkFormat(dataFormat, BACKPROP_INPUT);
  const info = padInfo(inputShape, filter.shape, strides, pad, dimRoundingMode);
  const { filterHeight: fh, filterWidth: fw } = info;
  const p = info.padInfo;
  const fast =
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    Math.max(p.top, p.bottom) <= fh - 1 &&
    Math.max(p.left, p.right) <= fw - 1;
  if (!fast) {
    if (stock === undefined)
      throw new BackendError(`no ${BACKPROP_INPUT} kernel for this convolution on wasm`);
    return stock(args) as TensorInfo;
  }
  const flipped = run('Reverse', { inputs: { x: filter }, backend, attrs: { dims: [0, 1] } });
  const swapped = run('Transpose', { inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } });
  backend.disposeData(flipped.dataId);
  const explicit = [
    [0, 0],
    [fh - 1 - p.top, fh - 1 - p.bottom],
    [fw - 1 - p.left, fw - 1 - p.right],
    [0, 0],
  ];
  const dx = run('Conv2D', {
    inputs: { x: dy, filter: swapped },
    backend,
    attrs: { strides: 1, pad: explicit, dataFormat: 'NHWC', dilations: 1 } as unknown as tf.NamedAttrMap,
  });
  backend.disposeData(swapped.dataId);
  return dx;
}

/** ∂L/∂W = transpose(xᵀ ⋆ dyᵀ) with dilation = stride, cropped to the filter size. */
function backpropFilter(args: KernelArgs): TensorInfo {
  const { inputs, attrs } = args;
  const backend = args.backend as Backend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: Pad;
    dataFormat: string;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  checkFormat(dataFormat, BACKPROP_FILTER);
  const info = padInfo(x.shape, filterShape, strides, pad, dimRoundingMode);
  const p = info.padInfo;
  const xT = run('Transpose', { inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } });
  const dyT = run('Transpose', { inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
  const explicit = [
    [0, 0],
    [p.top, p.bottom],
    [p.left, p.right],
    [0, 0],
  ];
  let product = run('Conv2D', {
    inputs: { x: xT, filter: dyT },
    backend,
    attrs: {
      strides: 1,
      pad: explicit,
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    } as unknown as tf.NamedAttrMap,
  });
  backend.disposeData(xT.dataId);
  backend.disposeData(dyT.dataId);
  const [fh, fw, inChannels, outChannels] = filterShape;
  if (product.shape[1] !== fh || product.shape[2] !== fw) {
    const cropped = run('Slice', {
      inputs: { x: product },
      backend,
      attrs: { begin: [0, 0, 0, 0], size: [inChannels, fh, fw, outChannels] },
    });
    backend.disposeData(product.dataId);
    product = cropped;
  }
  const dw = run('Transpose', { inputs: { x: product }, backend, attrs: { perm: [1, 2, 0, 3] } });
  backend.disposeData(product.dataId);
  return dw;
}
