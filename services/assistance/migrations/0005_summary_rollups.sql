-- The summary at county scale by design (make bench: ≤ 200 ms over 1,000,000 payments): two
-- roll-ups that SummaryStore::Figures reads instead of the rows they sum. Statement-level
-- triggers keep them in the transaction that writes those rows, whoever writes them (a monthly
-- run, an adjustment, datagen's COPY, an import), at one aggregate per statement rather than a
-- cost per row; this migration backfills them from the rows already there.

-- Money paid: payments summed per batch (NULL for payments outside a batch: adjustments,
-- imports), month, programme, area and region code (village or community, the finest level a
-- region prefix can name, so a prefix of any length filters it exactly).
CREATE TABLE payment_totals (
  batch_id uuid,
  month date NOT NULL,
  programme text NOT NULL,
  area text NOT NULL,
  region_code text NOT NULL,
  payments bigint NOT NULL,
  amount_fen bigint NOT NULL,
  CONSTRAINT payment_totals_key UNIQUE NULLS NOT DISTINCT
    (batch_id, month, programme, area, region_code)
);

-- Adds `delta` (payments and amounts with a sign, several rows per key allowed) to the totals,
-- keys in order so that concurrent writers lock them in the same order.
CREATE FUNCTION payment_totals_shift(delta payment_totals[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO payment_totals AS t
  SELECT batch_id, month, programme, area, region_code, sum(payments)::bigint,
         sum(amount_fen)::bigint
  FROM unnest(delta) GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ON CONSTRAINT payment_totals_key DO UPDATE
    SET payments = t.payments + excluded.payments, amount_fen = t.amount_fen + excluded.amount_fen
$$;

CREATE FUNCTION payment_totals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM payment_totals_shift(ARRAY(
    SELECT ROW(batch_id, month, programme, area, region_code, count(*),
               sum(amount_fen)::bigint)::payment_totals
    FROM added GROUP BY batch_id, month, programme, area, region_code));
  RETURN NULL;
END $$;

CREATE FUNCTION payment_totals_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM payment_totals_shift(ARRAY(
    SELECT ROW(batch_id, month, programme, area, region_code, sum(n)::bigint,
               sum(fen)::bigint)::payment_totals
    FROM (SELECT batch_id, month, programme, area, region_code, 1 AS n, amount_fen AS fen
          FROM added
          UNION ALL
          SELECT batch_id, month, programme, area, region_code, -1, -amount_fen FROM removed) d
    GROUP BY batch_id, month, programme, area, region_code));
  RETURN NULL;
END $$;

CREATE FUNCTION payment_totals_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM payment_totals_shift(ARRAY(
    SELECT ROW(batch_id, month, programme, area, region_code, -count(*),
               -sum(amount_fen)::bigint)::payment_totals
    FROM removed GROUP BY batch_id, month, programme, area, region_code));
  RETURN NULL;
END $$;

CREATE FUNCTION payment_totals_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM payment_totals;
  RETURN NULL;
END $$;

CREATE TRIGGER payment_totals_insert AFTER INSERT ON payments REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION payment_totals_inserted();
CREATE TRIGGER payment_totals_update AFTER UPDATE ON payments
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION payment_totals_updated();
CREATE TRIGGER payment_totals_delete AFTER DELETE ON payments REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION payment_totals_deleted();
CREATE TRIGGER payment_totals_truncate AFTER TRUNCATE ON payments
  FOR EACH STATEMENT EXECUTE FUNCTION payment_totals_truncated();

INSERT INTO payment_totals
SELECT batch_id, month, programme, area, region_code, count(*), sum(amount_fen)
FROM payments GROUP BY 1, 2, 3, 4, 5;

-- Caseload: per programme, area, region code and month, how many households and persons become
-- active (+) or stop being active (−) from that month on, and how many enrolments start in it.
-- Active in month M = the sum of the changes of the months up to M; new enrolments in a period =
-- the sum of `enrolments_started` of its months. A household is active in a month when any member
-- of its enrolment is (start_month ≤ M, end_month NULL or ≥ M), as the summary has always counted.
CREATE TABLE caseload_changes (
  programme text NOT NULL,
  area text NOT NULL,
  region_code text NOT NULL,
  month date NOT NULL,
  households bigint NOT NULL DEFAULT 0,
  persons bigint NOT NULL DEFAULT 0,
  enrolments_started bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (programme, area, region_code, month)
);

-- One enrolled member with the grouping of its enrolment.
CREATE TYPE caseload_member AS (
  enrolment_id uuid,
  programme text,
  area text,
  region_code text,
  start_month date,
  end_month date
);

-- The changes `members` make: a person counts from the first month-start on or after
-- start_month to the last one on or before end_month; a household while any of its members
-- counts (a running count of members per enrolment, a change whenever it leaves or reaches 0).
CREATE FUNCTION caseload_deltas(members caseload_member[])
RETURNS TABLE (programme text, area text, region_code text, month date, households bigint,
               persons bigint)
LANGUAGE sql STABLE AS $$
  WITH m AS (
    SELECT u.enrolment_id, u.programme, u.area, u.region_code, u.end_month,
           CASE WHEN extract(day FROM u.start_month) = 1 THEN u.start_month
                ELSE (date_trunc('month', u.start_month) + interval '1 month')::date END AS first
    FROM unnest(members) u
  ), events AS (
    SELECT enrolment_id, programme, area, region_code, month, sum(d) AS d
    FROM (SELECT enrolment_id, programme, area, region_code, first AS month, 1 AS d FROM m
          UNION ALL
          SELECT enrolment_id, programme, area, region_code,
                 greatest((date_trunc('month', end_month) + interval '1 month')::date, first), -1
          FROM m WHERE end_month IS NOT NULL) e
    GROUP BY 1, 2, 3, 4, 5
  ), running AS (
    SELECT *, (sum(d) OVER w > 0)::int AS active
    FROM events WINDOW w AS (PARTITION BY enrolment_id, programme, area, region_code ORDER BY month)
  ), changes AS (
    SELECT programme, area, region_code, month, d,
           active - coalesce(lag(active) OVER (PARTITION BY enrolment_id, programme, area,
                                                            region_code ORDER BY month), 0) AS h
    FROM running
  )
  SELECT programme, area, region_code, month, sum(h)::bigint, sum(d)::bigint
  FROM changes GROUP BY 1, 2, 3, 4
$$;

-- Replaces the contribution of `before` by that of `after` (the same enrolments' members before
-- and after a statement), keys in order.
CREATE FUNCTION caseload_shift(before caseload_member[], after caseload_member[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO caseload_changes AS c (programme, area, region_code, month, households, persons)
  SELECT programme, area, region_code, month, sum(households)::bigint, sum(persons)::bigint
  FROM (SELECT * FROM caseload_deltas(after)
        UNION ALL
        SELECT programme, area, region_code, month, -households, -persons
        FROM caseload_deltas(before)) d
  GROUP BY 1, 2, 3, 4 HAVING sum(households) <> 0 OR sum(persons) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (programme, area, region_code, month) DO UPDATE
    SET households = c.households + excluded.households, persons = c.persons + excluded.persons
$$;

-- Members written: the enrolments they belong to, before (their current members but the rows
-- written, plus the rows as they were) and after (their current members). A household's change
-- depends on all its members, so the enrolments are locked first (as EnrolmentStore locks one
-- before an exit): two transactions writing members of one enrolment then take turns, the
-- second seeing what the first committed.
CREATE FUNCTION caseload_members_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM enrolments WHERE enrolment_id IN (SELECT enrolment_id FROM added)
    ORDER BY enrolment_id FOR NO KEY UPDATE;
  PERFORM caseload_shift(
    ARRAY(SELECT ROW(e.enrolment_id, e.programme, e.area, e.region_code, m.start_month,
                     m.end_month)::caseload_member
          FROM enrolment_members m JOIN enrolments e USING (enrolment_id)
          WHERE m.enrolment_id IN (SELECT enrolment_id FROM added)
            AND NOT EXISTS (SELECT 1 FROM added a
                            WHERE a.enrolment_id = m.enrolment_id AND a.member_id = m.member_id)),
    ARRAY(SELECT ROW(e.enrolment_id, e.programme, e.area, e.region_code, m.start_month,
                     m.end_month)::caseload_member
          FROM enrolment_members m JOIN enrolments e USING (enrolment_id)
          WHERE m.enrolment_id IN (SELECT enrolment_id FROM added)));
  RETURN NULL;
END $$;

CREATE FUNCTION caseload_members_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM enrolments
    WHERE enrolment_id IN (SELECT enrolment_id FROM added UNION SELECT enrolment_id FROM removed)
    ORDER BY enrolment_id FOR NO KEY UPDATE;
  PERFORM caseload_shift(
    ARRAY(SELECT ROW(e.enrolment_id, e.programme, e.area, e.region_code, m.start_month,
                     m.end_month)::caseload_member
          FROM (SELECT enrolment_id, start_month, end_month FROM enrolment_members x
                WHERE x.enrolment_id IN (SELECT enrolment_id FROM added
                                         UNION SELECT enrolment_id FROM removed)
                  AND NOT EXISTS (SELECT 1 FROM added a
                                  WHERE a.enrolment_id = x.enrolment_id
                                    AND a.member_id = x.member_id)
                UNION ALL
                SELECT enrolment_id, start_month, end_month FROM removed) m
          JOIN enrolments e USING (enrolment_id)),
    ARRAY(SELECT ROW(e.enrolment_id, e.programme, e.area, e.region_code, m.start_month,
                     m.end_month)::caseload_member
          FROM enrolment_members m JOIN enrolments e USING (enrolment_id)
          WHERE m.enrolment_id IN (SELECT enrolment_id FROM added
                                   UNION SELECT enrolment_id FROM removed)));
  RETURN NULL;
END $$;

CREATE FUNCTION caseload_members_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM enrolments WHERE enrolment_id IN (SELECT enrolment_id FROM removed)
    ORDER BY enrolment_id FOR NO KEY UPDATE;
  PERFORM caseload_shift(
    ARRAY(SELECT ROW(e.enrolment_id, e.programme, e.area, e.region_code, m.start_month,
                     m.end_month)::caseload_member
          FROM (SELECT enrolment_id, start_month, end_month FROM enrolment_members x
                WHERE x.enrolment_id IN (SELECT enrolment_id FROM removed)
                UNION ALL
                SELECT enrolment_id, start_month, end_month FROM removed) m
          JOIN enrolments e USING (enrolment_id)),
    ARRAY(SELECT ROW(e.enrolment_id, e.programme, e.area, e.region_code, m.start_month,
                     m.end_month)::caseload_member
          FROM enrolment_members m JOIN enrolments e USING (enrolment_id)
          WHERE m.enrolment_id IN (SELECT enrolment_id FROM removed)));
  RETURN NULL;
END $$;

CREATE FUNCTION caseload_members_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE caseload_changes SET households = 0, persons = 0;
  RETURN NULL;
END $$;

CREATE TRIGGER caseload_members_insert AFTER INSERT ON enrolment_members
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION caseload_members_inserted();
CREATE TRIGGER caseload_members_update AFTER UPDATE ON enrolment_members
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION caseload_members_updated();
CREATE TRIGGER caseload_members_delete AFTER DELETE ON enrolment_members
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION caseload_members_deleted();
CREATE TRIGGER caseload_members_truncate AFTER TRUNCATE ON enrolment_members
  FOR EACH STATEMENT EXECUTE FUNCTION caseload_members_truncated();

-- Adds n[i] started enrolments to key (programmes[i], areas[i], regions[i], months[i]), keys in
-- order (several entries per key allowed).
CREATE FUNCTION caseload_started_shift(programmes text[], areas text[], regions text[],
                                       months date[], n bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO caseload_changes AS c (programme, area, region_code, month, enrolments_started)
  SELECT p, a, r, m, sum(k)::bigint
  FROM unnest(programmes, areas, regions, months, n) AS u (p, a, r, m, k)
  GROUP BY 1, 2, 3, 4 HAVING sum(k) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (programme, area, region_code, month) DO UPDATE
    SET enrolments_started = c.enrolments_started + excluded.enrolments_started
$$;

CREATE FUNCTION caseload_enrolments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM caseload_started_shift(array_agg(programme), array_agg(area), array_agg(region_code),
                                 array_agg(start_month), array_agg(1::bigint))
  FROM added;
  RETURN NULL;
END $$;

-- Nothing to do unless an enrolment's grouping or start changed (a status, an end month or a
-- review date is the usual update): then its start and its members move to the new key.
CREATE FUNCTION caseload_enrolments_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM added a JOIN removed r USING (enrolment_id)
                 WHERE (a.programme, a.area, a.region_code, a.start_month)
                       IS DISTINCT FROM (r.programme, r.area, r.region_code, r.start_month)) THEN
    RETURN NULL;
  END IF;
  PERFORM caseload_started_shift(array_agg(programme), array_agg(area), array_agg(region_code),
                                 array_agg(start_month), array_agg(n))
  FROM (SELECT programme, area, region_code, start_month, 1::bigint AS n FROM added
        UNION ALL
        SELECT programme, area, region_code, start_month, -1 FROM removed) d;
  PERFORM caseload_shift(
    ARRAY(SELECT ROW(r.enrolment_id, r.programme, r.area, r.region_code, m.start_month,
                     m.end_month)::caseload_member
          FROM removed r JOIN enrolment_members m USING (enrolment_id)),
    ARRAY(SELECT ROW(a.enrolment_id, a.programme, a.area, a.region_code, m.start_month,
                     m.end_month)::caseload_member
          FROM added a JOIN enrolment_members m USING (enrolment_id)));
  RETURN NULL;
END $$;

CREATE FUNCTION caseload_enrolments_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM caseload_started_shift(array_agg(programme), array_agg(area), array_agg(region_code),
                                 array_agg(start_month), array_agg(-1::bigint))
  FROM removed;
  RETURN NULL;
END $$;

CREATE FUNCTION caseload_enrolments_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM caseload_changes;
  RETURN NULL;
END $$;

CREATE TRIGGER caseload_enrolments_insert AFTER INSERT ON enrolments
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION caseload_enrolments_inserted();
CREATE TRIGGER caseload_enrolments_update AFTER UPDATE ON enrolments
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION caseload_enrolments_updated();
CREATE TRIGGER caseload_enrolments_delete AFTER DELETE ON enrolments
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION caseload_enrolments_deleted();
CREATE TRIGGER caseload_enrolments_truncate AFTER TRUNCATE ON enrolments
  FOR EACH STATEMENT EXECUTE FUNCTION caseload_enrolments_truncated();

-- Backfill, through the same functions the triggers use.
SELECT caseload_started_shift(array_agg(programme), array_agg(area), array_agg(region_code),
                              array_agg(start_month), array_agg(1::bigint))
FROM enrolments;
SELECT caseload_shift(
  '{}',
  ARRAY(SELECT ROW(e.enrolment_id, e.programme, e.area, e.region_code, m.start_month,
                   m.end_month)::caseload_member
        FROM enrolment_members m JOIN enrolments e USING (enrolment_id)));

-- Fewer indexes to maintain per payment: (programme, month) served the summary's payment scan,
-- which payment_totals replaces; nothing else reads payments by programme and month.
DROP INDEX payments_month;
