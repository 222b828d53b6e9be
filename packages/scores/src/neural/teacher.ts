/**
 * A data-space score model seen in model space, for teacher targets (`makeBatch`).
 *
 * The network diffuses model-space rows y0 = (x0 − shift) · s: y_a = sqrt(a) y0 + sqrt(1 − a) ε. In data units this is
 * y_a = k · x_b − c with the data-space diffusion x_b = sqrt(b) x0 + sqrt(1 − b) ε at the level b of equal noise to
 * signal, SNR(b) = s² SNR(a) (SNR(a) = a / (1 − a)), so b = s² a / (1 − a + s² a), and k = s · sqrt(a / b),
 * c = s · sqrt(a) · shift. Hence p_a^model(y) ∝ p_b^data((y + c) / k) and
 *   s_model(y, a) = s_data((y + c) / k, b) / k.
 * With the identity scaling (shift 0, s = 1), b = a, k = 1, c = 0 and the teacher is returned unchanged.
 */
import { tf } from '@rtk-diffusion/tensor';
import type { ScoreModel } from '../types.js';
import type { DataScaling } from './data.js';

/** The level b, factor k and offset c of the module comment for model level a. */
export function dataLevelOf(
  scaling: DataScaling,
  a: number,
): { readonly b: number; readonly k: number; readonly c: number } {
  const s2 = scaling.scale * scaling.scale;
  const b = (s2 * a) / (1 - a + s2 * a);
  return { b, k: scaling.scale * Math.sqrt(a / b), c: scaling.scale * Math.sqrt(a) * scaling.shift };
}

/** The model-space score model of a data-space score model `teacher` under `scaling` (see the module comment). */
export function modelSpaceTeacher(teacher: ScoreModel, scaling: DataScaling): ScoreModel {
  if (scaling.shift === 0 && scaling.scale === 1) return teacher;
  return {
    dim: teacher.dim,
    score(y, a) {
      const { b, k, c } = dataLevelOf(scaling, a);
      return tf.tidy(() => {
        const x = tf.div<tf.Tensor2D>(tf.add(y, c), k);
        const score = teacher.score(x, b);
        return tf.div<tf.Tensor2D>(score, k);
      });
    },
  };
}
