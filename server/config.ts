import { z } from 'zod'
import { isIP } from 'node:net'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'

const onOff = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'must be one of on/off, true/false, yes/no, 1/0',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))

/** One address or CIDR block, like 10.0.0.1, 10.0.0.0/8 or ::1. */
function isAddressOrBlock(v: string): boolean {
  const [address, bits, extra] = v.split('/')
  if (extra !== undefined || !address) return false
  const family = isIP(address)
  if (!family) return false
  if (bits === undefined) return true
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)
}

// Which proxy's X-Forwarded-For to believe: none (the default), a number of hops, or the proxies'
// own addresses. Believing every proxy (true) would let anyone choose the address the per-address
// sign-in limit and the audit log see, so it is not on offer.
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): false | number | string[] => {
    if (['none', 'off', 'false', '0'].includes(v.toLowerCase())) return false
    if (/^\d+$/.test(v)) {
      const hops = Number(v)
      if (hops <= 10) return hops
    }
    const list = v
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean)
    if (list.length > 0 && list.every(isAddressOrBlock)) return list
    ctx.addIssue({
      code: 'custom',
      message:
        'must be none, a number of proxy hops (1-10), or a comma-separated list of proxy addresses or CIDR blocks',
    })
    return z.NEVER
  })

const envSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
      .default('development'),
    PORT: z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be between 1 and 65535' })
      .max(65535, { error: 'must be between 1 and 65535' })
      .default(3000),
    HOST: z.string().min(1, { error: 'must not be empty' }).default('127.0.0.1'),
    DB_FILE: z.string().min(1, { error: 'must not be empty' }).default('data/qaf.sqlite'),
    DEMO_DATA: onOff.optional(),
    JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).max(4096).default(250),
    TRUST_PROXY: trustProxy.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required in production (at least 32 characters)',
      })
    }
  })

export interface Config {
  env: 'development' | 'test' | 'production'
  port: number
  host: string
  dbFile: string
  demoData: boolean
  /** Undefined means "generate one and keep it beside the database" (never in production). */
  jwtSecret: string | undefined
  logLevel: string
  uploadLimitBytes: number
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses. */
  trustProxy: false | number | string[]
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset so `PORT= npm start` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = envSchema.safeParse(cleaned)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`))
  }
  const e = parsed.data
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dbFile: e.DB_FILE,
    demoData: e.DEMO_DATA ?? e.NODE_ENV !== 'production',
    jwtSecret: e.JWT_SECRET,
    logLevel: e.LOG_LEVEL,
    uploadLimitBytes: e.UPLOAD_LIMIT_MB * 1024 * 1024,
    trustProxy: e.TRUST_PROXY ?? false,
  }
}

/**
 * Outside production a secret is generated on first start and kept in a file beside the
 * database, so sessions survive restarts without anyone having to configure one.
 */
export function resolveJwtSecret(config: Config): string {
  if (config.jwtSecret) return config.jwtSecret
  if (config.dbFile === ':memory:') return randomBytes(32).toString('hex')
  const file = join(dirname(config.dbFile), '.jwt-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dirname(file), { recursive: true })
  const secret = randomBytes(32).toString('hex')
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}
