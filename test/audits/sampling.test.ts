// Known-answer values: xoshiro128** from state [1, 2, 3, 4] is the test vector of the Rust
// rand_xoshiro crate, produced there with Blackman and Vigna's reference xoshiro128starstar.c.
// cyrb128 outputs, seeded streams and seeded orders were computed with an independent Python 3
// re-implementation of the procedure documented at the top of audits/sampling.ts (unsigned
// big-integer arithmetic masked to 32 bits, sorted() on ASCII ids). Allocation cases were computed
// in Python with exact fractions (Neyman planning values chosen so that sqrt(p(1 − p)) is
// rational), exact largest remainders and key tie-breaks; cases drawn with random.seed(99).
import t from 'tap'
import fc from 'fast-check'
import { drawSample, seededOrder } from '../../audits/sampling.ts'
import { createRng, cyrb128, stratumSeed, xoshiro128ss } from '../../audits/seeded-random.ts'
import { sortByCodeUnits } from '../../audits/code-unit-sort.ts'
import { allocate, type AllocationMethod, type AllocationStratum } from '../../audits/sample-allocation.ts'

const ALLOCATIONS: {
  strata: AllocationStratum[]
  total: number
  method: AllocationMethod
  minimum: number
  expected: number[] | 'throws'
}[] = [
  {
    strata: [
      { key: 'c', size: 7, expectedProportion: 0 },
      { key: 'west', size: 10 },
      { key: 'east', size: 1000 },
      { key: 'south', size: 1000, expectedProportion: 0.8 },
    ],
    total: 100,
    method: 'proportional',
    minimum: 2,
    expected: [2, 2, 48, 48],
  },
  {
    strata: [
      { key: 'area-2', size: 3, expectedProportion: 0.1 },
      { key: 'west', size: 25, expectedProportion: 0.9 },
      { key: 'b', size: 1000 },
      { key: 'c', size: 1, expectedProportion: 0.5 },
      { key: 'area-10', size: 0, expectedProportion: 0 },
      { key: 'south', size: 60, expectedProportion: 0.8 },
    ],
    total: 1,
    method: 'neyman',
    minimum: 5,
    expected: 'throws',
  },
  {
    strata: [
      { key: 'Z', size: 3 },
      { key: 'north', size: 200, expectedProportion: 0.1 },
      { key: 'b', size: 1000 },
      { key: 'south', size: 0, expectedProportion: 0.1 },
      { key: 'c', size: 200 },
    ],
    total: 50,
    method: 'proportional',
    minimum: 2,
    expected: [2, 7, 34, 0, 7],
  },
  {
    strata: [
      { key: 'south', size: 25, expectedProportion: 0.5 },
      { key: 'east', size: 7 },
      { key: 'a', size: 0 },
      { key: 'Z', size: 200, expectedProportion: 0.5 },
      { key: 'north', size: 3, expectedProportion: 0.9 },
      { key: 'west', size: 200 },
    ],
    total: 5,
    method: 'equal',
    minimum: 5,
    expected: 'throws',
  },
  {
    strata: [
      { key: 'area-2', size: 1, expectedProportion: 0.1 },
      { key: 'c', size: 10, expectedProportion: 0.1 },
    ],
    total: 50,
    method: 'proportional',
    minimum: 0,
    expected: [1, 10],
  },
  {
    strata: [
      { key: 'b', size: 1 },
      { key: 'Z', size: 25, expectedProportion: 0 },
      { key: 'west', size: 1000, expectedProportion: 0.8 },
      { key: 'c', size: 0, expectedProportion: 0.5 },
      { key: 'east', size: 60, expectedProportion: 1 },
    ],
    total: 50,
    method: 'neyman',
    minimum: 2,
    expected: [1, 2, 45, 0, 2],
  },
  {
    strata: [
      { key: 'area-10', size: 0 },
      { key: 'south', size: 60 },
      { key: 'east', size: 7, expectedProportion: 0.9 },
    ],
    total: 10,
    method: 'equal',
    minimum: 1,
    expected: [0, 5, 5],
  },
  { strata: [{ key: 'b', size: 7 }], total: 10, method: 'neyman', minimum: 1, expected: [7] },
  {
    strata: [
      { key: 'south', size: 1, expectedProportion: 0.9 },
      { key: 'Z', size: 25 },
      { key: 'c', size: 1000, expectedProportion: 0.2 },
      { key: 'east', size: 60 },
    ],
    total: 50,
    method: 'equal',
    minimum: 5,
    expected: [1, 17, 16, 16],
  },
  {
    strata: [
      { key: 'a', size: 200, expectedProportion: 0.2 },
      { key: 'c', size: 7, expectedProportion: 0.9 },
    ],
    total: 33,
    method: 'equal',
    minimum: 1,
    expected: [26, 7],
  },
  {
    strata: [
      { key: 'east', size: 60 },
      { key: 'a', size: 7, expectedProportion: 1 },
    ],
    total: 33,
    method: 'equal',
    minimum: 2,
    expected: [26, 7],
  },
  {
    strata: [{ key: 'south', size: 1000, expectedProportion: 0 }],
    total: 400,
    method: 'neyman',
    minimum: 0,
    expected: [400],
  },
  {
    strata: [
      { key: 'Z', size: 60, expectedProportion: 0.8 },
      { key: 'west', size: 10, expectedProportion: 0 },
      { key: 'a', size: 1 },
      { key: 'b', size: 1, expectedProportion: 0 },
      { key: 'c', size: 60, expectedProportion: 0.8 },
    ],
    total: 5000,
    method: 'equal',
    minimum: 1,
    expected: [60, 10, 1, 1, 60],
  },
  {
    strata: [
      { key: 'south', size: 60 },
      { key: 'c', size: 10, expectedProportion: 0.1 },
    ],
    total: 5,
    method: 'neyman',
    minimum: 2,
    expected: [3, 2],
  },
  {
    strata: [
      { key: 'area-10', size: 7, expectedProportion: 0.8 },
      { key: 'east', size: 60, expectedProportion: 0.5 },
      { key: 'b', size: 200 },
      { key: 'area-2', size: 1, expectedProportion: 0.5 },
    ],
    total: 400,
    method: 'proportional',
    minimum: 0,
    expected: [7, 60, 200, 1],
  },
  {
    strata: [
      { key: 'Z', size: 0, expectedProportion: 0.8 },
      { key: 'south', size: 10 },
      { key: 'b', size: 25, expectedProportion: 0.1 },
    ],
    total: 5,
    method: 'equal',
    minimum: 0,
    expected: [0, 2, 3],
  },
  {
    strata: [
      { key: 'north', size: 7, expectedProportion: 0.2 },
      { key: 'area-2', size: 3 },
      { key: 'b', size: 0 },
      { key: 'a', size: 60, expectedProportion: 0.1 },
    ],
    total: 1,
    method: 'neyman',
    minimum: 0,
    expected: [0, 0, 0, 1],
  },
  {
    strata: [
      { key: 'a', size: 1000 },
      { key: 'b', size: 1000, expectedProportion: 0.2 },
      { key: 'south', size: 1000, expectedProportion: 0.9 },
    ],
    total: 1,
    method: 'equal',
    minimum: 0,
    expected: [1, 0, 0],
  },
  {
    strata: [
      { key: 'east', size: 1, expectedProportion: 0.8 },
      { key: 'area-10', size: 60, expectedProportion: 1 },
    ],
    total: 10,
    method: 'equal',
    minimum: 5,
    expected: [1, 9],
  },
  {
    strata: [
      { key: 'east', size: 60, expectedProportion: 0.1 },
      { key: 'b', size: 1, expectedProportion: 0.9 },
      { key: 'north', size: 1000 },
      { key: 'area-2', size: 0, expectedProportion: 0.9 },
      { key: 'area-10', size: 1 },
    ],
    total: 10,
    method: 'equal',
    minimum: 2,
    expected: [4, 1, 4, 0, 1],
  },
  {
    strata: [
      { key: 'area-2', size: 25, expectedProportion: 0.8 },
      { key: 'south', size: 0, expectedProportion: 0 },
      { key: 'east', size: 10 },
      { key: 'c', size: 3 },
      { key: 'area-10', size: 10 },
      { key: 'west', size: 10, expectedProportion: 0.5 },
    ],
    total: 50,
    method: 'proportional',
    minimum: 0,
    expected: [21, 0, 9, 2, 9, 9],
  },
  {
    strata: [
      { key: 'west', size: 10, expectedProportion: 0.8 },
      { key: 'east', size: 1, expectedProportion: 0.8 },
      { key: 'c', size: 0 },
      { key: 'north', size: 3 },
      { key: 'south', size: 3 },
      { key: 'b', size: 0 },
    ],
    total: 20,
    method: 'proportional',
    minimum: 5,
    expected: [10, 1, 0, 3, 3, 0],
  },
  {
    strata: [
      { key: 'area-2', size: 7 },
      { key: 'Z', size: 3, expectedProportion: 0.9 },
      { key: 'west', size: 7, expectedProportion: 0.9 },
      { key: 'b', size: 10, expectedProportion: 0.8 },
      { key: 'north', size: 1000 },
      { key: 'area-10', size: 1000, expectedProportion: 0.1 },
    ],
    total: 400,
    method: 'proportional',
    minimum: 2,
    expected: [2, 2, 2, 2, 196, 196],
  },
  {
    strata: [
      { key: 'a', size: 1, expectedProportion: 0.5 },
      { key: 'north', size: 3 },
      { key: 'area-2', size: 1000, expectedProportion: 0.5 },
      { key: 'south', size: 0 },
      { key: 'b', size: 0, expectedProportion: 0.1 },
      { key: 'east', size: 1 },
    ],
    total: 50,
    method: 'proportional',
    minimum: 1,
    expected: [1, 1, 47, 0, 0, 1],
  },
  {
    strata: [
      { key: 'c', size: 1, expectedProportion: 0.1 },
      { key: 'west', size: 7, expectedProportion: 0.8 },
      { key: 'east', size: 10 },
    ],
    total: 1,
    method: 'equal',
    minimum: 0,
    expected: [1, 0, 0],
  },
  {
    strata: [
      { key: 'south', size: 25, expectedProportion: 0.8 },
      { key: 'c', size: 60 },
      { key: 'area-2', size: 10, expectedProportion: 0.2 },
      { key: 'b', size: 1, expectedProportion: 0.1 },
    ],
    total: 1,
    method: 'proportional',
    minimum: 0,
    expected: [0, 1, 0, 0],
  },
]

