// Entry point of `pnpm bench`. The benchmarks app (apps/bench) does not exist yet.
console.log('no benchmarks yet');
