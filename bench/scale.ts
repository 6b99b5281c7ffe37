// BENCH_SCALE=small runs every benchmark on smaller data and shorter runs: a smoke check of the
// whole suite in under two minutes, whose figures are not the targets' (rows say which scale).
export const scale: 'full' | 'small' = process.env.BENCH_SCALE === 'small' ? 'small' : 'full'
export const small = scale === 'small'
