/**
 * The OCR adapter of the embedded hosts: a pool of tesseract.js workers (worker threads),
 * wholly offline. The English model comes from the @tesseract.js-data/eng package and the
 * engine from tesseract.js-core in node_modules: nothing is fetched, nothing is cached on disk.
 * Without `langPath` tesseract.js would fetch the model from a CDN (and, offline, crash the
 * process); without `cacheMethod: 'none'` it would write eng.traineddata into the working directory.
 */
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import Tesseract from 'tesseract.js';
import { imageSize } from './image-size.ts';
import { readPdfText } from './pdf-text.ts';
import { UnreadableFile, type OcrPort, type TextLine } from './port.ts';

// The model package is CommonJS without types: its folder is all that is needed.
const eng = createRequire(import.meta.url)('@tesseract.js-data/eng') as { langPath: string };

/** The largest image read: 36 megapixels (6000 × 6000), above any phone's photo of a receipt. */
export const MAX_PIXELS = 36_000_000;

export interface TesseractOptions {
  /** Workers in the pool; the CPUs by default. */
  workers?: number;
}

/** Started on the first read, stopped by `stop()` (the host's shutdown); a read after that starts it again. */
export function createTesseractOcr(options: TesseractOptions = {}): OcrPort {
  const size = Math.max(1, options.workers ?? availableParallelism());
  let pool: Promise<Tesseract.Scheduler> | null = null;

  const start = async () => {
    const scheduler = Tesseract.createScheduler();
    const workers = await Promise.all(
      Array.from({ length: size }, () =>
        Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
          langPath: `${eng.langPath}_best_int`,
          gzip: true,
          cacheMethod: 'none',
        }),
      ),
    );
    for (const worker of workers) {
      // One uniform block of text: on the fixture set this found every total, where automatic
      // page segmentation and "single column" lost the amount column, and sparse text lost decimal points.
      await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.SINGLE_BLOCK, preserve_interword_spaces: '1' });
      scheduler.addWorker(worker);
    }
    return scheduler;
  };

  return {
    async read(bytes, type) {
      if (type === 'application/pdf') return readPdfText(bytes);
      const size = imageSize(bytes, type);
      if (!size || size.width === 0 || size.height === 0) throw new UnreadableFile('The image could not be decoded');
      // Checked before the engine allocates it: a small file can claim an enormous canvas.
      if (size.width * size.height > MAX_PIXELS) throw new UnreadableFile(`The image is too large to read (${size.width} × ${size.height} pixels; at most ${MAX_PIXELS / 1e6} megapixels)`);
      pool ??= start().catch((err) => {
        pool = null;
        throw err;
      });
      const scheduler = await pool;
      let page: Tesseract.Page;
      try {
        const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        ({ data: page } = await scheduler.addJob('recognize', input, {}, { text: true, blocks: true }));
      } catch (err) {
        // The engine refuses images it cannot decode (a truncated or corrupt file).
        throw new UnreadableFile(`The image could not be decoded (${String(err).slice(0, 100)})`);
      }
      return { lines: rows(page), confidence: page.confidence / 100, source: 'ocr' };
    },
    async stop() {
      const running = pool;
      pool = null;
      if (running) await (await running.catch(() => null))?.terminate();
    },
  };
}

interface Piece {
  text: string;
  confidence: number;
  x0: number;
  x1: number;
  /** Where the piece's baseline meets x = 0 once the page's skew is taken out. */
  y: number;
  height: number;
}

/**
 * The page's lines as printed. The engine finds a receipt's amount column apart from its
 * labels (two blocks, or two lines of one), so its lines are put back together here: pieces
 * whose baselines, the page's skew taken out, lie within half a line of each other are one line.
 */
function rows(page: Tesseract.Page): TextLine[] {
  const lines = (page.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines)).filter((l) => l.text.trim());
  // The skew: the median slope of the baselines of lines wider than they are tall.
  const slopes = lines
    .filter((l) => l.baseline.x1 - l.baseline.x0 > 3 * (l.bbox.y1 - l.bbox.y0))
    .map((l) => (l.baseline.y1 - l.baseline.y0) / (l.baseline.x1 - l.baseline.x0))
    .sort((a, b) => a - b);
  const slope = slopes.length ? slopes[Math.floor(slopes.length / 2)]! : 0;
  const pieces: Piece[] = lines.map((l) => ({
    text: l.words.map((w) => w.text).join(' '),
    confidence: l.confidence / 100,
    x0: l.bbox.x0,
    x1: l.bbox.x1,
    y: l.baseline.y0 - slope * l.baseline.x0,
    height: Math.max(1, l.rowAttributes?.rowHeight ?? l.bbox.y1 - l.bbox.y0),
  }));
  pieces.sort((a, b) => a.y - b.y);
  const grouped: Piece[][] = [];
  for (const piece of pieces) {
    const row = grouped.at(-1);
    const anchor = row?.[0];
    if (row && anchor && Math.abs(piece.y - anchor.y) < Math.min(piece.height, anchor.height) / 2) row.push(piece);
    else grouped.push([piece]);
  }
  return grouped.map((row) => {
    row.sort((a, b) => a.x0 - b.x0);
    const chars = row.reduce((n, p) => n + p.text.length, 0);
    return {
      // Pieces of one line far apart (label and amount) keep a wide gap, as printed.
      text: row.map((p, i) => (i === 0 ? '' : p.x0 - row[i - 1]!.x1 > p.height ? '   ' : ' ') + p.text).join(''),
      confidence: row.reduce((n, p) => n + p.confidence * p.text.length, 0) / Math.max(1, chars),
    };
  });
}