const ids20 = Array.from({ length: 20 }, (_, i) => `C${String(i + 1).padStart(3, '0')}`)

t.test('xoshiro128** reproduces the reference vector', (t) => {
  const next = xoshiro128ss([1, 2, 3, 4])
  t.same(
    Array.from({ length: 10 }, next),
    [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804],
  )
  const zero = xoshiro128ss([0, 0, 0, 0])
  t.ok(
    Array.from({ length: 4 }, zero).some((x) => x !== 0),
    'an all-zero state is replaced',
  )
  t.end()
})

t.test('cyrb128 and the seeded stream match the Python re-implementation', (t) => {
  const expected: Record<string, number[]> = {
    '': [41608494, 3485963809, 1435736333, 1262568316],
    '42': [2814168319, 14930478, 1039855864, 944835771],
    a: [1589175524, 148824423, 2405369273, 1476957317],
    'QAF round 2024-Q3': [3759135755, 630227157, 4111186559, 1781531200],
    'stratum/x': [2515728761, 3644492986, 3417715692, 127423192],
  }
  for (const [text, words] of Object.entries(expected)) t.same(cyrb128(text), words, JSON.stringify(text))
  const next = xoshiro128ss(cyrb128('42'))
  t.same(Array.from({ length: 5 }, next), [100207378, 2507053714, 2017197372, 1804198605, 3434122529])
  const rng = createRng('7')
  t.same(
    [1, 2, 3, 10, 1000, 2 ** 31 + 1, 2 ** 32].map((m) => rng.nextInt(m)),
    [0, 1, 2, 3, 708, 750291978, 2436632027],
  )
  t.end()
})

