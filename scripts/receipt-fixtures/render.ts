/**
 * Renders the OCR fixture set (receipts.ts) into tests/fixtures/receipts: one image per
 * receipt, `truth.json` with what each reading must find, and two PDFs (one with a text layer,
 * one scanned, without). Deterministic (a seeded generator), nothing downloaded: the fonts are
 * the DejaVu and Liberation TrueType files of Debian's fonts-dejavu-core / fonts-liberation.
 *
 *   node scripts/receipt-fixtures/render.ts                 the committed set
 *   node scripts/receipt-fixtures/render.ts --variant 7 DIR  the same receipts, other noise and a
 *       little more or less rotation and blur, into DIR: a check that the readings do not hold
 *       only for the committed images
 */
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { receipts, type ReceiptText } from './receipts.ts';

const variantAt = process.argv.indexOf('--variant');
const variant = variantAt > 0 ? Number(process.argv[variantAt + 1]) : 0;
const OUT = variant ? process.argv[variantAt + 2]! : join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'receipts');
const FONT_DIR = '/usr/share/fonts/truetype';

const fonts: Record<ReceiptText['style']['font'], { file: string; family: string }> = {
  mono: { file: 'dejavu/DejaVuSansMono.ttf', family: 'Fixture Mono' },
  'mono-alt': { file: 'liberation/LiberationMono-Regular.ttf', family: 'Fixture Mono Alt' },
  sans: { file: 'dejavu/DejaVuSans.ttf', family: 'Fixture Sans' },
  'sans-alt': { file: 'liberation/LiberationSans-Regular.ttf', family: 'Fixture Sans Alt' },
  serif: { file: 'liberation/LiberationSerif-Regular.ttf', family: 'Fixture Serif' },
  narrow: { file: 'liberation/LiberationSansNarrow-Regular.ttf', family: 'Fixture Narrow' },
};
for (const { file, family } of Object.values(fonts)) {
  if (!GlobalFonts.registerFromPath(join(FONT_DIR, file), family)) throw new Error(`font ${file} not found: apt-get install fonts-dejavu-core fonts-liberation`);
}

/** mulberry32: the same noise on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The paper: the receipt's text on white, `style.width` wide. */
function paper(receipt: ReceiptText) {
  const { style } = receipt;
  const lineHeight = Math.round(style.size * 1.45);
  const margin = Math.round(style.size * 1.2);
  const height = margin * 2 + lineHeight * receipt.lines.length;
  const canvas = createCanvas(style.width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fdfdf8';
  ctx.fillRect(0, 0, style.width, height);
  ctx.fillStyle = '#1a1a1a';
  ctx.textBaseline = 'top';
  ctx.font = `${style.size}px "${fonts[style.font].family}"`;
  receipt.lines.forEach((line, i) => {
    const y = margin + i * lineHeight;
    const [left, right] = line.split('\t');
    if (right === undefined) {
      // Header lines (the first three) centred, like a till prints them.
      const x = i < 3 ? (style.width - ctx.measureText(left!).width) / 2 : margin;
      ctx.fillText(left!, x, y);
    } else {
      ctx.fillText(left!, margin, y);
      ctx.fillText(right, style.width - margin - ctx.measureText(right).width, y);
    }
  });
  return canvas;
}

/**
 * Sensor-like noise: every pixel shifted by a Gaussian amount (σ grows with `level`), and a
 * sprinkle of dark and light specks (dust, thermal paper flaws) on a tenth as many pixels.
 */
function noise(ctx: SKRSContext2D, width: number, height: number, level: number, rnd: () => number) {
  const image = ctx.getImageData(0, 0, width, height);
  const sigma = 400 * level;
  for (let i = 0; i < image.data.length; i += 4) {
    // Box-Muller.
    const g = Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd()) * sigma;
    for (let k = 0; k < 3; k++) image.data[i + k] = Math.max(0, Math.min(255, image.data[i + k]! + g));
    if (rnd() < level / 10) {
      const v = rnd() < 0.5 ? Math.floor(rnd() * 90) : 255 - Math.floor(rnd() * 60);
      image.data[i] = image.data[i + 1] = image.data[i + 2] = v;
    }
  }
  ctx.putImageData(image, 0, 0);
}

