/**
 * The `ScoreModel` interface as the guide lists it, checked at compile
 * time against the real one of `@rtk-diffusion/scores` (same members,
 * same types), so the listing cannot drift. The docs' typecheck runs it.
 */
import type { ScoreModel as ScoresScoreModel } from '@rtk-diffusion/scores';
import type { Tensor1D, Tensor2D } from '@rtk-diffusion/tensor';

// #region interface
interface ScoreModel {
  readonly dim: number;
  // s(x, a) = ∇ log p_a(x) for a batch x of shape [n, dim]
  score(x: Tensor2D, a: number): Tensor2D;
  // normalised log p_a(x), optional (RTK-MALA needs it)
  logDensity?(x: Tensor2D, a: number): Tensor1D;
  // bounds the Hessian of −log p_a, optional (sets RTK step sizes)
  curvatureBound?(a: number): number;
  readonly predictionType?: 'score' | 'epsilon' | 'x0' | 'v';
}
// #endregion interface

/** `true` when A and B are mutually assignable. */
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? true
    : false
  : false;
/** `true` when A and B have the same keys and types under every key. */
type SameShape<A, B> =
  Same<keyof A, keyof B> extends true
    ? false extends {
        [K in keyof A & keyof B]-?: Same<Required<A>[K], Required<B>[K]>;
      }[keyof A & keyof B]
      ? false
      : Same<A, B>
    : false;

/** Compile-time proof that the listing is the real interface. */
export const listingIsTheRealInterface: SameShape<
  ScoreModel,
  ScoresScoreModel
> = true;
