/**
 * Drawing the playground's scatter: the ground-truth density as a heat map, the current samples as dots on top.
 */

/** The density image of a target, ready to paint. */
export interface DensityImage {
  readonly resolution: number;
  readonly extent: number;
  readonly values: Float32Array;
}

/** Paints the density (a light-to-dark ramp on √(p / max p), so faint modes stay visible) into an offscreen canvas. */
export function densityCanvas(image: DensityImage): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = image.resolution;
  canvas.height = image.resolution;
  const context = canvas.getContext('2d');
  if (context === null) return canvas;
  const pixels = context.createImageData(image.resolution, image.resolution);
  let max = 0;
  for (const v of image.values) max = Math.max(max, v);
  image.values.forEach((v, k) => {
    const t = max > 0 ? Math.sqrt(v / max) : 0;
    // from near-white (248, 250, 255) to a deep blue (37, 99, 235)
    pixels.data[4 * k] = 248 - t * (248 - 37);
    pixels.data[4 * k + 1] = 250 - t * (250 - 99);
    pixels.data[4 * k + 2] = 255 - t * (255 - 235);
    pixels.data[4 * k + 3] = 255;
  });
  context.putImageData(pixels, 0, 0);
  return canvas;
}

/** Draws the density and the points (row-major [n, 2]) on `canvas`; returns how many points fell inside the view. */
export function drawScatter(
  canvas: HTMLCanvasElement,
  background: HTMLCanvasElement | undefined,
  extent: number,
  points: Float32Array | undefined,
): number {
  const context = canvas.getContext('2d');
  if (context === null) return 0;
  const { width, height } = canvas;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  if (background !== undefined) {
    context.imageSmoothingEnabled = true;
    context.drawImage(background, 0, 0, width, height);
  }
  // axes through the origin
  context.strokeStyle = 'rgba(0, 0, 0, 0.15)';
  context.lineWidth = 1;
  context.beginPath();
  context.moveTo(width / 2, 0);
  context.lineTo(width / 2, height);
  context.moveTo(0, height / 2);
  context.lineTo(width, height / 2);
  context.stroke();
  if (points === undefined) return 0;
  const scale = width / (2 * extent);
  const radius = Math.max(1.5, width / 320);
  context.fillStyle = 'rgba(234, 88, 12, 0.75)';
  let inside = 0;
  for (let k = 0; k + 1 < points.length; k += 2) {
    const px = (points[k]! + extent) * scale;
    const py = (extent - points[k + 1]!) * scale;
    if (!(px >= 0 && px <= width && py >= 0 && py <= height)) continue;
    inside++;
    context.fillRect(px - radius, py - radius, 2 * radius, 2 * radius);
  }
  return inside;
}
