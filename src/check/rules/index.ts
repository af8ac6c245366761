/** Every rule, in the order `gongkai rules` lists them. */
import type { Rule } from '../types.ts';
import t3ColumnTotal from './t3-column-total.ts';
import t3Balance from './t3-balance.ts';
import t3ResultsTotal from './t3-results-total.ts';
import t4Total from './t4-total.ts';
import t2DecisionsAsItems from './t2-decisions-as-items.ts';
import t2ValidBelowIssued from './t2-valid-below-issued.ts';
import editionYear from './edition-year.ts';
import missingSection from './missing-section.ts';
import missingTable from './missing-table.ts';
import missingCell from './missing-cell.ts';
import ambiguousCell from './ambiguous-cell.ts';
import invalidNumber from './invalid-number.ts';
import latePublication from './late-publication.ts';
import sectionOrder from './section-order.ts';
import narrativeMismatch from './narrative-mismatch.ts';
import injectedContent from './injected-content.ts';
import templateLeftover from './template-leftover.ts';
import emptyProblemsSection from './empty-problems-section.ts';
import feesNotReported from './fees-not-reported.ts';
import labelVariant from './label-variant.ts';
import nonGovernmentLink from './non-government-link.ts';
import scannedDocument from './scanned-document.ts';
import divisionVariant from './division-variant.ts';
import unresolvedBody from './unresolved-body.ts';

export const RULES: Rule[] = [
  t3ColumnTotal, t3Balance, t3ResultsTotal, t4Total, t2DecisionsAsItems, t2ValidBelowIssued,
  editionYear, missingSection, missingTable, missingCell, ambiguousCell, invalidNumber, latePublication, sectionOrder,
  narrativeMismatch, injectedContent, templateLeftover, emptyProblemsSection, feesNotReported, labelVariant, nonGovernmentLink,
  scannedDocument, divisionVariant, unresolvedBody,
];
