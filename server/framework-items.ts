import { sql } from 'drizzle-orm'
import { allItems } from '../audits/frameworks/index.ts'
import { frameworkItems } from '../schema/index.ts'
import type { Db } from '../schema/database.ts'

/**
 * Copies the framework items from the domain core into the database (insert or update by id),
 * so score queries can group answers by theme, Right and measure in SQL. The domain core stays
 * the source of truth; this runs at every start and is idempotent.
 */
export function syncFrameworkItems(db: Db): void {
  const rows = allItems.map((item) => ({
    id: item.id,
    framework: item.framework,
    edition: item.edition,
    title: item.title,
    agencyType: item.agency,
    theme: item.theme,
    grp: item.group,
    rightNo: item.right,
    mojMeasure: item.mojMeasure,
    hasTimeLimit: item.timeLimit !== null,
    confirmation: item.confirmation,
  }))
  db.transaction((tx) => {
    for (const row of rows) {
      tx.insert(frameworkItems)
        .values(row)
        .onConflictDoUpdate({
          target: frameworkItems.id,
          set: {
            framework: sql`excluded.framework`,
            edition: sql`excluded.edition`,
            title: sql`excluded.title`,
            agencyType: sql`excluded.agency_type`,
            theme: sql`excluded.theme`,
            grp: sql`excluded.grp`,
            rightNo: sql`excluded.right_no`,
            mojMeasure: sql`excluded.moj_measure`,
            hasTimeLimit: sql`excluded.has_time_limit`,
            confirmation: sql`excluded.confirmation`,
          },
        })
        .run()
    }
  })
}
