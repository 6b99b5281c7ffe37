// Field ids for obligation keys: what a case page's inputs, labels and error slots are named by.

/**
 * A field id for an obligation key, short because a case page repeats each one about sixty times
 * (ids, names, labels, error slots): `R6.2@2023-03-08#1` → `R6_2_6j7_1`, the item with `.` as `_`,
 * the date as days since 1 January 2000 in three base-36 digits (to 2127; any other date in full
 * as eight digits), and the number. Usable in HTML ids, names, CSS selectors and URL fragments.
 * Keys are `<item>@<date>#<n>` and item ids never hold `_`, so no two keys share one.
 */
export function fieldIdOf(key: string): string {
  const m = /^(.*)@(\d{4})-(\d{2})-(\d{2})#(\d+)$/.exec(key)
  if (!m) return key.replace(/[^A-Za-z0-9-]/g, '_')
  const [, item, y, mo, d, n] = m as unknown as [string, string, string, string, string, string]
  const days = (Date.UTC(Number(y), Number(mo) - 1, Number(d)) - FIELD_ID_EPOCH) / 86_400_000
  const date = days >= 0 && days < 36 ** 3 ? days.toString(36).padStart(3, '0') : `${y}${mo}${d}`
  return `${item.replace(/[^A-Za-z0-9-]/g, '_')}_${date}_${n}`
}

const FIELD_ID_EPOCH = Date.UTC(2000, 0, 1)
