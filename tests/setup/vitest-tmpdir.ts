/** vitest globalSetup: the run's own temp folder (tests/helpers/run-tmpdir.ts), removed at the end. */
import { useRunTmpdir } from '../helpers/run-tmpdir';

export default function setup(): () => void {
  return useRunTmpdir('fa-vitest-');
}
