/**
 * A self-signed code-signing certificate, made with openssl for the tests
 * that sign for real (osslsigncode): the PFX as the windows-certificate input
 * takes it (base64) and the certificate a verifier is told to trust.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

export const SIGNER = 'build-standalone test signer'

function sh(program: string, args: string[]): void {
  const r = spawnSync(program, args, { encoding: 'utf8', timeout: 60_000 })
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')}: ${r.stderr}`)
}

/** In `dir`: key.pem, cert.pem (CN = SIGNER, for code signing, valid two days) and cert.pfx under `password`. */
export function selfSignedCertificate(dir: string, password: string): { certificate: string; certPem: string } {
  const key = path.join(dir, 'key.pem')
  const certPem = path.join(dir, 'cert.pem')
  const pfx = path.join(dir, 'cert.pfx')
  sh('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-keyout',
    key,
    '-out',
    certPem,
    '-days',
    '2',
    '-nodes',
    '-subj',
    `/CN=${SIGNER}`,
    '-addext',
    'extendedKeyUsage=codeSigning',
    '-addext',
    'keyUsage=digitalSignature'
  ])
  sh('openssl', ['pkcs12', '-export', '-inkey', key, '-in', certPem, '-out', pfx, '-passout', `pass:${password}`])
  return { certificate: fs.readFileSync(pfx).toString('base64'), certPem }
}
