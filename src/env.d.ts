/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    user: import('./lib/server/session').SessionUser | null;
    session: import('./lib/server/session').ActiveSession | null;
  }
}
