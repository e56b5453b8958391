import { defineQuirkSelftest } from './harness.js';

/** Self-test of the reference CPO's quirks: partners unlike ours that keep the rules; the table is in the README. */
defineQuirkSelftest('CPO');
