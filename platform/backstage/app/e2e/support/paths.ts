import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BACKSTAGE_DIR = resolve(APP_DIR, '..');
export const BACKEND_DIR = join(BACKSTAGE_DIR, 'backend');
export const REPO_ROOT = resolve(BACKSTAGE_DIR, '../..');
/** Screenshots and logs of the last run (gitignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'portal-e2e');
/** The screenshots the docs show, refreshed with IDP_UPDATE_DOCS_IMAGES=1. */
export const DOCS_IMAGES_DIR = join(REPO_ROOT, 'docs', 'images');
