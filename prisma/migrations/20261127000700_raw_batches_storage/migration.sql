-- raw_batches.body is already gzip: let TOAST store it out of line without trying to compress it
-- again (pglz spent CPU on every batch for nothing).
ALTER TABLE raw_batches ALTER COLUMN body SET STORAGE EXTERNAL;
