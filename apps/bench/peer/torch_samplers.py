#!/usr/bin/env python3
"""The speed suite's peer: DDPM, DDIM and RTK-MALA with the exact isotropic-mixture score, in plain PyTorch on the CPU.

`pnpm bench --suite speed` (apps/bench/src/speed/peer.ts) runs this script with /usr/bin/python3 and reads its JSON
output; it can also be run by hand:

    /usr/bin/python3 apps/bench/peer/torch_samplers.py --threads 1 < config.json > timings.json

The config (JSON on stdin) gives the mixtures, the grids and the repeats, so both sides run the same problem:

    {"threads": 1, "scoreRepeats": 5, "samplerRepeats": 3, "level": 0.5, "seed": 0,
     "peakSize": 1024, "peakElements": 16777216,
     "cases": [{"size": "10000x2x8", "n": 10000, "d": 2,
                "weights": [...], "means": [[...], ...], "variances": [...],
                "samplers": [{"name": "ddpm", "levels": [...]},
                             {"name": "ddim", "levels": [...]},
                             {"name": "rtk-mala", "levels": [...], "innerSteps": 8, "stepSizes": [...]}]}]}

The formulas are those of ALGORITHMS.md (signal level a: X(a) = sqrt(a) X0 + sqrt(1 - a) Z), exactly as the
TypeScript samplers implement them (packages/samplers/src/ddpm.ts, ddim.ts, rtk.ts with packages/mcmc/src/mala.ts):

- mixture (section 3): p_a = sum_i w_i N(sqrt(a) mu_i, c_i I), c_i = a v_i + 1 - a; logits by expanding
  |x - m_i|^2 = |x|^2 - 2 x.m_i + |m_i|^2 (one matrix product), responsibilities by softmax, score
  s = sum_i r_i (m_i - x) / c_i = (r / c) M - (sum_i r_i / c_i) x (a second matrix product); log p_a by logsumexp.
- DDPM (section 5): alpha = a / a', beta = 1 - alpha, x' = (x + beta s(x, a)) / sqrt(alpha) + sqrt(beta / alpha) z.
- DDIM, eta = 0: x0 = (x + (1 - a) s) / sqrt(a), eps = -sqrt(1 - a) s, x' = sqrt(a') x0 + sqrt(1 - a') eps.
- RTK-MALA (sections 4-5): per segment a -> a', r = a / a', warm start x = (y + (1 - r) s(y, a)) / sqrt(r), then MALA
  on pi(x | y) with grad s(x, a') + sqrt(r) (y - sqrt(r) x) / (1 - r) and log p_a'(x) - |y - sqrt(r) x|^2 / (2 (1 - r)),
  proposal x + tau grad + sqrt(2 tau) xi, log q(x'|x) = -|x' - x - tau grad(x)|^2 / (4 tau), accept row by row.
  NFE: 1 (warm start) + 2 (init: gradient and log-density) + 2 per inner step, per segment; as in TypeScript, the
  gradient and the log-density are separate evaluations.

Output (JSON on stdout): torch version, threads, peak matmul GFLOP/s and element-wise GB/s, and per case the score
and log-density times (ms, every repeat after one warm-up; the score and the samplers also with process CPU time) and per sampler the times (ms, every repeat after one
warm-up), the NFE used, per-coordinate sample means, (biased) variances and kurtoses of the last repeat, and
RTK-MALA's mean acceptance.
Only torch and the standard library are used.
"""

import argparse
import json
import math
import statistics
import sys
import time

import torch


class IsotropicMixture:
    """The exact model of sum_i w_i N(mu_i, v_i I) at every signal level a (ALGORITHMS.md section 3)."""

    def __init__(self, weights, means, variances):
        self.log_w = torch.log(torch.tensor(weights, dtype=torch.float32))
        self.means = torch.tensor(means, dtype=torch.float32)  # [K, d]
        self.variances = torch.tensor(variances, dtype=torch.float32)  # [K]
        self.mean_norms = (self.means * self.means).sum(1)  # [K]
        self.d = self.means.shape[1]

    def logits(self, x, a):
        """log w_i + log N(x; sqrt(a) mu_i, c_i I), [n, K]."""
        c = a * self.variances + (1.0 - a)
        cross = x @ self.means.T  # [n, K]
        sq = (x * x).sum(1, keepdim=True) - (2.0 * math.sqrt(a)) * cross + a * self.mean_norms
        return self.log_w - 0.5 * self.d * torch.log(2.0 * math.pi * c) - 0.5 * sq / c

    def score(self, x, a):
        """s(x, a) = sum_i r_i(x) (sqrt(a) mu_i - x) / c_i."""
        c = a * self.variances + (1.0 - a)
        weighted = torch.softmax(self.logits(x, a), dim=1) / c  # r_i / c_i, [n, K]
        return math.sqrt(a) * (weighted @ self.means) - weighted.sum(1, keepdim=True) * x

    def log_density(self, x, a):
        return torch.logsumexp(self.logits(x, a), dim=1)

    def curvature_bound(self, a):
        return float((1.0 / (a * self.variances + (1.0 - a))).max())


def ddpm(model, levels, n, gen):
    x = torch.randn(n, model.d, generator=gen)
    nfe = 0
    for a, a_next in zip(levels[:-1], levels[1:]):
        alpha = a / a_next
        beta = 1.0 - alpha
        s = model.score(x, a)
        nfe += 1
        x = (x + beta * s) / math.sqrt(alpha) + math.sqrt(beta / alpha) * torch.randn(n, model.d, generator=gen)
    return x, nfe, {}


