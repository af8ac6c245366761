/**
 * The store's tables, as kysely sees them. The migrations (`migrations.ts`) create them; this
 * file must follow every migration.
 */
import type { Generated } from 'kysely';

export interface DocumentsTable {
  id: Generated<number>;
  /** SHA-256 of the bytes: the same bytes are one document, whatever their name. */
  hash: string;
  format: string | null;
  bytes: number;
  ingested_at: string;
  /** Why the file could not be read as a report (then it has no report row). */
  error_code: string | null;
  error: string | null;
}

/** Every path a document was seen at: a changed file is a new document at the same path. */
export interface SourcesTable {
  path: string;
  document_id: number;
  seen_at: string;
}

export interface ReportsTable {
  id: Generated<number>;
  document_id: number;
  /** The body across years: normalised region and name (or the document, if unnamed). */
  agency_key: string;
  agency: string | null;
  /** The division's full name (江苏省淮安市洪泽区), or the region as printed when the body is not placed. */
  region: string | null;
  /** The body's division code (GB/T 2260; 9 digits for a township), or null when not placed. */
  division: string | null;
  level: string | null;
  body_kind: string | null;
  year: number | null;
  edition: string | null;
  published_on: string | null;
  title: string | null;
  /** 1 for the newest report of its body and year; older versions stay, with 0. */
  current: number;
  /** Share of the narrative repeated from the body's previous year (text-repetition); null without one. */
  repetition: number | null;
  /** When the corpus rules last ran for it; null until they have (an interrupted ingest resumes them). */
  corpus_checked_at: string | null;
  /** Its error-level and warning-level findings (report and corpus), kept in step with them (tallyFindings). */
  errors: Generated<number>;
  warnings: Generated<number>;
  /**
   * Its numbers in the summary cells (SUMMARY_KEYS), as a JSON object of key to number: the
   * cells with a number only (blank and undetermined ones are left out, as in the totals).
   */
  summary: string | null;
}

export interface CellsTable {
  report_id: number;
  key: string;
  value: string | null;
  /** The value as a number, for sums (null when blank or not a number). */
  num: number | null;
  status: string;
  shown: string;
  /** JSON of the cell's source position. */
  position: string | null;
}

export interface SectionsTable {
  report_id: number;
  number: number;
  title: string;
  text: string;
}

export interface FindingsTable {
  id: Generated<number>;
  report_id: number;
  rule_id: string;
  severity: string;
  message: string;
  message_en: string | null;
  keys: string;
  position: string | null;
  /** 'report' (the report's own checks) or 'corpus' (rules that compare reports). */
  scope: string;
}

/** MinHash band keys of a report's narrative, for near-duplicate search without a quadratic scan. */
export interface SketchesTable {
  report_id: number;
  band: number;
  hash: string;
}

/** A report's cells packed in one row for the exports (`cell-values.ts`): its values as a JSON array, in its layout's order. */
export interface ReportCellsTable {
  report_id: number;
  /** The layout's hash (`cell_layouts.hash`). */
  layout: string;
  /** The values as a JSON array (a number's text, null when blank, `?` when not determined), in the layout's order. */
  cell_values: string;
}

/** A set of cell keys that reports have, as a JSON array in code unit order, named by a hash of that text. */
export interface CellLayoutsTable {
  hash: string;
  keys: string;
}

/** Pre-aggregated sums of current reports, kept in step with every write. */
export interface CellAggTable {
  year: number;
  region: string;
  level: string;
  key: string;
  total: number;
  /** Reports with a number in the cell (the rest of the group's reports lack it). */
  present: number;
}

/**
 * Findings per rule and severity of the current reports of a year, region and level (year 0,
 * region and level '' where the report has none), kept in step with every write (tallyFindings):
 * the dashboard's and `stats`' counts by rule read these, not the findings.
 */
export interface RuleAggTable {
  year: number;
  region: string;
  level: string;
  rule_id: string;
  severity: string;
  findings: number;
  /** Reports with at least one finding of the rule and severity. */
  reports: number;
}

/**
 * The same totals without the region: per year and level. The dashboard's view of the whole
 * store (and a selection by year or level alone) reads these few rows, not every region's.
 */
export interface CellTopTable {
  year: number;
  level: string;
  key: string;
  total: number;
  present: number;
}

export interface RuleTopTable {
  year: number;
  level: string;
  rule_id: string;
  severity: string;
  findings: number;
  reports: number;
}

export interface ReportAggTable {
  year: number;
  region: string;
  level: string;
  reports: number;
  /**
   * The group's totals of the summary cells (SUMMARY_KEYS), kept in step with cell_agg: a JSON
   * array, the version and then each key's total and count of reports with a number in it
   * (`groupSummarySql`). `stats`' text table reads these, one row a group.
   */
  summary: string | null;
}

/** Bytes uploaded through the web app, as given. */
export interface OriginalsTable {
  document_id: number;
  name: string;
  data: Uint8Array;
}

/** A reviewer's value for one cell of a document's reading (the reading is kept as read). */
export interface CorrectionsTable {
  id: Generated<number>;
  document_id: number;
  key: string;
  from_value: string | null;
  to_value: string | null;
  who: string;
  at: string;
  note: string | null;
}

/** Confirm or dismiss a finding; the newest row for a body, year, rule and cells stands. */
export interface ReviewsTable {
  id: Generated<number>;
  agency_key: string;
  year: number | null;
  rule_id: string;
  keys: string;
  status: string;
  comment: string | null;
  who: string;
  at: string;
}

export interface UsersTable {
  name: string;
  /** scrypt hash: `scrypt$N$r$p$salt$hash` (base64). */
  password: string;
  role: string;
  /** Region prefix the user sees ('' for everything). */
  region: string;
  created_at: string;
}

export interface WebSessionsTable {
  sid: string;
  data: string;
  expires: number;
}

/** Every state-changing request: who, when, what. */
export interface AuditTable {
  id: Generated<number>;
  at: string;
  who: string;
  action: string;
  target: string | null;
  detail: string | null;
}

export interface DB {
  originals: OriginalsTable;
  corrections: CorrectionsTable;
  reviews: ReviewsTable;
  users: UsersTable;
  web_sessions: WebSessionsTable;
  audit: AuditTable;
  documents: DocumentsTable;
  sources: SourcesTable;
  reports: ReportsTable;
  cells: CellsTable;
  sections: SectionsTable;
  findings: FindingsTable;
  sketches: SketchesTable;
  report_cells: ReportCellsTable;
  cell_layouts: CellLayoutsTable;
  cell_agg: CellAggTable;
  report_agg: ReportAggTable;
  rule_agg: RuleAggTable;
  cell_top: CellTopTable;
  rule_top: RuleTopTable;
}
