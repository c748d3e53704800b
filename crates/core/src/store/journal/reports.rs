//! What the journal adds up to: codes posdesk does not know, statistics, repeat warnings, and every
//! incident in turn for exports.

use super::*;

impl Store {
    /// Codes seen in incidents that the code book does not know, most frequent first, with how often,
    /// under which schemes and on which terminals. `is_known` gets a normalised code (`code_key`) and
    /// says whether any scheme knows it, e.g. `|key| !book.find(key, None, None).is_empty()`.
    ///
    /// The distinct codes are walked by index seeks (a few dozen, however long the journal), and only
    /// unknown ones are counted, so this stays fast at a million incidents.
    pub fn unknown_codes(&self, is_known: impl Fn(&str) -> bool) -> Result<Vec<UnknownCode>> {
        let mut next_key = self.conn.prepare_cached(
            "SELECT code_key FROM incidents WHERE code_key > ?1 ORDER BY code_key LIMIT 1",
        )?;
        let mut out = Vec::new();
        let mut key = String::new();
        while let Some(k) = next_key
            .query_row([&key], |r| r.get::<_, String>(0))
            .optional()?
        {
            key = k;
            if is_known(&key) {
                continue;
            }
            let (code, count, last_at): (String, i64, String) = self.conn.query_row(
                "SELECT min(code), count(*), (SELECT occurred_at FROM incidents                  WHERE code_key = ?1 ORDER BY sort_key DESC LIMIT 1) FROM incidents WHERE code_key = ?1",
                [&key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let schemes = self
                .conn
                .prepare_cached(
                    "SELECT scheme, count(*) FROM incidents WHERE code_key = ?1 \
                     GROUP BY scheme ORDER BY count(*) DESC, scheme",
                )?
                .query_map([&key], |r| {
                    Ok((scheme_of(r.get(0)?)?, r.get::<_, i64>(1)?.max(0) as u64))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let terminals = self
                .conn
                .prepare_cached(
                    "SELECT terminal, count(*) FROM incidents WHERE code_key = ?1 \
                     GROUP BY terminal ORDER BY count(*) DESC, terminal",
                )?
                .query_map([&key], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64))
                })?
                .collect::<rusqlite::Result<_>>()?;
            out.push(UnknownCode {
                code,
                code_key: key.clone(),
                schemes,
                count: count.max(0) as u64,
                last_at: ts(&last_at, "occurred_at")?,
                terminals,
            });
        }
        out.sort_by(|a, b| b.count.cmp(&a.count).then(b.last_at.cmp(&a.last_at)));
        Ok(out)
    }

    /// Incidents per code and per terminal over the last `days` days (7, 30, 90 in the view), and the
    /// median time from occurring to resolved among those resolved.
    pub fn journal_stats(&self, days: u32) -> Result<JournalStats> {
        let since = self
            .clock()
            .now()
            .checked_sub(SignedDuration::from_hours(24 * i64::from(days)))
            .unwrap_or(Timestamp::MIN)
            .as_microsecond();
        let counts = |sql: &str| -> Result<Vec<CountRow>> {
            Ok(self
                .conn
                .prepare_cached(sql)?
                .query_map([since], |r| {
                    Ok(CountRow {
                        key: r.get(0)?,
                        count: r.get::<_, i64>(1)?.max(0) as u64,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?)
        };
        let per_code = counts(
            "SELECT min(code), count(*) FROM incidents WHERE sort_key >= ?1 GROUP BY code_key \
             ORDER BY count(*) DESC, min(code)",
        )?;
        let per_terminal = counts(
            "SELECT terminal, count(*) FROM incidents WHERE sort_key >= ?1 GROUP BY terminal \
             ORDER BY count(*) DESC, terminal",
        )?;
        let total = per_code.iter().map(|r| r.count).sum();
        let mut stmt = self.conn.prepare_cached(
            "SELECT occurred_at, resolved_at FROM incidents WHERE status = 'resolved' AND sort_key >= ?1",
        )?;
        let mut took: Vec<SignedDuration> = stmt
            .query_map([since], |r| {
                let at = ts(&r.get::<_, String>(0)?, "occurred_at")?;
                let done = ts(&r.get::<_, String>(1)?, "resolved_at")?;
                Ok(done.duration_since(at))
            })?
            .collect::<rusqlite::Result<_>>()?;
        took.sort();
        let median = match took.len() {
            0 => None,
            n if n % 2 == 1 => Some(took[n / 2]),
            n => Some((took[n / 2 - 1] + took[n / 2]) / 2),
        };
        Ok(JournalStats {
            days,
            total,
            per_code,
            per_terminal,
            median_time_to_resolve: median,
            resolved: took.len() as u64,
        })
    }

    /// Where `rule` holds now: the same code on the same terminal often enough in its window. `only`
    /// narrows to one (code, terminal), for the banner on a code's card; None checks them all.
    ///
    /// `counts(code, scheme)` says whether an incident with that code counts at all: only codes that
    /// point at the terminal, its line or the provider say "the terminal may need service" when they
    /// repeat (three customers short of funds on one till do not). The codebook decides
    /// (`Codebook::points_at_equipment`); the store knows no code's meaning. It is asked once per code
    /// and scheme.
    pub fn repeats(
        &self,
        rule: &RepeatRule,
        only: Option<(&str, &str)>,
        counts: impl Fn(&str, Option<Scheme>) -> bool,
    ) -> Result<Vec<RepeatAlert>> {
        let now = self.clock().now();
        let since = now
            .checked_sub(rule.window)
            .unwrap_or(Timestamp::MIN)
            .as_microsecond();
        let mut values: Vec<Value> = vec![Value::Integer(since)];
        let mut sql = "SELECT code_key, code, terminal, occurred_at, scheme FROM incidents \
                       WHERE sort_key >= ? AND code_key IS NOT NULL AND terminal IS NOT NULL"
            .to_string();
        if let Some((code, terminal)) = only {
            sql.push_str(" AND code_key = ? AND terminal = ?");
            values.push(Value::Text(normalize_code(code)));
            values.push(Value::Text(terminal.trim().to_string()));
        }
        let mut groups: HashMap<(String, String), (String, Vec<Timestamp>)> = HashMap::new();
        let mut counted: HashMap<(String, Option<Scheme>), bool> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(values))?;
        while let Some(r) = rows.next()? {
            let code_key: String = r.get(0)?;
            let scheme = scheme_of(r.get(4)?)?;
            let code: String = r.get(1)?;
            let counts = *counted
                .entry((code_key, scheme))
                .or_insert_with(|| counts(&code, scheme));
            if !counts {
                continue;
            }
            let at = ts(&r.get::<_, String>(3)?, "occurred_at")?;
            let entry = groups
                .entry((r.get(0)?, r.get(2)?))
                .or_insert_with(|| (String::new(), Vec::new()));
            if entry.0.is_empty() {
                entry.0 = r.get(1)?;
            }
            entry.1.push(at);
        }
        let mut out: Vec<RepeatAlert> = groups
            .into_iter()
            .filter_map(|((code_key, terminal), (code, times))| {
                rule.check(&times, now).map(|hit| RepeatAlert {
                    code,
                    code_key,
                    terminal,
                    hit,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.hit
                .count
                .cmp(&a.hit.count)
                .then(b.hit.last.cmp(&a.hit.last))
                .then(a.terminal.cmp(&b.terminal))
        });
        Ok(out)
    }

    /// Every incident, whole, oldest id first, one at a time (for export: the journal is never held in
    /// memory at once). Stops at the first error `f` returns.
    pub fn for_each_incident<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Incident) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E> {
        let inner = || -> Result<_> {
            let incidents = self.conn.prepare(&format!(
                "SELECT {INCIDENT_COLUMNS} FROM incidents ORDER BY id"
            ))?;
            let steps = self.conn.prepare(
                "SELECT incident_id, text, outcome FROM incident_steps ORDER BY incident_id, position",
            )?;
            let notes = self.conn.prepare(
                "SELECT incident_id, id, at, text FROM incident_notes ORDER BY incident_id, at, id",
            )?;
            let atts = self.conn.prepare(
                "SELECT incident_id, id, file_name, sha256, size, added_at FROM attachments \
                 ORDER BY incident_id, id",
            )?;
            Ok((incidents, steps, notes, atts))
        };
        let (mut incidents, mut steps, mut notes, mut atts) = inner()?;
        let step_rows = steps
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, step_from_row_at(r, 1)?)))
            .map_err(StoreError::from)?;
        let note_rows = notes
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, note_from_row_at(r)?)))
            .map_err(StoreError::from)?;
        let att_rows = atts
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, attachment_from_row_at(r)?))
            })
            .map_err(StoreError::from)?;
        let mut step_rows = step_rows.peekable();
        let mut note_rows = note_rows.peekable();
        let mut att_rows = att_rows.peekable();
        let mut rows = incidents
            .query_map([], incident_from_row)
            .map_err(StoreError::from)?;
        let mut n = 0;
        for inc in rows.by_ref() {
            let mut inc = inc.map_err(StoreError::from)?;
            inc.steps = take_for(&mut step_rows, inc.id)?;
            inc.notes = take_for(&mut note_rows, inc.id)?;
            inc.attachments = take_for(&mut att_rows, inc.id)?;
            f(inc)?;
            n += 1;
        }
        Ok(n)
    }
}
