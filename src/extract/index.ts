export { extract, ParseError } from './extract.ts';
export { tokenize, type Token } from './tokens.ts';
export { bodyKey, bodyKindOf, regionOf, regionParts, resolveBody, type BodyReading } from './body.ts';
