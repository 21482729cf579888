/**
 * WCAG 2 contrast between two sRGB colours written as #rrggbb: the ratio of their relative luminances, from 1 (the
 * same) to 21 (black on white). AA asks 4.5:1 for text and 3:1 for large text and interface parts.
 * https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio
 */
export const AA_TEXT = 4.5;

export function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `share` (0–1) of `hex` mixed into white, as CSS color-mix(in srgb, hex share, #fff) does: a pale tint. */
export function tint(hex: string, share: number): string {
  return `#${[1, 3, 5]
    .map((i) =>
      Math.round(parseInt(hex.slice(i, i + 2), 16) * share + 255 * (1 - share))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
