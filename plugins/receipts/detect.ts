import { fileTypeFromBuffer } from 'file-type/core';
import type { ReadableType } from '../../core/ocr/port.ts';

/** What a receipt may be, by the type its bytes show, and how the API names its kind. */
export const ACCEPTED: Record<ReadableType, { fileType: 'image' | 'pdf'; extension: string }> = {
  'image/png': { fileType: 'image', extension: 'png' },
  'image/jpeg': { fileType: 'image', extension: 'jpg' },
  'image/webp': { fileType: 'image', extension: 'webp' },
  'application/pdf': { fileType: 'pdf', extension: 'pdf' },
};

/**
 * The file's type from its bytes (file-type's signatures), never from its name or the type the
 * client declared: an executable named receipt.png is not an image. Null for anything not accepted.
 */
export async function detectType(bytes: Uint8Array): Promise<ReadableType | null> {
  const found = await fileTypeFromBuffer(bytes);
  return found && Object.hasOwn(ACCEPTED, found.mime) ? (found.mime as ReadableType) : null;
}
