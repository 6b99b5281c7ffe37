import { z } from 'zod'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'

const onOff = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { error: 'must be one of on/off, true/false, yes/no, 1/0' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }).default('development'),
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
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production (at least 32 characters)' })
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
