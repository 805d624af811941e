/** Candour's one crypto module: the same code in the browser, on the server and in the CLI. */
export { ready } from './sodium'
export { toB64, fromB64, b64Length, utf8, fromUtf8, concat } from './encoding'
export { newReceipt, parseReceipt, formatReceipt, normaliseReceipt, RECEIPT_SYMBOLS } from './receipt'
export type { ParsedReceipt, ReceiptProblem } from './receipt'
export { deriveReporterKeys, newBoxKeyPair, newSignKeyPair, sodiumRandom, wipe } from './keys'
export type { KeyPair, ReporterKeys } from './keys'
export { bucketSize, isBucketSize, pad, unpad } from './padding'
export {
  sealEnvelope,
  openEnvelope,
  NONCE_BYTES,
  TAG_BYTES,
  INBOX_WRAP_BYTES,
  REPORTER_WRAP_BYTES,
} from './envelope'
export type { Envelope, Opener } from './envelope'
export { sign, verify, signJson, readSignedJson } from './signing'
export { newInboxKeys, publishKey, verifyPublishedKey, sealSelfNote, openSelfNote, SELF_NOTE_SEALED_BYTES } from './inbox'
export type { InboxKeys, PublishedKey, SelfNote } from './inbox'
export { checkInboxKeys, pinInbox } from './inbox-keys'
export type { CheckedInbox, InboxPin, KeyProblem, ListedKeyVersion } from './inbox-keys'
export { sealReport, sealFollowup, sealReply, sealNote, openNote, openReport, openMessage } from './thread'
export { UnreadableError, PAYLOAD_BOUNDS } from './payloads'
export type { SealedAnswers } from './payloads'
export type { SealedReport, Target, OpenedReport, OpenedMessage, OpenedNote } from './thread'
export { openThreadAsReporter } from './reporter-view'
export type { WireThread, WireMessage, ReporterView, ReporterMessage } from './reporter-view'
export { newCode, parseCode, formatCode } from './receipt'
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
  fingerprint,
  adoptionStatement,
  RECOVERY_SYMBOLS,
} from './custody'
export { wrapKeyFromPassphrase, PASSPHRASE_MIN_CHARS, PASSPHRASE_SALT_BYTES } from './passphrase'
export {
  fileEncryptor,
  fileDecryptor,
  sealFile,
  openFile,
  paddedLength,
  paddingFor,
  safeFileName,
  FILE_CHUNK_BYTES,
  FILE_CIPHER_CHUNK_BYTES,
  FILE_HEADER_BYTES,
} from './files'
export type { FileRef, FileEncryptor, FileDecryptor } from './files'
export { stripMetadata, isActiveContent, sniffType, DAMAGED_PICTURE } from './metadata'
export type { Stripped } from './metadata'
