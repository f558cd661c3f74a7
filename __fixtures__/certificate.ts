/** A self-signed code-signing certificate for the signing tests: its PEM and a PFX (PKCS #12) with `password`. */
import { spawnSync } from 'node:child_process'
import * as path from 'node:path'

export function selfSignedPfx(dir: string, password: string, subject = '/CN=build-standalone test signer'): { certPem: string; pfx: string } {
  const sh = (args: string[]): void => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`)
  }
  const key = path.join(dir, 'key.pem')
  const certPem = path.join(dir, 'cert.pem')
  const pfx = path.join(dir, 'cert.pfx')
  sh([
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
    subject,
    '-addext',
    'extendedKeyUsage=codeSigning',
    '-addext',
    'keyUsage=digitalSignature'
  ])
  sh(['pkcs12', '-export', '-inkey', key, '-in', certPem, '-out', pfx, '-passout', `pass:${password}`])
  return { certPem, pfx }
}