def ddim(model, levels, n, gen):
    x = torch.randn(n, model.d, generator=gen)
    nfe = 0
    for a, a_next in zip(levels[:-1], levels[1:]):
        s = model.score(x, a)
        nfe += 1
        x0 = (x + (1.0 - a) * s) / math.sqrt(a)
        eps = -math.sqrt(1.0 - a) * s
        x = math.sqrt(a_next) * x0 + math.sqrt(1.0 - a_next) * eps
    return x, nfe, {}


def rtk_mala(model, levels, n, gen, inner_steps, step_sizes):
    y = torch.randn(n, model.d, generator=gen)
    nfe = 0
    accepted_means = []
    for segment, (a, a_next) in enumerate(zip(levels[:-1], levels[1:])):
        r = a / a_next
        root_r = math.sqrt(r)
        tau = step_sizes[segment]

        def grad(x):
            return model.score(x, a_next) + (root_r / (1.0 - r)) * (y - root_r * x)

        def log_pi(x):
            residual = y - root_r * x
            return model.log_density(x, a_next) - (residual * residual).sum(1) / (2.0 * (1.0 - r))

        # warm start: one DDPM-style mean step
        x = (y + (1.0 - r) * model.score(y, a)) / root_r
        g, lp = grad(x), log_pi(x)
        nfe += 3
        for _ in range(inner_steps):
            proposal = x + tau * g + math.sqrt(2.0 * tau) * torch.randn(n, model.d, generator=gen)
            g_new, lp_new = grad(proposal), log_pi(proposal)
            nfe += 2
            forward = proposal - x - tau * g
            backward = x - proposal - tau * g_new
            log_ratio = lp_new - lp + ((forward * forward).sum(1) - (backward * backward).sum(1)) / (4.0 * tau)
            accept = torch.log(torch.rand(n, generator=gen)) < log_ratio
            accepted_means.append(float(accept.float().mean()))
            keep = accept.unsqueeze(1)
            x = torch.where(keep, proposal, x)
            g = torch.where(keep, g_new, g)
            lp = torch.where(accept, lp_new, lp)
        y = x
    return y, nfe, {"meanAcceptance": sum(accepted_means) / max(1, len(accepted_means))}


def timed(fn, repeats, cpu=None):
    """One warm-up call, then `repeats` timed calls; returns (wall times in ms, last result), and appends the process
    CPU times (ms, all threads) of the same calls to `cpu` when given."""
    result = fn()
    times = []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start) * 1000.0)
        if cpu is not None:
            cpu.append((time.process_time() - cpu_start) * 1000.0)
    return times, result


def peaks(m, e, repeats=5):
    """An m x m by m x m product (GFLOP/s) and the sum of two vectors of e float32 numbers (GB/s), median repeat (the
    statistic of every time compared)."""
    a, b = torch.randn(m, m), torch.randn(m, m)
    mm, _ = timed(lambda: a @ b, repeats)
    u, v = torch.randn(e), torch.randn(e)
    add, _ = timed(lambda: u + v, repeats)
    return {
        "matmulSize": m,
        "matmulMs": mm,
        "matmulGflops": 2.0 * m**3 / (statistics.median(mm) * 1e6),
        "addElements": e,
        "addMs": add,
        "addGBs": 12.0 * e / (statistics.median(add) * 1e6),
    }


def run_case(case, config):
    model = IsotropicMixture(case["weights"], case["means"], case["variances"])
    n, level = case["n"], config.get("level", 0.5)
    gen = torch.Generator().manual_seed(config.get("seed", 0) + 11)
    x = torch.randn(n, model.d, generator=gen)
    score_cpu_ms = []
    score_ms, _ = timed(lambda: model.score(x, level), config["scoreRepeats"], score_cpu_ms)
    log_density_ms, _ = timed(lambda: model.log_density(x, level), config["scoreRepeats"])
    normal_ms, _ = timed(lambda: torch.randn(n, model.d, generator=gen), config["scoreRepeats"])
    samplers = []
    for spec in case["samplers"]:
        name, levels = spec["name"], spec["levels"]
        seed = config.get("seed", 0)

        def run(name=name, levels=levels, spec=spec, seed=seed):
            gen = torch.Generator().manual_seed(seed)
            if name == "ddpm":
                return ddpm(model, levels, n, gen)
            if name == "ddim":
                return ddim(model, levels, n, gen)
            if name == "rtk-mala":
                return rtk_mala(model, levels, n, gen, spec["innerSteps"], spec["stepSizes"])
            raise ValueError(f"unknown sampler {name}")

        cpu_ms = []
        times, (samples, nfe, info) = timed(run, config["samplerRepeats"], cpu_ms)
        mean = samples.mean(0)
        squared = (samples - mean) ** 2
        variance = squared.mean(0)
        samplers.append(
            {
                "sampler": name,
                "ms": times,
                "cpuMs": cpu_ms,
                "nfe": nfe,
                "mean": mean.tolist(),
                "variance": variance.tolist(),
                "kurtosis": ((squared * squared).mean(0) / (variance * variance)).tolist(),
                **info,
            }
        )
    return {
        "size": case["size"],
        "scoreMs": score_ms,
        "scoreCpuMs": score_cpu_ms,
        "logDensityMs": log_density_ms,
        "normalMs": normal_ms,
        "samplers": samplers,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: the config's)")
    args = parser.parse_args()
    config = json.load(sys.stdin)
    threads = args.threads if args.threads is not None else config.get("threads", 1)
    torch.set_num_threads(threads)
    with torch.inference_mode():
        out = {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "peak": peaks(config.get("peakSize", 1024), config.get("peakElements", 1 << 24)),
            "cases": [run_case(case, config) for case in config["cases"]],
        }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
