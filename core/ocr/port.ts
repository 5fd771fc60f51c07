/**
 * The OCR port: turns a receipt's bytes into text. The host picks the adapter (hosts/*.ts):
 * a tesseract.js worker pool on Node and Deno (core/ocr/tesseract.ts); none on Workers, where
 * receipts stay pending for the Node OCR worker. What the text means is the caller's business.
 */

/** The types a reading accepts: what upload detection lets through. */
export type ReadableType = 'image/png' | 'image/jpeg' | 'image/webp' | 'application/pdf';

export interface TextLine {
  text: string;
  /** The engine's confidence in the line, 0..1 (1 for a PDF's text layer). */
  confidence: number;
}

export interface TextReading {
  /** Lines top to bottom, as printed. */
  lines: TextLine[];
  /** Mean word confidence over the page, 0..1 (1 for a PDF's text layer). */
  confidence: number;
  /** Where the text came from: the OCR engine, or a PDF's own text layer. */
  source: 'ocr' | 'pdf-text';
}

/** A reading that cannot succeed for this file (not a passing fault): `reason` is for the user. */
export class UnreadableFile extends Error {
  override name = 'UnreadableFile';
}

export interface OcrPort {
  /** Throws UnreadableFile when the file holds no text this reader can get at. */
  read(bytes: Uint8Array, type: ReadableType): Promise<TextReading>;
  /** Stops the engine's workers (the host calls it on shutdown); a later read starts them again. */
  stop(): Promise<void>;
}
