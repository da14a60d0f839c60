// Deterministic build that consumes @fixture/a's output (so it must run after a's build).
const fs = require("fs");
const path = require("path");

const dist = path.join(__dirname, "dist");
const aDist = path.join(__dirname, "..", "a", "dist");
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(path.join(dist, "assets"), { recursive: true });

const blob = fs.readFileSync(path.join(aDist, "nested", "deeper", "blob.bin"));
let sum = 0;
for (const byte of blob) sum = (sum * 31 + byte) >>> 0;
fs.writeFileSync(path.join(dist, "index.js"), `module.exports = { name: "b", dependsOn: "a", checksumOfA: ${sum} };\n`);
fs.writeFileSync(path.join(dist, "assets", "reversed.bin"), Buffer.from(blob).reverse());
console.log("built @fixture/b");
