/// <reference types="astro/client" />
// Named app.d.ts, not env.d.ts: src/env.ts is the configuration module, and TypeScript would take the two for one.

declare namespace App {
  interface Locals {
    user: import('./lib/server/session').SessionUser | null;
    session: import('./lib/server/session').ActiveSession | null;
    /** Set by the middleware when a page form post is over the person's write limit (the /429 page shows it). */
    tooManyWrites?: { message: string };
  }
}
