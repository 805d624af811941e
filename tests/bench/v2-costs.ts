/**
 * `npm run bench:v2`: what protocol v2 costs next to v1, measured side by side in one run, in
 * this process (no server): opening one message key's wrap, and the bytes a wrap adds to every
 * message. Both sides alternate round by round so that machine noise falls on both.
 */
import { INBOX_WRAP_BYTES, ready } from '../../crypto/index'
import { newKemKeyPair, unwrap, wrap, wrapBytes, wrapContext } from '../../crypto/kem'
import { sodium } from '../../crypto/sodium'
import { fmt, median } from './lib'

const ROUNDS = Number(process.env.V2_ROUNDS ?? 7)
const PER_ROUND = Number(process.env.V2_PER_ROUND ?? 300)

await ready()
const s = sodium()
const key = s.randombytes_buf(32)
const box = s.crypto_box_keypair()
const boxWrap = s.crypto_box_seal(key, box.publicKey)
const kem = newKemKeyPair()
const context = wrapContext('message-key', 'bench-inbox', 1, 'bench-report')
const kemWrap = wrap(key, kem.publicKey, context)

const perOp = (f: () => void) => {
  const t = performance.now()
  for (let i = 0; i < PER_ROUND; i++) f()
  return ((performance.now() - t) * 1000) / PER_ROUND
}

const v1Open: number[] = []
const v2Open: number[] = []
const v1Seal: number[] = []
const v2Seal: number[] = []
for (let r = 0; r < ROUNDS; r++) {
  v1Open.push(perOp(() => s.crypto_box_seal_open(boxWrap, box.publicKey, box.privateKey)))
  v2Open.push(perOp(() => unwrap(kemWrap, kem, context)))
  v1Seal.push(perOp(() => s.crypto_box_seal(key, box.publicKey)))
  v2Seal.push(perOp(() => wrap(key, kem.publicKey, context)))
}

const row = (what: string, v1: number[], v2: number[]) => `| ${what} | ${fmt(median(v1))} µs | ${fmt(median(v2))} µs | ${fmt(median(v2) / median(v1), 2)}× |`
console.log(`### Protocol v2 next to v1: ${ROUNDS} rounds of ${PER_ROUND} operations each, medians

| per message key | v1 (X25519 sealed box) | v2 (X-Wing wrap) | v2 / v1 |
|---|---|---|---|
${row('open a wrap (a reviewer listing or opening a report)', v1Open, v2Open)}
${row('make a wrap (sealing a report or a reply)', v1Seal, v2Seal)}
| bytes per wrap | ${INBOX_WRAP_BYTES} B | ${wrapBytes(32)} B | ${fmt(wrapBytes(32) / INBOX_WRAP_BYTES, 1)}× |`)