function render(receipt: ReceiptText, seed: number): Buffer {
  const { style } = receipt;
  const rnd = random(seed);
  const sheet = paper(receipt);
  const pad = style.photo ? 60 : 16;
  const angle = (style.rotate * Math.PI) / 180;
  const w = Math.ceil(Math.abs(sheet.width * Math.cos(angle)) + Math.abs(sheet.height * Math.sin(angle))) + pad * 2;
  const h = Math.ceil(Math.abs(sheet.width * Math.sin(angle)) + Math.abs(sheet.height * Math.cos(angle))) + pad * 2;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  if (style.photo) {
    // A grey desk, lit from one corner, and the paper's shadow on it.
    const light = ctx.createLinearGradient(0, 0, w, h);
    light.addColorStop(0, '#9a9a96');
    light.addColorStop(1, '#5c5c58');
    ctx.fillStyle = light;
    ctx.fillRect(0, 0, w, h);
  } else {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, w, h);
  }
  ctx.save();
  ctx.translate(w / 2, h / 2);
  ctx.rotate(angle);
  if (style.photo) {
    ctx.shadowColor = 'rgba(0,0,0,0.45)';
    ctx.shadowBlur = 14;
    ctx.shadowOffsetX = 6;
    ctx.shadowOffsetY = 8;
  }
  if (style.blur > 0) ctx.filter = `blur(${style.blur}px)`;
  ctx.drawImage(sheet, -sheet.width / 2, -sheet.height / 2);
  ctx.restore();
  if (style.photo) {
    // Uneven light over the paper too.
    const shade = ctx.createRadialGradient(w * 0.3, h * 0.2, 10, w * 0.5, h * 0.5, Math.max(w, h));
    shade.addColorStop(0, 'rgba(255,255,240,0.0)');
    shade.addColorStop(1, 'rgba(40,40,30,0.22)');
    ctx.fillStyle = shade;
    ctx.fillRect(0, 0, w, h);
  }
  if (style.noise > 0) noise(ctx, w, h, style.noise, rnd);
  if (style.format === 'jpeg') return canvas.toBuffer('image/jpeg', 72);
  if (style.format === 'webp') return canvas.toBuffer('image/webp', 80);
  return canvas.toBuffer('image/png');
}

const extension = { png: 'png', jpeg: 'jpg', webp: 'webp' } as const;

async function pdfs() {
  // A PDF with a text layer: what a shop's e-receipt is.
  // No metadata (creation dates): the same bytes on every run.
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([300, 420]);
  const font = await doc.embedFont(StandardFonts.Courier);
  const lines = ['NORTHWIND ONLINE', 'Order 10442', 'Date: 2024-04-02', '', 'Headphones            59.00', 'Shipping               4.99', '', 'Subtotal              63.99', 'Tax                    5.12', 'TOTAL              USD 69.11'];
  lines.forEach((line, i) => page.drawText(line, { x: 24, y: 390 - i * 16, size: 11, font }));
  writeFileSync(join(OUT, 'e-receipt-text-layer.pdf'), await doc.save({ useObjectStreams: false }));

  // A scan: the first receipt as an image inside a PDF, no text layer.
  const scan = await PDFDocument.create({ updateMetadata: false });
  const png = await scan.embedPng(render(receipts[0]!, 1));
  scan.addPage([png.width, png.height]).drawImage(png, { x: 0, y: 0, width: png.width, height: png.height });
  writeFileSync(join(OUT, 'scan-no-text.pdf'), await scan.save());
}

mkdirSync(OUT, { recursive: true });
const truth: Record<string, ReceiptText['truth']> = {};
receipts.forEach((receipt, i) => {
  const file = `${receipt.name}.${extension[receipt.style.format]}`;
  if (variant) {
    const jitter = random(variant * 1000 + i);
    const style = { ...receipt.style, rotate: receipt.style.rotate + (jitter() - 0.5) * 1.5, blur: Math.max(0, receipt.style.blur + (jitter() - 0.5) * 0.6) };
    receipt = { ...receipt, style };
  }
  writeFileSync(join(OUT, file), render(receipt, variant * 1000 + i + 1));
  truth[file] = receipt.truth;
});
truth['e-receipt-text-layer.pdf'] = { total: 69.11, date: '2024-04-02', merchant: 'NORTHWIND ONLINE', currency: 'USD' };
writeFileSync(join(OUT, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
await pdfs();
console.log(`${Object.keys(truth).length} fixtures in ${OUT}`);
