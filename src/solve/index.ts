export { solveRow, canonical, slotNumber, type Piece, type PieceKind, type Reading, type RowIdentity, type SlotValue, type SolveResult, type SolveOptions } from './solver.ts';
export { refineByColumns, type Equation, type Term } from './columns.ts';
