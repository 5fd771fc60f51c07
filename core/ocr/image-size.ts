import type { ReadableType } from './port.ts';

/**
 * An image's width and height from its header, without decoding it: a few kilobytes of PNG can
 * claim a 50,000 × 50,000 canvas that the engine would try to allocate. Null when the header is
 * not where the format puts it (a truncated or corrupt file).
 */
export function imageSize(bytes: Uint8Array, type: Exclude<ReadableType, 'application/pdf'>): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number, text: string) => [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));
  try {
    if (type === 'image/png') {
      // Signature, then the IHDR chunk: width and height, big-endian.
      return ascii(12, 'IHDR') ? { width: view.getUint32(16), height: view.getUint32(20) } : null;
    }
    if (type === 'image/jpeg') {
      // Markers after SOI: the first start-of-frame holds the size (not DHT C4, JPG C8, DAC CC).
      let at = 2;
      while (at + 9 < bytes.length) {
        if (bytes[at] !== 0xff) return null;
        const marker = bytes[at + 1]!;
        if (marker === 0xff) {
          at++;
          continue;
        }
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
        }
        at += 2 + view.getUint16(at + 2);
      }
      return null;
    }
    // WebP: RIFF, then a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk.
    if (!ascii(0, 'RIFF') || !ascii(8, 'WEBP')) return null;
    if (ascii(12, 'VP8 ')) return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    if (ascii(12, 'VP8L')) {
      const bits = view.getUint32(21, true);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (ascii(12, 'VP8X')) {
      const u24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
      return { width: u24(24) + 1, height: u24(27) + 1 };
    }
    return null;
  } catch {
    // A header cut short: DataView reads past the end.
    return null;
  }
}