t.test('createRng', (t) => {
  const a = createRng(42)
  const b = createRng('42')
  const xs = Array.from({ length: 100 }, () => a.next())
  t.same(
    xs,
    Array.from({ length: 100 }, () => b.next()),
    'a number seed is its decimal text',
  )
  t.ok(xs.every((x) => x >= 0 && x < 1))
  t.not(createRng('x').next(), createRng('y').next())
  for (const m of [0, -1, 1.5, 2 ** 32 + 1, Number.NaN]) {
    t.throws(() => createRng(1).nextInt(m), { name: 'RangeError', message: /^maxExclusive/ }, String(m))
  }
  for (const seed of [Number.NaN, Number.POSITIVE_INFINITY, undefined as unknown as number]) {
    t.throws(() => createRng(seed), { name: 'RangeError', message: /^seed/ }, String(seed))
  }
  t.end()
})

t.test('nextInt is unbiased, including where rejection matters', (t) => {
  // 2³¹ + 1 leaves almost half of the 32-bit outputs in the partial block: plain modulo would
  // put two thirds of the draws below 2³⁰.
  const rng = createRng('uniform')
  const draws = 20_000
  let low = 0
  for (let i = 0; i < draws; i++) if (rng.nextInt(2 ** 31 + 1) < 2 ** 30) low++
  t.ok(Math.abs(low / draws - 0.5) < 0.02, `share below 2^30: ${low / draws}`)
  // Chi-square over 6 cells, 60,000 draws; 20.5 is the 0.999 quantile with 5 degrees of freedom.
  const counts = new Array<number>(6).fill(0)
  for (let i = 0; i < 60_000; i++) {
    const k = rng.nextInt(6)
    counts[k] = (counts[k] as number) + 1
  }
  const chi2 = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0)
  t.ok(chi2 < 20.5, `chi-square ${chi2}`)
  t.end()
})

