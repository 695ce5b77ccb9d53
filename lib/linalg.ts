/**
 * wt.linalg: linear algebra — the matrix product (also top-level wt.matmul) and the symmetric
 * eigendecomposition.
 */
export { matmul } from './ops/linalg';
export { eigh, type EighResult } from './ops/eigh';
