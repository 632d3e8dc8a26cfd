-- A call names at most 100 accounts of at most 20 digits: 100 * 21 characters must fit whole.
ALTER TABLE audit_events ALTER COLUMN accounts SET DATA TYPE VARCHAR(4096);
