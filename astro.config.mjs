// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import mdx from '@astrojs/mdx';
import solid from '@astrojs/solid-js';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [mdx(), solid()],
  security: {
    checkOrigin: true,
    // Every action is a small form: the largest legitimate one (a quiz of 100 questions, or a judgment answer)
    // is a few KB. 64 KB leaves room and refuses oversized bodies with 413 before they are parsed.
    actionBodySizeLimit: 64 * 1024,
  },
});
