/**
 * Astro reads an action's body itself, before the action runs, and copes only with bodies it can parse: a JSON
 * body that does not parse escapes as a 500, and a content type it does not read (text/plain, octets, none, …)
 * becomes a 415 without a message. The guard asks here first and answers those as the client's mistake, with
 * words; every other body goes on to Astro untouched (multipart that does not parse is caught after Astro's 415,
 * so well-formed posts are not parsed twice).
 */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];
const JSON_TYPE = 'application/json';

export interface BodyRefusal {
  status: 400 | 415;
  message: string;
}

const mediaType = (request: Request) => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

export function sendsForm(request: Request): boolean {
  return FORM_TYPES.includes(mediaType(request));
}

export async function unreadableActionBody(request: Request): Promise<BodyRefusal | null> {
  if (sendsForm(request)) return null;
  const type = mediaType(request);
  if (type !== JSON_TYPE) {
    return { status: 415, message: 'Send this as a form (multipart/form-data or application/x-www-form-urlencoded).' };
  }
  const text = await request.clone().text();
  if (text === '') return null;
  try {
    JSON.parse(text);
    return null;
  } catch {
    return { status: 400, message: 'The request body is not valid JSON.' };
  }
}

/** What Astro's bare 415 for a form body (`sendsForm`) means: form data it could not parse. */
export const unparsableForm: BodyRefusal = { status: 400, message: 'The form data could not be read.' };
