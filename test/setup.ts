import { afterAll } from 'vitest';
import { cleanupTestCerts } from './helpers/hub.js';

// Registered before each file's own hooks, so with vitest's default stack order it runs after them.
afterAll(cleanupTestCerts);
