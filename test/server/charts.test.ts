import t from 'tap'
import { barChart } from '../../server/charts/bar.ts'
import { trendChart } from '../../server/charts/trend.ts'

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length

t.test('bar chart: accessible image with bars and interval whiskers', async (t) => {
  const svg = barChart({
    id: 'round-1',
    title: 'Overall by agency',
    description: 'Bars with 95% intervals',
    data: [
      { label: 'Police', value: 0.5, lower: 0.3, upper: 0.7 },
      { label: 'CPS', value: null, lower: null, upper: null },
      { label: 'Courts', value: 1, lower: 0.8, upper: 1 },
    ],
    guides: [{ value: 0.8, label: 'Amber 80%' }],
  })
  t.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="round-1-title round-1-desc"/)
  t.match(svg, /<title id="round-1-title">Overall by agency<\/title>/)
  t.match(svg, /<desc id="round-1-desc">Bars with 95% intervals<\/desc>/)
  t.equal(count(svg, /<rect /g), 2, 'a bar for each figure with an estimate; none drawn as 0 for no data')
  t.match(svg, /No applicable cases/)
  // Each whisker is a horizontal line plus two end caps.
  t.equal(count(svg, /stroke="#0b0c0c" stroke-width="2"/g), 6)
  t.match(svg, />50\.0%</)
  t.match(svg, />100\.0%</)
  t.match(svg, /Amber 80%/)
  t.notMatch(svg, /style=/, 'no inline style attributes (the CSP forbids them)')
  // Plot from x = 200 to 610: 50% of 410 is 205, so the first bar is 205 wide; its whisker 30%–70%.
  t.match(svg, /<rect x="200" y="[\d.]+" width="205"/)
  t.match(svg, /<line x1="323" y1="[\d.]+" x2="487"/)
})

t.test('bar chart escapes labels and text', async (t) => {
  const svg = barChart({
    id: '9 x"y',
    title: '<script>alert(1)</script>',
    description: 'a & b',
    data: [{ label: '"><b>x', value: 0.2, lower: 0.1, upper: 0.3 }],
  })
  t.notMatch(svg, /<script>/)
  t.match(svg, /&lt;script&gt;/)
  t.match(svg, /a &amp; b/)
  t.match(svg, /&quot;&gt;&lt;b&gt;x/)
  t.match(svg, /id="c-9-x-y-title"/, 'ids are made safe')
})

t.test('trend chart: line with an interval band, broken where a round has no data', async (t) => {
  const svg = trendChart({
    id: 'trend',
    title: 'Overall by round',
    description: 'Line with band',
    data: [
      { label: 'Q1', value: 0.5, lower: 0.4, upper: 0.6 },
      { label: 'Q2', value: 0.6, lower: 0.5, upper: 0.7, caveat: true },
      { label: 'Q3', value: null, lower: null, upper: null },
      { label: 'Q4', value: 0.9, lower: 0.8, upper: 0.95 },
    ],
    guides: [{ value: 0.95, label: 'Green 95%' }],
  })
  t.match(svg, /role="img"/)
  t.match(svg, /<title id="trend-title">Overall by round<\/title>/)
  t.match(svg, /<desc id="trend-desc">Line with band<\/desc>/)
  t.equal(count(svg, /<polygon /g), 1, 'one band for the two-point segment')
  t.equal(count(svg, /<polyline /g), 1, 'one line: a single point after the gap is not joined')
  t.equal(count(svg, /<circle /g), 3, 'a point for each round with data')
  t.equal(count(svg, /fill="#ffffff"/g), 1, 'a partial crosswalk match is an open circle')
  t.match(svg, /no data/)
  t.match(svg, /Green 95%/)
  t.notMatch(svg, /style=/)
})

t.test('trend chart with a single round', async (t) => {
  const svg = trendChart({
    id: 'one',
    title: 'x',
    description: 'y',
    data: [{ label: 'Only', value: 0.7, lower: 0.6, upper: 0.8 }],
  })
  t.equal(count(svg, /<circle /g), 1)
  t.equal(count(svg, /<polyline /g), 0)
  t.match(svg, /70\.0%/)
})

t.test('narrow layouts: a 320-wide box with larger text, names above bars and upright under points', async (t) => {
  const data = [
    { label: 'Police', value: 0.5, lower: 0.3, upper: 0.7 },
    { label: 'CPS', value: 0.9, lower: 0.8, upper: 0.95 },
  ]
  const bar = barChart({ id: 'b', title: 'x', description: 'y', data, layout: 'narrow' })
  t.match(bar, /viewBox="0 0 320 \d+"[^>]*font-size="14"/)
  t.match(
    bar,
    /<text x="0" y="[\d.]+" font-weight="bold"[^>]*>Police<\/text>/,
    'the name is on its own line, from the left edge',
  )
  const trend = trendChart({ id: 't', title: 'x', description: 'y', data, layout: 'narrow' })
  t.match(trend, /viewBox="0 0 320 \d+"[^>]*font-size="14"/)
  t.match(
    trend,
    /transform="rotate\(-90 [\d.]+ [\d.]+\)">Police</,
    'round names run upright, so none reaches past the left edge',
  )
})

t.test('trend figures sit where the line is not', async (t) => {
  const at = (values: number[]) =>
    trendChart({
      id: 't',
      title: 'x',
      description: 'y',
      data: values.map((v, i) => ({ label: `R${i}`, value: v, lower: null, upper: null })),
    })
  const figure = (svg: string, text: string) =>
    svg.match(
      new RegExp(`<text x="[\\d.]+" y="([\\d.]+)"( text-anchor="(\\w+)")?[^>]*paint-order="stroke">${text}</text>`),
    )
  // Rising 20% -> 50% -> 80%: first below its point, middle to the upper left, last above.
  const rising = at([0.2, 0.5, 0.8])
  const y = (v: number) => 240 - v * 220
  t.ok(Number(figure(rising, '20\\.0%')?.[1]) > y(0.2), 'the first figure goes under a line that rises away from it')
  t.equal(figure(rising, '50\\.0%')?.[3], 'end', 'a figure where the line rises to the right sits to its left')
  t.ok(Number(figure(rising, '80\\.0%')?.[1]) < y(0.8), 'the last figure goes over a line that comes up to it')
  t.equal(
    figure(at([0.8, 0.5, 0.2]), '50\\.0%')?.[3],
    undefined,
    'falling to the right: the figure sits to the right (start anchor)',
  )
})
