/**
 * Image grids as PNG, written with **pngjs** (pure JavaScript, no native binary, 8-bit grey output): exact pixels in a
 * small file. (resvg, used for the plots, would need an SVG with a rectangle per pixel: 50 000 for an 8 × 8 grid.)
 */
import { PNG } from 'pngjs';

/** Options of {@link imageGridPng}. */
export interface ImageGridOptions {
  /** Images per side (side² images are used; missing ones stay blank). */
  readonly side: number;
  /** Image height and width in pixels. */
  readonly height: number;
  readonly width: number;
  /** Pixels between images (grey), default 2. */
  readonly padding?: number;
  /** Integer magnification, default 2. */
  readonly zoom?: number;
}

/**
 * Encodes images (row-major, one byte-valued pixel 0…255 per entry, white digits on black as MNIST) as one PNG grid.
 */
export function imageGridPng(pixels: ArrayLike<number>, options: ImageGridOptions): Uint8Array {
  const { side, height, width } = options;
  const padding = options.padding ?? 2;
  const zoom = options.zoom ?? 2;
  const cell = (h: number) => h * zoom + padding;
  const png = new PNG({ width: side * cell(width) + padding, height: side * cell(height) + padding });
  png.data.fill(128);
  const count = Math.min(side * side, Math.floor(pixels.length / (height * width)));
  for (let k = 0; k < count; k++) {
    const [top, left] = [padding + Math.floor(k / side) * cell(height), padding + (k % side) * cell(width)];
    for (let i = 0; i < height * zoom; i++) {
      for (let j = 0; j < width * zoom; j++) {
        const value = pixels[k * height * width + Math.floor(i / zoom) * width + Math.floor(j / zoom)]!;
        const at = 4 * ((top + i) * png.width + left + j);
        const v = Math.max(0, Math.min(255, Math.round(value)));
        png.data[at] = v;
        png.data[at + 1] = v;
        png.data[at + 2] = v;
      }
    }
  }
  for (let at = 3; at < png.data.length; at += 4) png.data[at] = 255;
  return new Uint8Array(PNG.sync.write(png, { colorType: 0 }));
}
