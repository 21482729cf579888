/**
 * The downloadable badge image, pure: an SVG of the achievement (a ribbon medal with the track's title, the
 * organization and the year), and baking (Open Badges 3.0 §5.3, "Baked Badge" → SVG): the `openbadges` namespace
 * on the root element and, directly after its start tag, one `<openbadges:credential verify="…">` whose `verify`
 * attribute is the compact VC-JWT. Badge-aware software (1EdTech's validator among them) reads the credential
 * straight out of the image.
 */
export const OPEN_BADGES_SVG_NS = 'https://purl.imsglobal.org/ob/v3p0';

const escapeXml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');

/** Up to `max` lines of at most `width` characters, words kept whole; the last line ends in … when cut. */
export function wrapWords(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width || !line) {
      line = next;
      continue;
    }
    lines.push(line);
    line = word;
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1]!.slice(0, width - 1)}…`;
  return kept;
}

/** The medal's colours when the organisation sets no accent. */
const DEFAULT_COLOURS = { ribbon: '#1d4ed8', ring: '#1e3a8a' };

/**
 * `accent` (the organisation's brand colour, which content:check holds to 4.5:1 on white) colours the ribbons, the
 * ring and the words on the white face.
 */
export function badgeSvg(input: {
  title: string;
  organization: string;
  year: number;
  accent?: string | undefined;
}): string {
  const { ribbon, ring } = input.accent ? { ribbon: input.accent, ring: input.accent } : DEFAULT_COLOURS;
  const title = wrapWords(input.title, 18, 3);
  const label = `${input.title} — certified by ${input.organization}, ${input.year}`;
  const firstLine = 236 - (title.length - 1) * 15;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img" aria-labelledby="badge-title">',
    `<title id="badge-title">${escapeXml(label)}</title>`,
    `<path d="M150 300 L120 392 L160 372 L185 398 L200 320 Z" fill="${ribbon}"/>`,
    `<path d="M250 300 L280 392 L240 372 L215 398 L200 320 Z" fill="${ribbon}"/>`,
    `<circle cx="200" cy="200" r="150" fill="${ring}"/>`,
    '<circle cx="200" cy="200" r="136" fill="#ffffff"/>',
    `<circle cx="200" cy="200" r="128" fill="none" stroke="${ring}" stroke-width="3"/>`,
    `<text x="200" y="130" text-anchor="middle" font-family="sans-serif" font-size="15" font-weight="700" fill="${ring}" letter-spacing="2">CERTIFIED</text>`,
    ...title.map(
      (line, i) =>
        `<text x="200" y="${firstLine - 45 + i * 30}" text-anchor="middle" font-family="sans-serif" font-size="24" font-weight="700" fill="#111827">${escapeXml(line)}</text>`,
    ),
    `<text x="200" y="${firstLine + title.length * 30 - 20}" text-anchor="middle" font-family="sans-serif" font-size="14" fill="#374151">${escapeXml(wrapWords(input.organization, 30, 1)[0] ?? '')}</text>`,
    `<text x="200" y="290" text-anchor="middle" font-family="sans-serif" font-size="16" font-weight="700" fill="${ring}">${input.year}</text>`,
    '</svg>',
  ].join('\n');
}

/** The SVG with the credential baked in. Refuses an image that already carries one (the spec allows only one). */
export function bakeSvg(svg: string, jwt: string): string {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(jwt)) throw new Error('not a compact JWS');
  if (svg.includes(':credential')) throw new Error('the image already carries a credential');
  const start = /<svg\b[^>]*>/.exec(svg);
  if (!start) throw new Error('no <svg> element');
  const open = start[0].replace(/^<svg\b/, `<svg xmlns:openbadges="${OPEN_BADGES_SVG_NS}"`);
  const end = start.index + start[0].length;
  return `${svg.slice(0, start.index)}${open}\n<openbadges:credential verify="${jwt}"></openbadges:credential>${svg.slice(end)}`;
}
