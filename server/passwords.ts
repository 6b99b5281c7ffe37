import argon2 from 'argon2'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from './project-root.ts'

// argon2id, memory 19 MiB (19456 KiB), 2 passes, 1 lane: OWASP's baseline (also in SECURITY.md);
// strong enough, and quick enough to sign in fast.
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

// The list ships with the code (server/data/common-passwords.txt); read once, on first use.
let common: Set<string> | undefined

/**
 * True for a password attackers try first: one on the shipped list, one character repeated, or a
 * run of consecutive digits or letters (123456789012, abcdefghijkl).
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(
    readFileSync(join(projectRoot, 'server', 'data', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l && !l.startsWith('#')),
  )
  const p = password.toLowerCase()
  if (common.has(p)) return true
  if (/^(.)\1*$/.test(p)) return true
  let run = true
  for (let i = 1; i < p.length; i++)
    if (p.charCodeAt(i) - p.charCodeAt(i - 1) !== 1 && !(p[i] === '0' && p[i - 1] === '9')) run = false
  return run
}
