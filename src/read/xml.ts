/**
 * XML parts of Office files, through saxes (a conforming, non-validating SAX parser). saxes
 * expands no entity a DTD declares, so an entity bomb is an error, not a billion strings; we
 * add a depth limit. Errors name the part and the place.
 */
import { SaxesParser } from 'saxes';
import { ReadError, libraryReason } from './text.ts';

export interface XmlHandlers {
  open(name: string, attrs: Record<string, string>, offset: number): void;
  close(name: string): void;
  text(text: string): void;
}

export const MAX_XML_DEPTH = 256;

export function walkXml(xml: string, part: string, h: XmlHandlers): void {
  const p = new SaxesParser({ position: true });
  let depth = 0;
  let failure: ReadError | null = null;
  p.on('error', (e) => {
    failure ??= new ReadError('corrupt', `${part} is not well-formed XML (${e.message.replace(/^[^:]*:\d+:\d+: /, '')})`);
    throw failure;
  });
  p.on('doctype', () => {
    failure ??= new ReadError('corrupt', `${part} declares a DOCTYPE, which Office files never do (an entity bomb?)`);
    throw failure;
  });
  p.on('opentag', (t) => {
    if (++depth > MAX_XML_DEPTH) {
      failure ??= new ReadError('limit', `${part} nests elements more than ${MAX_XML_DEPTH} deep`);
      throw failure;
    }
    h.open(t.name, t.attributes as Record<string, string>, p.position);
  });
  p.on('closetag', (t) => {
    depth--;
    h.close(t.name);
  });
  p.on('text', (t) => h.text(t));
  try {
    p.write(xml).close();
  } catch (e) {
    if (failure) throw failure;
    if (e instanceof ReadError) throw e;
    throw new ReadError('corrupt', `${part} cannot be read (${libraryReason(e)})`);
  }
}
