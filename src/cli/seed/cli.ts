/**
 * `npm run db:seed [-- --reset] | [-- --large [--learners N] [--reset]]`: the command line of src/cli/seed/demo.ts, in a
 * module of its own so that importing the seed (as the server does) never runs it.
 */
import { closeDb } from '../../../db/client';
import { seedCli } from './demo';

process.exitCode = await seedCli(process.argv.slice(2));
closeDb();
