let context: CanvasRenderingContext2D | null | undefined;

/**
 * How wide `text` is drawn in `font` (a CSS font shorthand), in CSS pixels, measured by the
 * browser; without a canvas, a generous estimate (0.65 em a character).
 */
export function textWidth(text: string, font: string): number {
  context ??= document.createElement('canvas').getContext('2d');
  if (!context) return text.length * parseFloat(font.replace(/^\D+/, '')) * 0.65;
  context.font = font;
  return context.measureText(text).width;
}
