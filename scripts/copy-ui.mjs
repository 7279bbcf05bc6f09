// The web UI's static files are not TypeScript, so tsc leaves them out of dist/: copy them beside the
// compiled routes (dist/ui/assets), where src/ui/routes.ts looks for them.
import { cpSync, rmSync } from 'node:fs';
rmSync('dist/ui/assets', { recursive: true, force: true });
cpSync('src/ui/assets', 'dist/ui/assets', { recursive: true });
