export { extract, ParseError } from './extract.ts';
export { tokenize, type Token } from './tokens.ts';
export { parseRegion, bodyKindOf } from './meta.ts';