t.test('seededOrder matches the Python re-implementation', (t) => {
  t.same(seededOrder(ids20, 42), [
    'C019',
    'C011',
    'C015',
    'C016',
    'C006',
    'C009',
    'C017',
    'C001',
    'C010',
    'C003',
    'C020',
    'C018',
    'C004',
    'C002',
    'C008',
    'C012',
    'C007',
    'C014',
    'C013',
    'C005',
  ])
  t.same(seededOrder(ids20, 'audit-2024'), [
    'C012',
    'C020',
    'C008',
    'C004',
    'C011',
    'C001',
    'C016',
    'C017',
    'C014',
    'C009',
    'C010',
    'C013',
    'C019',
    'C005',
    'C002',
    'C007',
    'C003',
    'C018',
    'C006',
    'C015',
  ])
  t.same(seededOrder(ids20, ''), [
    'C004',
    'C014',
    'C001',
    'C009',
    'C007',
    'C002',
    'C020',
    'C017',
    'C015',
    'C016',
    'C005',
    'C003',
    'C008',
    'C011',
    'C012',
    'C019',
    'C018',
    'C013',
    'C010',
    'C006',
  ])
  // 729 ids: large enough for the radix sort's bucket passes.
  const big = [
    ...Array.from({ length: 300 }, (_, i) => `X${i}`),
    ...Array.from({ length: 429 }, (_, i) => `case/${String(i * 7).padStart(5, '0')}`),
  ]
  const order = seededOrder(big.reverse(), 'big')
  t.same(order.slice(0, 12), [
    'case/00154',
    'case/02086',
    'X279',
    'X174',
    'X237',
    'X22',
    'case/01225',
    'X53',
    'case/00357',
    'case/01869',
    'X144',
    'case/01561',
  ])
  t.same(order.slice(-3), ['case/00994', 'case/00756', 'case/02982'])
  t.end()
})

t.test('seededOrder basics and duplicates', (t) => {
  t.same(seededOrder([], 1), [])
  t.same(seededOrder(['only'], 1), ['only'])
  t.throws(() => seededOrder(['a', 'b', 'a'], 1), { name: 'RangeError', message: /^ids contains "a" more than once/ })
  const many = Array.from({ length: 500 }, (_, i) => `id-${i}`)
  t.throws(() => seededOrder([...many, 'id-250'], 1), { name: 'RangeError', message: /^ids contains "id-250"/ })
  t.throws(() => seededOrder(['x'], Number.NaN), { name: 'RangeError', message: /^seed/ })
  t.end()
})

const anyId = fc.string({ unit: 'binary', maxLength: 6 })
const asciiId = fc.string({ unit: fc.constantFrom('A', 'B', 'a', '-', '0', '1', '9'), maxLength: 8 })

