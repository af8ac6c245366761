/**
 * Versioned migrations, run in order by kysely's Migrator and recorded in its own table. Never
 * edit a released migration: add the next one.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from './db.ts';

export function migrations(engine: Engine): Record<string, Migration> {
  const pk = engine === 'postgres' ? 'serial' : 'integer';
  const real = engine === 'postgres' ? 'double precision' : 'real';
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('documents')
          .addColumn('id', pk, (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('format', 'text')
          .addColumn('bytes', 'bigint', (c) => c.notNull())
          .addColumn('ingested_at', 'text', (c) => c.notNull())
          .addColumn('error_code', 'text')
          .addColumn('error', 'text')
          .execute();
        await db.schema.createTable('sources')
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
          .addColumn('seen_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('sources_pk', ['path', 'document_id'])
          .execute();
        await db.schema.createTable('reports')
          .addColumn('id', pk, (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('document_id', 'integer', (c) => c.notNull().unique().references('documents.id'))
          .addColumn('agency_key', 'text', (c) => c.notNull())
          .addColumn('agency', 'text')
          .addColumn('region', 'text')
          .addColumn('level', 'text')
          .addColumn('body_kind', 'text')
          .addColumn('year', 'integer')
          .addColumn('edition', 'text')
          .addColumn('published_on', 'text')
          .addColumn('title', 'text')
          .addColumn('current', 'integer', (c) => c.notNull())
          .addColumn('repetition', real)
          .addColumn('corpus_checked_at', 'text')
          .execute();
        await db.schema.createIndex('reports_unchecked').on('reports').column('corpus_checked_at').execute();
        await db.schema.createIndex('reports_body_year').on('reports').columns(['agency_key', 'year']).execute();
        await db.schema.createIndex('reports_year_region').on('reports').columns(['year', 'region']).execute();
        await db.schema.createTable('cells')
          .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('value', 'text')
          .addColumn('num', real)
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('shown', 'text', (c) => c.notNull())
          .addColumn('position', 'text')
          .addPrimaryKeyConstraint('cells_pk', ['report_id', 'key'])
          // SQLite: the primary key is the table (no second copy of every key in an index)
          .$call((t) => (engine === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
          .execute();
        await db.schema.createTable('sections')
          .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('sections_pk', ['report_id', 'number'])
          .execute();
        await db.schema.createTable('findings')
          .addColumn('id', pk, (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('message_en', 'text')
          .addColumn('keys', 'text', (c) => c.notNull())
          .addColumn('position', 'text')
          .addColumn('scope', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('findings_report').on('findings').columns(['report_id', 'scope']).execute();
        await db.schema.createIndex('findings_rule').on('findings').column('rule_id').execute();
        await db.schema.createTable('sketches')
          .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
          .addColumn('band', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        // a bucket's members in report order straight from the index (buckets reach thousands)
        await db.schema.createIndex('sketches_bucket').on('sketches').columns(['band', 'hash', 'report_id']).execute();
        await db.schema.createIndex('sketches_report').on('sketches').column('report_id').execute();
        await db.schema.createTable('cell_agg')
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('total', real, (c) => c.notNull())
          .addColumn('present', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('cell_agg_pk', ['year', 'region', 'level', 'key'])
          .execute();
        await db.schema.createTable('report_agg')
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('reports', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('report_agg_pk', ['year', 'region', 'level'])
          .execute();
      },
    },
    '0002-web': {
      async up(db: Kysely<unknown>) {
        const id = (c: ColumnDefinitionBuilder) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
        // the bytes a user uploaded through the web app, kept as given (the review page shows them)
        await db.schema.createTable('originals')
          .addColumn('document_id', 'integer', (c) => c.primaryKey().references('documents.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('data', engine === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
          .execute();
        // a reviewer's choice for a cell of a document's reading; the reading itself is never changed
        await db.schema.createTable('corrections')
          .addColumn('id', pk, id)
          .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('from_value', 'text')
          .addColumn('to_value', 'text')
          .addColumn('who', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .execute();
        await db.schema.createIndex('corrections_document').on('corrections').columns(['document_id', 'id']).execute();
        // confirm or dismiss a finding; keyed by body, year, rule and cells so it outlives re-reading
        await db.schema.createTable('reviews')
          .addColumn('id', pk, id)
          .addColumn('agency_key', 'text', (c) => c.notNull())
          .addColumn('year', 'integer')
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('keys', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('comment', 'text')
          .addColumn('who', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('reviews_body').on('reviews').columns(['agency_key', 'year', 'id']).execute();
        await db.schema.createTable('users')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('password', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createTable('web_sessions')
          .addColumn('sid', 'text', (c) => c.primaryKey())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('expires', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createTable('audit')
          .addColumn('id', pk, id)
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('who', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('detail', 'text')
          .execute();
        // the dashboard's charts read a few dozen cells of every group: straight from an index
        await db.schema.createIndex('cell_agg_key').on('cell_agg').columns(['key', 'year', 'region', 'level', 'total', 'present']).execute();
      },
    },
  };
}
