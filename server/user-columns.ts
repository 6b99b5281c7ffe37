// Who a user is and what they may do: the columns the session check reads on every request and the
// admin's user pages list.
import { users } from '../schema/index.ts'

export const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  agencyId: users.agencyId,
  disabled: users.disabled,
}
