/**
 * The entitlements a signed macOS build gets when macos-entitlements is not
 * set. The action always signs with the hardened runtime (`--options
 * runtime`, which notarization requires), and under it a frozen Python
 * program needs three exceptions:
 *
 * - com.apple.security.cs.disable-library-validation: the hardened runtime
 *   loads only libraries signed by Apple or by the same Team ID. A one-file
 *   build carries its libraries inside and unpacks them at run time; they
 *   keep the ad-hoc signatures PyInstaller gave them ("By default,
 *   PyInstaller ad-hoc (re)signs all collected binaries", PyInstaller
 *   manual, "macOS binary code signing"), which the signer cannot replace
 *   afterwards ("for onefile builds, signing of embedded binaries cannot be
 *   performed in a post-processing step"). Without this entitlement dyld
 *   refuses them: "code signature ... not valid for use in process using
 *   Library Validation: mapped file has no Team ID" (same page). A
 *   self-signed identity has no Team ID at all, so it needs this even for
 *   libraries it signed itself.
 * - com.apple.security.cs.allow-unsigned-executable-memory: ctypes/cffi
 *   callbacks (libffi closures) write code into memory at run time (Apple,
 *   "Allow Unsigned Executable Memory Entitlement").
 * - com.apple.security.cs.allow-jit: MAP_JIT memory, which Apple's page
 *   ("Allow Execution of JIT-compiled Code Entitlement") names "certain
 *   Python frameworks" as needing.
 *
 * Apple, "Hardened Runtime": boolean entitlements default to false, and a
 * false one should be left out rather than written. A project that needs
 * fewer exceptions (or more) gives its own file in macos-entitlements; an
 * empty <dict/> there signs with none.
 */
export const DEFAULT_ENTITLEMENT_KEYS = [
  'com.apple.security.cs.allow-jit',
  'com.apple.security.cs.allow-unsigned-executable-memory',
  'com.apple.security.cs.disable-library-validation'
] as const

export const DEFAULT_ENTITLEMENTS = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
  '<plist version="1.0">',
  '<dict>',
  ...DEFAULT_ENTITLEMENT_KEYS.flatMap((k) => [`  <key>${k}</key>`, '  <true/>']),
  '</dict>',
  '</plist>',
  ''
].join('\n')

/** The file name the default entitlements are written under, in the action's work folder. */
export const DEFAULT_ENTITLEMENTS_FILE = 'default-entitlements.plist'
