import { getDocumentProxy } from 'unpdf';
import { UnreadableFile, type TextReading } from './port.ts';

/** Pages read from one PDF: a receipt is a page or two, and a 500-page upload is not one. */
const MAX_PAGES = 20;
/** Items on one baseline within this many points are one line. */
const SAME_LINE = 2;

/**
 * A PDF's own text layer (unpdf, pure JavaScript: runs on every host), lines rebuilt from the
 * items' positions. A PDF without one (a scan) is UnreadableFile: it is not rasterised here.
 */
export async function readPdfText(bytes: Uint8Array): Promise<TextReading> {
  let pages: { str: string; x: number; y: number; width: number }[][];
  try {
    // unpdf may detach the buffer it is given: a copy keeps the caller's bytes.
    const pdf = await getDocumentProxy(bytes.slice());
    pages = [];
    // Only the first pages are read: a 10 MB upload could hold thousands.
    for (let n = 1; n <= Math.min(pdf.numPages, MAX_PAGES); n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      pages.push(
        content.items.flatMap((item) =>
          'str' in item ? [{ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width }] : [],
        ),
      );
    }
    await pdf.destroy();
  } catch {
    throw new UnreadableFile('The PDF could not be opened');
  }
  const lines: string[] = [];
  for (const items of pages) {
    const rows: { y: number; parts: { x: number; end: number; str: string }[] }[] = [];
    for (const { str, x, y, width } of items) {
      if (!str.trim()) continue;
      let row = rows.find((r) => Math.abs(r.y - y) <= SAME_LINE);
      if (!row) rows.push((row = { y, parts: [] }));
      row.parts.push({ x, end: x + width, str: str.trim() });
    }
    // PDF y grows upwards: top of the page first.
    rows.sort((a, b) => b.y - a.y);
    for (const row of rows) {
      const parts = row.parts.sort((a, b) => a.x - b.x);
      // Pieces apart by more than a space's width are two words (or two columns).
      lines.push(parts.map((p, i) => (i > 0 && p.x - parts[i - 1]!.end > 1 ? ' ' : '') + p.str).join(''));
    }
  }
  if (!lines.some((l) => /[\p{L}\p{N}]/u.test(l))) throw new UnreadableFile('The PDF has no text layer (a scanned page): upload it as an image instead');
  return { lines: lines.map((text) => ({ text, confidence: 1 })), confidence: 1, source: 'pdf-text' };
}