t.test('sortByCodeUnits agrees with Array.prototype.sort (property)', (t) => {
  // Long lists exercise the bucket passes; full 16-bit code units exercise the fallback.
  const list = fc.oneof(
    fc.array(asciiId, { maxLength: 400 }),
    fc.array(anyId, { maxLength: 400 }),
    fc.array(fc.oneof(asciiId, anyId), { maxLength: 100 }),
  )
  fc.assert(
    fc.property(list, (xs) => {
      const seen: string[] = []
      const sorted = sortByCodeUnits(xs, (id) => seen.push(id))
      const expected = [...xs].sort()
      const dupes = new Set(expected.filter((x, i) => i > 0 && expected[i - 1] === x))
      return (
        sorted.length === expected.length &&
        sorted.every((x, i) => x === expected[i]) &&
        seen.every((x) => dupes.has(x)) &&
        [...dupes].every((x) => seen.includes(x))
      )
    }),
    { numRuns: 500 },
  )
  t.same(sortByCodeUnits(['b', 'a']), ['a', 'b'], 'no callback needed')
  t.same(
    sortByCodeUnits(Array.from({ length: 60 }, () => 'same')),
    Array.from({ length: 60 }, () => 'same'),
  )
  t.end()
})

t.test('seededOrder properties', (t) => {
  const idSet = fc.uniqueArray(fc.oneof(asciiId, anyId), { minLength: 0, maxLength: 200 })
  const seed = fc.oneof(fc.string(), fc.integer())
  fc.assert(
    fc.property(idSet, seed, fc.integer(), (ids, s, shuffleSeed) => {
      const order = seededOrder(ids, s)
      const mixed = seededOrder(ids, shuffleSeed) // some other arrangement of the same ids
      const again = seededOrder(mixed, s)
      return (
        order.length === ids.length &&
        [...order].sort().every((x, i) => x === [...ids].sort()[i]) &&
        again.every((x, i) => x === order[i])
      )
    }),
    { numRuns: 500 },
  )
  fc.assert(
    fc.property(fc.uniqueArray(asciiId, { minLength: 10, maxLength: 60 }), seed, seed, (ids, s1, s2) => {
      fc.pre(String(s1) !== String(s2))
      const a = seededOrder(ids, s1)
      const b = seededOrder(ids, s2)
      return a.some((x, i) => x !== b[i])
    }),
    { numRuns: 500 },
  )
  t.end()
})

t.test('allocate: hand-worked examples', (t) => {
  const keyed = (sizes: number[], keys = ['a', 'b', 'c', 'd']) =>
    sizes.map((size, i) => ({ key: keys[i] as string, size }))
  const counts = (r: { allocated: number }[]) => r.map((x) => x.allocated)
  t.same(counts(allocate(keyed([100, 50, 50]), 40, 'proportional')), [20, 10, 10])
  t.same(
    allocate(keyed([10, 10, 10], ['c', 'b', 'a']), 10, 'proportional'),
    [
      { key: 'c', allocated: 3 },
      { key: 'b', allocated: 3 },
      { key: 'a', allocated: 4 },
    ],
    'a tie goes to the key that sorts first',
  )
  t.same(counts(allocate(keyed([2, 100, 100]), 60, 'equal')), [2, 29, 29], 'capped excess goes to the others')
  t.same(
    counts(allocate(keyed([1000, 10, 5]), 50, 'proportional', 5)),
    [40, 5, 5],
    'minimum taken from the large stratum',
  )
  t.same(counts(allocate(keyed([1000, 2]), 50, 'proportional', 5)), [48, 2], 'minimum capped by size')
  const neyman = [
    { key: 'a', size: 100, expectedProportion: 0.5 },
    { key: 'b', size: 100, expectedProportion: 0.1 },
  ]
  t.same(counts(allocate(neyman, 40, 'neyman')), [25, 15], 'weights 100·0.5 and 100·0.3')
  t.same(counts(allocate(keyed([100, 100]), 40, 'neyman')), [20, 20], 'unknown p is 0.5')
  const certain = [
    { key: 'a', size: 10, expectedProportion: 0.5 },
    { key: 'b', size: 100, expectedProportion: 0 },
  ]
  t.same(counts(allocate(certain, 30, 'neyman')), [10, 20], 'all-or-nothing stratum takes what the others cannot')
  t.same(counts(allocate(certain, 8, 'neyman', 3)), [5, 3])
  t.same(counts(allocate(keyed([3, 4]), 100, 'equal')), [3, 4], 'never more than the population')
  t.same(counts(allocate(keyed([3, 4]), 0, 'equal')), [0, 0])
  t.same(allocate([], 10, 'equal'), [])
  t.end()
})

