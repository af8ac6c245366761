export { readText, decode, textToRows, ReadError } from './text.ts';
export { normalize, compact, rawIndex, type Normalized } from './normalize.ts';
