/**
 * TensorFlow.js layers, pinned to the repo's tfjs version (4.22.0).
 *
 * `@tensorflow/tfjs-layers` computes with the one `@tensorflow/tfjs-core` of the workspace (a peer dependency, resolved
 * by pnpm to the same package `@rtk-diffusion/tensor` uses). Its Node bundle also inlines tfjs-core's
 * `register_all_gradients`, which registers every op gradient in the global registry that all copies of tfjs-core
 * share: tfjs-core alone registers none, so importing this module is what makes `tf.grads` work.
 */
import * as tfl from '@tensorflow/tfjs-layers';

export { tfl };