t.test('allocate matches independent exact values', (t) => {
  for (const c of ALLOCATIONS) {
    const label = `${c.method} total=${c.total} min=${c.minimum} ${JSON.stringify(c.strata)}`
    if (c.expected === 'throws') {
      t.throws(
        () => allocate(c.strata, c.total, c.method, c.minimum),
        { name: 'RangeError', message: /^minimum/ },
        label,
      )
    } else {
      const r = allocate(c.strata, c.total, c.method, c.minimum)
      t.same(
        r.map((x) => x.key),
        c.strata.map((s) => s.key),
        `${label} keys in input order`,
      )
      t.same(
        r.map((x) => x.allocated),
        c.expected,
        label,
      )
    }
  }
  t.end()
})

t.test('allocate rejects bad arguments, naming them', (t) => {
  const s = [{ key: 'a', size: 10 }]
  t.throws(() => allocate(s, 5, 'random' as AllocationMethod), { name: 'RangeError', message: /^method/ })
  t.throws(() => allocate(s, -1, 'equal'), { name: 'RangeError', message: /^total/ })
  t.throws(() => allocate(s, 2.5, 'equal'), { name: 'RangeError', message: /^total/ })
  t.throws(() => allocate(s, 5, 'equal', 1.5), { name: 'RangeError', message: /^minimum/ })
  t.throws(() => allocate([{ key: 'a', size: -3 }], 5, 'equal'), { name: 'RangeError', message: /^strata\[0\]\.size/ })
  t.throws(() => allocate([...s, { key: 'a', size: 3 }], 5, 'equal'), {
    name: 'RangeError',
    message: /^strata\[1\]\.key "a" is used twice/,
  })
  t.throws(() => allocate([{ key: 'a', size: 3, expectedProportion: 1.5 }], 5, 'neyman'), {
    name: 'RangeError',
    message: /^strata\[0\]\.expectedProportion/,
  })
  t.throws(
    () =>
      allocate(
        [
          { key: 'a', size: 10 },
          { key: 'b', size: 10 },
        ],
        15,
        'equal',
        8,
      ),
    { name: 'RangeError', message: /^minimum/ },
  )
  t.end()
})

t.test('allocate properties', (t) => {
  const strata = fc.uniqueArray(
    fc.record(
      {
        key: fc.string({ maxLength: 4 }),
        size: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100_000 })),
        expectedProportion: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5)),
      },
      { requiredKeys: ['key', 'size'] },
    ),
    { selector: (s) => s.key, maxLength: 12 },
  )
  const method = fc.constantFrom<AllocationMethod>('proportional', 'neyman', 'equal')
  fc.assert(
    fc.property(
      strata,
      fc.integer({ min: 0, max: 200_000 }),
      method,
      fc.integer({ min: 0, max: 10 }),
      (ss, total, m, minimum) => {
        const sizes = ss.map((s) => s.size)
        const target = Math.min(
          total,
          sizes.reduce((a, b) => a + b, 0),
        )
        const floors = sizes.map((n) => Math.min(minimum, n))
        if (floors.reduce((a, b) => a + b, 0) > target) {
          try {
            allocate(ss, total, m, minimum)
            return false
          } catch (e) {
            return e instanceof RangeError && e.message.startsWith('minimum')
          }
        }
        const r = allocate(ss, total, m, minimum).map((x) => x.allocated)
        return (
          r.reduce((a, b) => a + b, 0) === target &&
          r.every((n, h) => Number.isInteger(n) && n <= (sizes[h] as number) && n >= (floors[h] as number))
        )
      },
    ),
    { numRuns: 2000 },
  )
  // Proportional with no minimum never binds a cap (target ≤ ΣN), so each part is its quota
  // rounded down or up.
  fc.assert(
    fc.property(strata, fc.integer({ min: 0, max: 200_000 }), (ss, total) => {
      const sizes = ss.map((s) => s.size)
      const sum = sizes.reduce((a, b) => a + b, 0)
      const target = Math.min(total, sum)
      const r = allocate(ss, total, 'proportional').map((x) => x.allocated)
      return r.every((n, h) => {
        const quota = sum === 0 ? 0 : (target * (sizes[h] as number)) / sum
        return n === Math.floor(quota) || n === Math.ceil(quota) || Math.abs(n - quota) < 1e-6
      })
    }),
    { numRuns: 1000 },
  )
  t.end()
})

