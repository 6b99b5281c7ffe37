import argon2 from 'argon2'

// OWASP's argon2id baseline (19 MiB, 2 passes); strong enough, and quick enough to sign in fast.
const options = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options)
}

let dummyHash: Promise<string> | undefined

/** Verifies; for an unknown account it still does the work, so timing does not reveal who exists. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('not-a-real-password')
    await argon2.verify(await dummyHash, password)
    return false
  }
  try {
    return await argon2.verify(hash, password)
  } catch {
    return false
  }
}

export const MIN_PASSWORD_LENGTH = 12
