import { defineSelftest } from './harness.js';

/** Self-test of the EMP catalogue against the reference EMP; the table of this proof is in the README ("Self-test"). */
defineSelftest('EMP');
