-- Views for dashboards (Grafana, Metabase, DataEase) and a read-only role that sees only them.
--
-- Rows a till sent for a parent it does not own never show: every join matches the store too.

CREATE VIEW posdesk.v_incidents AS
SELECT s.code AS store,
       i.id,
       i.occurred_at AS at,
       i.code,
       i.scheme,
       i.terminal_name AS terminal,
       i.status,
       -- as `posdesk incident list`: the symptom, or when that is empty the first timeline note
       COALESCE(NULLIF(i.symptom, ''),
                (SELECT n.text FROM posdesk.incident_note n
                 WHERE n.incident_id = i.id AND n.store_id = i.store_id AND n.deleted_at IS NULL
                 ORDER BY n.at, n.id LIMIT 1), '') AS note,
       s.name AS store_name,
       i.code_key,
       i.symptom,
       i.amount_minor,
       i.who,
       i.resolution,
       i.resolved_at,
       i.created_at,
       i.updated_at,
       i.store_id
FROM posdesk.incident i
JOIN posdesk.store s ON s.id = i.store_id;

CREATE VIEW posdesk.v_open_incidents AS
SELECT v.*, now() - v.at AS open_for
FROM posdesk.v_incidents v
WHERE v.status <> 'resolved';

-- Overdue maintenance as of the store's own day: `due` is the first occurrence not done or skipped, as
-- the till computed it at its last sync (it only changes when the till records something, so the view
-- stays right while a store is offline); `missed` is the till's count at that sync.
CREATE VIEW posdesk.v_overdue_maintenance AS
SELECT s.code AS store,
       t.name AS terminal,
       COALESCE(NULLIF(sc.task_title_en, ''), sc.task_key) AS task,
       sc.next_due_on AS due,
       sc.missed,
       COALESCE(NULLIF(sc.task_title_zh, ''), sc.task_key) AS task_zh,
       sc.task_key,
       (now() AT TIME ZONE s.tz)::date - sc.next_due_on AS days_overdue,
       s.name AS store_name,
       (SELECT max(d.last_seen_at) FROM posdesk.device d WHERE d.store_id = s.id) AS store_last_seen,
       sc.store_id,
       sc.terminal_id,
       sc.id AS schedule_id
FROM posdesk.schedule sc
JOIN posdesk.terminal t ON t.id = sc.terminal_id AND t.store_id = sc.store_id
                        AND t.archived_at IS NULL AND t.deleted_at IS NULL
JOIN posdesk.store s ON s.id = sc.store_id
WHERE sc.removed_at IS NULL
  AND sc.deleted_at IS NULL
  AND sc.next_due_on < (now() AT TIME ZONE s.tz)::date
  AND (sc.snoozed_until IS NULL OR sc.snoozed_until < (now() AT TIME ZONE s.tz)::date);

-- One row per till: when it last pushed, how wrong its clock is, what still waits there.
-- clock_wrong: more than 5 minutes off head office at the last push, or incidents whose id was minted
-- before 2000 or over a day after head office received them (a clock in 1970, or years ahead). Such ids
-- fall outside the monthly partitions, so only the DEFAULT partition is looked at.
CREATE VIEW posdesk.v_device_health AS
SELECT s.code AS store,
       d.id AS device,
       d.name,
       d.last_seen_at,
       d.last_skew_ms AS skew_ms,
       (abs(COALESCE(d.last_skew_ms, 0)) > 300000 OR COALESCE(dflt.n, 0) > 0) AS clock_wrong,
       COALESCE(dflt.n, 0) AS incidents_with_wrong_time,
       d.pending_reported AS pending,
       d.epoch,
       d.epoch_changes,
       d.acked_seq,
       d.batches,
       d.events_applied,
       d.events_rejected,
       d.app_version,
       d.schema_version,
       d.revoked_at,
       d.enrolled_at,
       d.store_id
FROM posdesk.device d
JOIN posdesk.store s ON s.id = d.store_id
LEFT JOIN (SELECT device_id, count(*) AS n FROM posdesk.incident_default
           WHERE posdesk.uuid7_time(id) < '2000-01-01' OR posdesk.uuid7_time(id) > updated_at + interval '1 day'
           GROUP BY device_id) dflt
       ON dflt.device_id = d.id;

-- Incidents per store, code and day (the store's own day), with the median time to resolve.
CREATE VIEW posdesk.v_incidents_daily AS
SELECT s.code AS store,
       i.code_key AS code,
       (i.occurred_at AT TIME ZONE s.tz)::date AS day,
       count(*) AS incidents,
       count(*) FILTER (WHERE i.status <> 'resolved') AS still_open,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.resolved_at - i.occurred_at))
           FILTER (WHERE i.resolved_at IS NOT NULL) AS median_seconds_to_resolve
FROM posdesk.incident i
JOIN posdesk.store s ON s.id = i.store_id
GROUP BY s.code, i.code_key, (i.occurred_at AT TIME ZONE s.tz)::date;
