// Deterministic build: a text file, a nested directory and a binary file, all into dist/.
const fs = require("fs");
const path = require("path");

const dist = path.join(__dirname, "dist");
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(path.join(dist, "nested", "deeper"), { recursive: true });

fs.writeFileSync(path.join(dist, "index.js"), "module.exports = { name: \"a\", value: 42 };\n");

// 64 KiB of pseudo-random but deterministic bytes (xorshift32, fixed seed), covering every byte value.
const bin = Buffer.alloc(64 * 1024);
let x = 0x2545f491;
for (let i = 0; i < bin.length; i++) {
  x ^= x << 13; x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5; x >>>= 0;
  bin[i] = i < 256 ? i : x & 0xff;
}
fs.writeFileSync(path.join(dist, "nested", "deeper", "blob.bin"), bin);
fs.writeFileSync(path.join(dist, "nested", "manifest.json"), JSON.stringify({ files: ["index.js", "nested/deeper/blob.bin"] }, null, 2) + "\n");
console.log("built @fixture/a");
