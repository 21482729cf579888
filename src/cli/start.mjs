/**
 * Starts the server (`npm start`, the e2e and reliability harness, the bench): loads serve.ts through tsx, then
 * removes tsx's module hooks before serve() imports the built app. The built app is plain JavaScript, and Astro
 * imports a route's module on every request: with tsx's hooks still in place, each of those imports went through
 * tsx's resolver (file-system probes included), a measurable part of a quiz submit.
 *
 * Plain JavaScript itself because it must run before any TypeScript loader exists.
 */
import { register } from 'tsx/esm/api';

const unregister = register();
const { start } = await import('./serve.ts');
await unregister();
await start();
