"""Float64 model of dual averaging (dual-averaging.ts) on the targets of adapt-step-size.test.ts, for its tolerances.

MALA on N(0, s² I_10) started at exact samples stays stationary whatever its step size, so its acceptance at step
size τ is a draw with the stationary mean α(τ/s²) and spread sd(τ/s²), both computed here by Monte Carlo (200 000
exact draws, common random numbers over a grid of τ). The model feeds dual averaging (Hoffman & Gelman's constants)
with α plus Gaussian noise of that spread over the number of chains a lane averages, and reports:
  shared: 500 chains, ε0 = 0.01, 150 iterations: α(ε̄) − 0.574, noise-free and over 2000 replicates;
  per chain: one chain a lane, ε0 = 0.05, 200 iterations, 50 lanes at s² = 1 and 50 at s² = 1/25:
             log(median ε̄ of the first / median of the second / 25) over 200 replicates.
Run: python3 dual-averaging-model.py (numpy; about a minute). Seeded; prints the numbers the test comments cite.
"""
import numpy as np

D, DRAWS = 10, 200_000
GAMMA, T0, KAPPA, DELTA = 0.05, 10, 0.75, 0.574

rng = np.random.default_rng(0)
x, xi = rng.standard_normal((DRAWS, D)), rng.standard_normal((DRAWS, D))


def acceptance(tau):
    """Mean and spread of MALA's acceptance on N(0, I_10) at stationarity (gradient −x)."""
    y = (1 - tau) * x + np.sqrt(2 * tau) * xi
    forward = -np.sum((y - (1 - tau) * x) ** 2, 1) / (4 * tau)
    backward = -np.sum((x - (1 - tau) * y) ** 2, 1) / (4 * tau)
    log_ratio = -0.5 * np.sum(y * y, 1) + 0.5 * np.sum(x * x, 1) + backward - forward
    alpha = np.exp(np.minimum(log_ratio, 0))
    return alpha.mean(), alpha.std()


LOG_TAU = np.linspace(np.log(1e-3), np.log(5), 300)
CURVE = np.array([acceptance(np.exp(t)) for t in LOG_TAU])


def dual_averaging(eps0, scale2, iterations, chains, noise):
    """log ε̄ after `iterations` updates of one lane averaging `chains` chains."""
    log_eps, mu, h, log_bar = np.log(eps0), np.log(10 * eps0), 0.0, np.log(eps0)
    for m in range(1, iterations + 1):
        t = log_eps - np.log(scale2)
        mean, sd = np.interp(t, LOG_TAU, CURVE[:, 0]), np.interp(t, LOG_TAU, CURVE[:, 1])
        alpha = min(max(mean + noise.standard_normal() * sd / np.sqrt(chains), 0.0), 1.0)
        h = (1 - 1 / (m + T0)) * h + (DELTA - alpha) / (m + T0)
        log_eps = mu - np.sqrt(m) / GAMMA * h
        log_bar = m**-KAPPA * log_eps + (1 - m**-KAPPA) * log_bar
    return log_bar


class Quiet:
    def standard_normal(self):
        return 0.0


star = np.exp(np.interp(-DELTA, -CURVE[:, 0], LOG_TAU))
print(f"tau* = {star:.3f}")
bias = np.interp(dual_averaging(0.01, 1, 150, 500, Quiet()), LOG_TAU, CURVE[:, 0]) - DELTA
noisy = np.array(
    [np.interp(dual_averaging(0.01, 1, 150, 500, np.random.default_rng(s)), LOG_TAU, CURVE[:, 0]) for s in range(2000)]
)
print(f"shared: noise-free alpha(eps_bar) - 0.574 = {bias:+.4f}; noisy: sd {noisy.std():.4f}, "
      f"max |alpha - 0.574| {np.abs(noisy - DELTA).max():.4f}")
log_ratios = []
for rep in range(200):
    lanes = [np.random.default_rng(1000 * rep + i) for i in range(100)]
    first = [dual_averaging(0.05, 1, 200, 1, lanes[i]) for i in range(50)]
    second = [dual_averaging(0.05, 1 / 25, 200, 1, lanes[50 + i]) for i in range(50)]
    log_ratios.append(np.median(first) - np.median(second) - np.log(25))
log_ratios = np.array(log_ratios)
print(f"per chain: log(ratio/25) mean {log_ratios.mean():+.4f}, sd {log_ratios.std():.4f}, "
      f"range [{log_ratios.min():+.4f}, {log_ratios.max():+.4f}]")
