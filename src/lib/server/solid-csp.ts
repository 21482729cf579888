/**
 * The CSP hash of Solid's inline hydration bootstrap (the `window._$HY` script its Astro renderer puts in each page
 * with an island). Astro hashes its own inline scripts, not a renderer's: without this hash the CSP blocks it and
 * no island hydrates. Computed from the same bundled solid-js the renderer calls, so it always matches.
 */
import { createHash } from 'node:crypto';
import { generateHydrationScript } from 'solid-js/web';

// The text between the tags (the renderer's output goes on with an `<!--xs-->` marker after them).
const script = /<script[^>]*>([\s\S]*?)<\/script>/.exec(generateHydrationScript())?.[1] ?? '';

export const solidHydrationScriptHash = `sha256-${createHash('sha256').update(script).digest('base64')}` as const;
