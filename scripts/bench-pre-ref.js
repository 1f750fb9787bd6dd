// Benchmarks the reference implementation @nucypher/umbral-pre (WASM) for the
// same operations as reencrypt's Go benchmarks. Prints "op<TAB>wall µs<TAB>cpu µs"
// lines; cpu is the process CPU time (user+system, all threads) per op, the
// measure scripts/bench-pre.sh compares (robust on a shared machine).
// Usage: node scripts/bench-pre-ref.js PATH_TO_node_modules [minMillisPerOp]
'use strict';
const path = require('path');
const umbral = require(path.resolve(process.argv[2], '@nucypher/umbral-pre'));
const minMs = Number(process.argv[3] || 1000);

function bench(name, fn) {
  for (let i = 0; i < 20; i++) fn(); // warm up (JIT, WASM tier-up)
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < BigInt(minMs) * 1000000n);
  const cpu = process.cpuUsage(cpu0);
  const wallUs = Number(elapsed) / n / 1000;
  const cpuUs = (cpu.user + cpu.system) / n;
  console.log(`${name}\t${wallUs.toFixed(1)}\t${cpuUs.toFixed(1)}`);
}

const aliceSk = umbral.SecretKey.random();
const alicePk = aliceSk.publicKey();
const signerSk = umbral.SecretKey.random();
const signer = new umbral.Signer(signerSk);
const verifyingPk = signer.verifyingKey();
const bobSk = umbral.SecretKey.random();
const bobPk = bobSk.publicKey();
const msg = new Uint8Array(32); // a DEK-sized payload: the DEM part is negligible

const [capsule, ct] = umbral.encrypt(alicePk, msg);
const kfrags = umbral.generateKFrags(aliceSk, bobPk, signer, 2, 3, true, true);
const cfrag0 = umbral.reencrypt(capsule, kfrags[0]);
const cfrag1 = umbral.reencrypt(capsule, kfrags[1]);
const cfragBytes = cfrag0.toBytes();

// Sanity: the round trip works before timing anything.
const back = umbral.decryptReencrypted(bobSk, alicePk, capsule, [cfrag0, cfrag1], ct);
if (Buffer.compare(Buffer.from(back), Buffer.from(msg)) !== 0) throw new Error('reference round trip failed');

bench('encapsulate', () => { const [c, x] = umbral.encrypt(alicePk, msg); c.free(); });
bench('decapsulate', () => { umbral.decryptOriginal(aliceSk, capsule, ct); });
bench('kfrags M=2 N=3', () => { for (const k of umbral.generateKFrags(aliceSk, bobPk, signer, 2, 3, true, true)) k.free(); });
bench('reencrypt+proof', () => { umbral.reencrypt(capsule, kfrags[0]).free(); });
bench('verify cfrag', () => {
  const c = umbral.CapsuleFrag.fromBytes(cfragBytes);
  c.verify(capsule, verifyingPk, alicePk, bobPk).free();
});
bench('decapsulate 2 cfrags', () => { umbral.decryptReencrypted(bobSk, alicePk, capsule, [cfrag0, cfrag1], ct); });
