#!/usr/bin/env node
/**
 * Draws the add-in's icons (a rising bar chart on a rounded teal tile) as PNGs at the sizes Office asks for:
 * 16/32/80 px for the ribbon button, 32/64 px for the add-in's IconUrl/HighResolutionIconUrl.
 *
 * Plain Node (zlib + a hand-written PNG encoder) so the icons can be regenerated without image tools:
 *   node assets/generate-icons.js
 * The PNGs are committed; the build only copies them.
 */
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const { Buffer } = require("buffer");

const SIZES = [16, 32, 64, 80];
const TILE = [0x0b, 0x6e, 0x69]; // teal
const BAR = [0xff, 0xff, 0xff];

/** CRC-32 as PNG chunks need it. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes RGBA pixels (row-major, 4 bytes each) as a PNG file. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rows = [];
  for (let y = 0; y < size; y++) {
    rows.push(Buffer.from([0])); // filter: none
    rows.push(rgba.subarray(y * size * 4, (y + 1) * size * 4));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * Coverage (0..1) of pixel (x, y) by the icon's shapes, 4×4 supersampled so small sizes stay smooth.
 * Returns the tile coverage and the bar coverage.
 */
function coverage(size, x, y) {
  const radius = size * 0.18;
  const bars = [
    { left: 0.2, right: 0.36, top: 0.56 },
    { left: 0.42, right: 0.58, top: 0.4 },
    { left: 0.64, right: 0.8, top: 0.22 },
  ];
  const bottom = 0.8;
  let tile = 0;
  let bar = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const px = x + (sx + 0.5) / 4;
      const py = y + (sy + 0.5) / 4;
      const dx = Math.max(radius - px, 0, px - (size - radius));
      const dy = Math.max(radius - py, 0, py - (size - radius));
      if (dx * dx + dy * dy <= radius * radius) tile++;
      const u = px / size;
      const v = py / size;
      if (bars.some((b) => u >= b.left && u <= b.right && v >= b.top && v <= bottom)) bar++;
    }
  }
  return { tile: tile / 16, bar: bar / 16 };
}

function drawIcon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const { tile, bar } = coverage(size, x, y);
      const mix = tile > 0 ? Math.min(bar / tile, 1) : 0;
      const offset = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) rgba[offset + c] = Math.round(TILE[c] * (1 - mix) + BAR[c] * mix);
      rgba[offset + 3] = Math.round(tile * 255);
    }
  }
  return encodePng(size, rgba);
}

if (require.main === module) {
  for (const size of SIZES) {
    const file = path.join(__dirname, `icon-${size}.png`);
    fs.writeFileSync(file, drawIcon(size));
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

module.exports = { SIZES, drawIcon };