t.test('drawSample matches the Python re-implementation', (t) => {
  t.equal(stratumSeed('round-1', 'north'), '7:round-1/north')
  t.equal(stratumSeed(42, 'x'), '2:42/x')
  const north = Array.from({ length: 12 }, (_, i) => `N${i}`)
  const south = Array.from({ length: 7 }, (_, i) => `S${i}`)
  const r = drawSample({
    seed: 'round-1',
    strata: [
      { key: 'north', ids: north, take: 4 },
      { key: 'south', ids: south, take: 0 },
    ],
  })
  const expected = {
    north: ['N8', 'N7', 'N3', 'N0', 'N6', 'N9', 'N2', 'N10', 'N11', 'N5', 'N4', 'N1'],
    south: ['S4', 'S6', 'S0', 'S1', 'S3', 'S2', 'S5'],
  }
  t.same(r, [
    { key: 'north', chosen: expected.north.slice(0, 4), reserve: expected.north.slice(4) },
    { key: 'south', chosen: [], reserve: expected.south },
  ])
  t.end()
})

t.test('drawSample: strata are independent of each other', (t) => {
  const a = { key: 'a', ids: Array.from({ length: 30 }, (_, i) => `a${i}`), take: 5 }
  const b = { key: 'b', ids: Array.from({ length: 30 }, (_, i) => `b${i}`), take: 5 }
  const alone = drawSample({ seed: 9, strata: [a] })
  const withB = drawSample({ seed: 9, strata: [b, { ...a, take: 5 }] })
  t.same(withB[1], alone[0], 'adding a stratum leaves the others alone')
  t.end()
})

t.test('drawSample rejects bad arguments, naming them', (t) => {
  const ids = ['x', 'y', 'z']
  t.throws(() => drawSample({ seed: 1, strata: [{ key: 'a', ids, take: 4 }] }), {
    name: 'RangeError',
    message: /^strata\[0\]\.take \(4\) exceeds/,
  })
  t.throws(() => drawSample({ seed: 1, strata: [{ key: 'a', ids, take: -1 }] }), {
    name: 'RangeError',
    message: /^strata\[0\]\.take/,
  })
  t.throws(
    () =>
      drawSample({
        seed: 1,
        strata: [
          { key: 'a', ids, take: 1 },
          { key: 'a', ids, take: 1 },
        ],
      }),
    {
      name: 'RangeError',
      message: /^strata\[1\]\.key "a" is used twice/,
    },
  )
  t.throws(
    () =>
      drawSample({
        seed: 1,
        strata: [
          { key: 'a', ids, take: 1 },
          { key: 'b', ids: ['q', 'q'], take: 1 },
        ],
      }),
    {
      name: 'RangeError',
      message: /^strata\[1\]\.ids contains "q"/,
    },
  )
  t.throws(() => drawSample({ seed: Number.NaN, strata: [] }), { name: 'RangeError', message: /^seed/ })
  t.end()
})

t.test('drawSample properties: extending a sample keeps earlier picks', (t) => {
  const stratum = fc.record({
    key: fc.string({ maxLength: 5 }),
    ids: fc.uniqueArray(asciiId, { maxLength: 80 }),
  })
  fc.assert(
    fc.property(
      fc.uniqueArray(stratum, { selector: (s) => s.key, minLength: 1, maxLength: 5 }),
      fc.oneof(fc.string(), fc.integer()),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (strata, seed, f1, f2) => {
        const [lo, hi] = f1 <= f2 ? [f1, f2] : [f2, f1]
        const small = drawSample({ seed, strata: strata.map((s) => ({ ...s, take: Math.floor(lo * s.ids.length) })) })
        const large = drawSample({ seed, strata: strata.map((s) => ({ ...s, take: Math.floor(hi * s.ids.length) })) })
        return small.every((s, h) => {
          const l = large[h]
          if (l === undefined) return false
          const all = [...s.chosen, ...s.reserve]
          return (
            s.chosen.every((id, i) => l.chosen[i] === id) && // earlier picks unchanged, in order
            all.every((id, i) => [...l.chosen, ...l.reserve][i] === id) && // same underlying order
            all.length === (strata[h]?.ids.length ?? -1)
          )
        })
      },
    ),
    { numRuns: 500 },
  )
  t.end()
})
