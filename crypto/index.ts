/**
 * Candour's one crypto module: the same code in the browser, on the server and in the CLI. This
 * file is its whole public surface, grouped by the protocol's verbs; everything else in crypto/
 * (padding, envelopes, payload schemas, canonical JSON, encoding helpers only crypto/ uses) is
 * private, and only its own tests import it directly. Code outside crypto/ imports from here,
 * the browser included: pages load this file lazily (app/lib/crypto.client.ts,
 * app/lib/pow.client.ts), so the first page view ships no libsodium, and every page that solves
 * a proof of work goes on to seal or open something, so one chunk serves both.
 *
 * One exception: crypto/text.ts, the rule every schema applies to decrypted text, is imported
 * directly by the shared field rules that pages load up front. A page that imported it from here
 * would ship all of crypto/ and libsodium at once (about 450 KiB more on the report form), since
 * the bundler puts every file this index reaches into one chunk with any page that imports it.
 *
 * tests/unit/crypto-surface.test.ts fails if a name here has no caller outside crypto/, or if
 * anything outside crypto/ and tests/ imports a module here other than this one and text.ts.
 */

// Setup: every verb below needs libsodium's WebAssembly, and this resolves once it is ready.
export { ready } from './sodium'

// Bytes on the wire: the one text form for binary values, and joining bytes.
export { toB64, fromB64, b64Length, concat } from './encoding'

// Random: the server's one source of random bytes, and the browser's for keys and salts.
// Wipe: best-effort zeroing of key bytes once they are no longer needed.
export { randomBytes, wipe } from './keys'

// Derive: receipts, codes and the keys a receipt gives; fresh key pairs.
export { newReceipt, parseReceipt, formatReceipt, formatCode, normaliseReceipt, RECEIPT_SYMBOLS, type ReceiptProblem } from './receipt'
export type { ParsedReceipt } from './receipt'
export { deriveReporterKeys, newBoxKeyPair } from './keys'
export type { KeyPair, ReporterKeys } from './keys'
export { newInboxKeys } from './inbox'
export type { InboxKeys } from './inbox'

// Seal: a report, a follow-up, a reply or a note, for the inbox and the reporter.
export { sealReport, sealFollowup, sealReply, sealState, sealNote } from './thread'
export type { SealedReport } from './thread'
export type { Envelope } from './envelope'

// Open: the same, for a reviewer's browser, the CLI and the reporter's own view of the thread.
export { openReport, openMessage, openNote } from './thread'
export { openThreadAsReporter, headsToRecord } from './reporter-view'

// Chain: each v2 message names its report, its place and the link of the one before it.
export { linkOf, checkChain } from './chain'
export type { ChainLink, ChainMark, ChainStep } from './chain'
export type { CaseState } from './payloads'
export { sealSelfNote } from './inbox'
export type { WireThread, ReporterView, ReporterMessage } from './reporter-view'
export { UnreadableError } from './payloads'

// Sign and verify: requests, published keys, inbox pins and adoption statements.
export { sign, verify } from './signing'
export { publishKey, verifyPublishedKey } from './inbox'
export type { PublishedKey } from './inbox'
export { checkInboxKeys, pinInbox } from './inbox-keys'
export type { InboxPin, KeyProblem, ListedKeyVersion } from './inbox-keys'
export { fingerprint, adoptionStatement } from './custody'
export { makeGrant, checkGrant } from './grant'

// The key log: every key event of an inbox, chained and signed, traced before anything is sealed.
export { logKey, traceLog, headOf, headNaming, namesNewest, keyLogEntrySchema } from './key-log'
export type { KeyLogEntry, LogHead, LogProblem, TracedLog } from './key-log'

// Wrap and unwrap: a reviewer's secrets under a passkey's PRF, a recovery code or a passphrase,
// and sealed to another reviewer's box key.
export {
  wrapKeyFromPrf,
  newRecoveryCode,
  parseRecoveryCode,
  wrapKeyFromRecovery,
  recoveryLookupId,
  wrapSecret,
  unwrapSecret,
  sealSecretTo,
  openSealedSecret,
} from './custody'
export { wrapKeyFromPassphrase, PASSPHRASE_SALT_BYTES } from './passphrase'

// Stream: evidence files, encrypted chunk by chunk into padded buckets.
export { fileEncryptor, openFile, paddedLength, paddingFor, safeFileName, FILE_CHUNK_BYTES } from './files'
export type { FileRef, FileEncryptor } from './files'

// Sizes the server checks before it stores what it cannot read.
export { isBucketSize } from './padding'
export { NONCE_BYTES, TAG_BYTES, INBOX_WRAP_BYTES, REPORTER_WRAP_BYTES } from './envelope'
export { SELF_NOTE_SEALED_BYTES } from './inbox'

// Pow: stateless challenges, bound to the request body, solved in slices in the browser.
export { POW_PURPOSES, POW_KEY_BYTES, newPowChallenge, checkPowChallenge, checkPowWork, powBodyHash, solvePowSlice } from './pow'
export type { PowChallenge, PowProof, PowPurpose } from './pow'
export { TooDeepError } from './canonical-json'

// Release: the offline key that signs a release manifest, and checking its signature.
export { newReleaseKey, releasePublicKey, signRelease, verifyRelease, RELEASE_PUBLIC_KEY_BYTES } from './release'
