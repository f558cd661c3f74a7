/**
 * Secrets: masked in the log the moment they are read, written only to files
 * under RUNNER_TEMP/build-standalone/secrets with owner-only permissions, and
 * removed by the post step whatever happened.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { InputError } from '../errors.js'

/** The folder that holds decoded secrets; the post step removes it. */
export const secretsDir = (workDir: string): string => path.join(workDir, 'secrets')

/**
 * Masks a secret value and its base64 form in every later log line. Only a
 * runner reads `::add-mask::`; anywhere else (the command-line entry on a
 * laptop) the command would print the secret in clear, so nothing is printed.
 */
export function mask(value: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!value || env.GITHUB_ACTIONS !== 'true') return
  core.setSecret(value)
  const b64 = Buffer.from(value).toString('base64')
  if (b64 !== value) core.setSecret(b64)
}

/**
 * Removes the secrets folder under `workDir` (decoded certificates, password
 * files, a temporary keychain); returns the folder when there was one, ''
 * when there was nothing to remove.
 */
export function removeSecrets(workDir: string): string {
  const dir = secretsDir(workDir)
  if (!fs.existsSync(dir)) return ''
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  return dir
}

/** Writes a secret file (0600) in the secrets folder (0700); returns its path. */
export function writeSecret(workDir: string, name: string, content: string | Buffer): string {
  const dir = secretsDir(workDir)
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  fs.chmodSync(dir, 0o700)
  const file = path.join(dir, name)
  fs.writeFileSync(file, content, { mode: 0o600 })
  fs.chmodSync(file, 0o600)
  return file
}

/** Decodes a base64 input strictly; throws with `what` named when it is not base64. */
export function decodeBase64(value: string, what: string): Buffer {
  const clean = value.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new Error(`${what} is not base64`)
  return Buffer.from(clean, 'base64')
}

/** Decodes a base64 secret input, or throws an InputError naming it with `fix`. */
export function decodeInput(value: string, input: string, fix: string): Buffer {
  try {
    return decodeBase64(value, input)
  } catch {
    throw new InputError(input, 'is not base64.', fix)
  }
}
