import { defineSelftest } from './harness.js';

/** Self-test of the CPO catalogue against the reference CPO; the table of this proof is in the README ("Self-test"). */
defineSelftest('CPO');
