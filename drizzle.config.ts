import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './schema/index.ts',
  out: './schema/migrations',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DB_FILE ?? 'data/qaf.sqlite' },
})
