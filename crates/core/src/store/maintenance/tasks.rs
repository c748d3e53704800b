//! Each terminal's tasks: their state, adding and removing them, their plans, and what was done,
//! skipped or snoozed (with Undo), and the history of it.

use super::*;

impl Store {
    /// Each task on a terminal with where it stands on `today`, in pack order.
    pub fn terminal_tasks(&self, terminal: TerminalId, today: Date) -> Result<Vec<TaskStatus>> {
        let templates = templates_by_key(&self.conn)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SCHEDULE_COLUMNS} FROM schedules s WHERE s.terminal_id = ?1 AND s.removed_at IS NULL"
        ))?;
        let rows: Vec<ScheduleRow> = stmt
            .query_map([terminal.0], schedule_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut progress = progress_map(&self.conn, &rows, None)?;
        let mut out = Vec::new();
        for row in rows {
            let Some(t) = templates.get(&row.task_key) else {
                continue;
            };
            let p = progress.remove(&row.id).unwrap_or_default();
            out.push((t.position, self.task_status(&row, &t.template, &p, today)?));
        }
        out.sort_by_key(|(position, _)| *position);
        Ok(out.into_iter().map(|(_, s)| s).collect())
    }

    /// One scheduled task with where it stands on `today` (`None` if there is no such schedule).
    pub fn schedule_status(&self, id: ScheduleId, today: Date) -> Result<Option<TaskStatus>> {
        let Some(row) = load_schedule(&self.conn, id)? else {
            return Ok(None);
        };
        let Some(t) = templates_by_key(&self.conn)?.remove(&row.task_key) else {
            return Ok(None);
        };
        let p = progress_of(&self.conn, &row)?;
        Ok(Some(self.task_status(&row, &t.template, &p, today)?))
    }

    pub(super) fn task_status(
        &self,
        row: &ScheduleRow,
        template: &TaskTemplate,
        progress: &Progress,
        today: Date,
    ) -> Result<TaskStatus> {
        let last_done_on = self.conn.query_row(
            "SELECT MAX(on_date) FROM maintenance_events WHERE schedule_id = ?1 AND kind = 'done'",
            [row.id.0],
            |r| opt_date_at(r, 0, "on_date"),
        )?;
        Ok(TaskStatus {
            schedule: row.id,
            terminal: row.terminal,
            task: template.clone(),
            plan: row.plan,
            status: schedule::status(&row.plan, progress, today),
            last_done_on,
        })
    }

    /// The schedule of a task on a terminal, if the terminal has that task.
    pub fn schedule_of(&self, terminal: TerminalId, task_key: &str) -> Result<Option<ScheduleId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM schedules WHERE terminal_id = ?1 AND task_key = ?2 AND removed_at IS NULL",
                params![terminal.0, task_key.trim()],
                |r| r.get(0),
            )
            .optional()?
            .map(ScheduleId))
    }

    /// Add a task to a terminal, with the template's plan from today unless `plan` is given.
    pub fn add_task(
        &mut self,
        terminal: TerminalId,
        task_key: &str,
        plan: Option<Plan>,
    ) -> Result<ScheduleId> {
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = load_terminal(&tx, terminal)?.ok_or(MaintenanceStoreError::NoTerminal)?;
        let template = templates_by_key(&tx)?
            .remove(task_key.trim())
            .filter(|t| !t.retired)
            .ok_or_else(|| MaintenanceStoreError::NoTask(task_key.trim().to_string()))?
            .template;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schedules WHERE terminal_id = ?1 AND task_key = ?2 AND removed_at IS NULL)",
            params![terminal.0, template.key],
            |r| r.get(0),
        )?;
        if exists {
            return Err(MaintenanceStoreError::TaskExists {
                terminal: t.info.name,
                task: template.key,
            }
            .into());
        }
        let plan = plan.unwrap_or(Plan {
            recurrence: template.recurrence,
            interval: template.interval,
            start: today,
        });
        let id = insert_schedule(&tx, terminal, &template.key, &plan, &now)?;
        rebuild_watermark(&tx, id)?;
        mark_schedule(&tx, &self.clock, id)?;
        tx.commit()?;
        Ok(id)
    }

    /// Take a task off its terminal. Its history stays; adding it again starts a new schedule.
    pub fn remove_task(&mut self, id: ScheduleId) -> Result<()> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE schedules SET removed_at = ?1 WHERE id = ?2 AND removed_at IS NULL",
            params![now, id.0],
        )?;
        if changed == 0 {
            return Err(MaintenanceStoreError::NoSchedule.into());
        }
        mark_schedule(&tx, &self.clock, id)?;
        tx.commit()?;
        Ok(())
    }

    /// Change how a task runs on its terminal. Calendar occurrences restart from `plan.start`; work
    /// already recorded on a date that is still an occurrence keeps counting.
    pub fn change_plan(&mut self, id: ScheduleId, plan: Plan) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE schedules SET recurrence = ?1, every = ?2, unit = ?3, start_on = ?4 \
             WHERE id = ?5 AND removed_at IS NULL",
            params![
                plan.recurrence.id(),
                plan.interval.every(),
                plan.interval.unit().id(),
                plan.start.to_string(),
                id.0
            ],
        )?;
        if changed == 0 {
            return Err(MaintenanceStoreError::NoSchedule.into());
        }
        rebuild_watermark(&tx, id)?;
        mark_schedule(&tx, &self.clock, id)?;
        tx.commit()?;
        Ok(())
    }

    // ---- doing the work ---------------------------------------------------------------------------

    /// Mark done every open occurrence up to `through` (a board item's `through`: a task missed three
    /// times is done once). With nothing open up to `through` it changes nothing. A firmware version
    /// becomes the terminal's firmware in the same transaction; the name is remembered for next time.
    pub fn mark_done(
        &mut self,
        schedule: ScheduleId,
        through: Date,
        entry: &DoneEntry,
    ) -> Result<Marked> {
        self.record(schedule, Work::Done(entry), |tx, t| {
            let progress = progress_of(tx, &t.row)?;
            Ok(schedule::open_through(&t.row.plan, &progress, through))
        })
    }

    /// Mark done exactly the occurrence on `day`: what a scanned sheet line does. A line scanned twice
    /// changes nothing the second time; older open occurrences stay open (their boxes were not
    /// ticked). A calendar date that is not one of the task's dates is `NotAnOccurrence` (the plan
    /// changed since the sheet was printed).
    pub fn mark_done_occurrence(
        &mut self,
        schedule: ScheduleId,
        day: Date,
        entry: &DoneEntry,
    ) -> Result<Marked> {
        self.record(schedule, Work::Done(entry), |tx, t| {
            let plan = t.row.plan;
            if plan.recurrence == Recurrence::Calendar
                && !schedule::is_occurrence(plan.start, plan.interval, day)
            {
                return Err(MaintenanceStoreError::NotAnOccurrence(day).into());
            }
            let progress = progress_of(tx, &t.row)?;
            if schedule::is_resolved(&plan, &progress, day)
                || occurrence_recorded(tx, schedule, day)?
            {
                return Ok(None);
            }
            let first = match plan.recurrence {
                Recurrence::Calendar => day,
                Recurrence::AfterDone => schedule::first_open(&plan, &progress).unwrap_or(day),
            };
            Ok(Some((first, day, 1)))
        })
    }

    /// Skip every open occurrence up to `through`, with a reason (required). Nothing open: no change.
    pub fn skip(
        &mut self,
        schedule: ScheduleId,
        through: Date,
        on: Date,
        reason: &str,
        by: &str,
    ) -> Result<Marked> {
        self.record(schedule, Work::Skip { on, reason, by }, |tx, t| {
            let progress = progress_of(tx, &t.row)?;
            Ok(schedule::open_through(&t.row.plan, &progress, through))
        })
    }

    /// The one way a done or a skip is recorded: check and guard the texts, take the write lock, find
    /// the schedule, let `span` pick the occurrences it resolves (first, last, how many; `None`:
    /// nothing to do, no change), write the event and commit.
    fn record(
        &mut self,
        schedule: ScheduleId,
        work: Work<'_>,
        span: impl FnOnce(&Transaction<'_>, &Target) -> Result<Option<(Date, Date, u32)>>,
    ) -> Result<Marked> {
        let mut g = Guard::new();
        let (note, by) = match work {
            Work::Done(entry) => (checked_note(&entry.note)?, entry.by.as_str()),
            Work::Skip { reason, by, .. } => (checked_reason(reason)?, by),
        };
        let note = g.text(Field::NOTE, &note)?;
        let by = g.text(Field::SHORT, &checked_person(by)?)?;
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = target(&tx, schedule)?;
        let value = match work {
            Work::Done(entry) => checked_value(&t.template, entry.value.as_deref())?
                .map(|(kind, v)| g.text(Field::SHORT, &v).map(|v| (kind, v)))
                .transpose()?,
            Work::Skip { .. } => None,
        };
        let Some((first, through, covers)) = span(&tx, &t)? else {
            return Ok(Marked::NOTHING);
        };
        let (kind, on, outcome) = match work {
            Work::Done(entry) => (EventKind::Done, entry.done_on, Some(entry.outcome)),
            Work::Skip { on, .. } => (EventKind::Skipped, on, None),
        };
        let res = Resolution {
            kind,
            on,
            first,
            through,
            covers,
            outcome,
            by: &by,
            note: &note,
            value,
        };
        let marked = commit_resolution(tx, &self.clock, &t, res, &now)?;
        self.note_masked(g.masked());
        Ok(marked)
    }

    /// Keep a task off the board until `until` (a day after `on`), with a reason (required). Its open
    /// occurrences stay open: on `until` it is back, overdue if it was.
    pub fn snooze(
        &mut self,
        schedule: ScheduleId,
        on: Date,
        until: Date,
        reason: &str,
        by: &str,
    ) -> Result<EventId> {
        let mut g = Guard::new();
        let reason = g.text(Field::NOTE, &checked_reason(reason)?)?;
        if until <= on {
            return Err(MaintenanceError::SnoozeNotLater { on, until }.into());
        }
        let by = g.text(Field::SHORT, &checked_person(by)?)?;
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = target(&tx, schedule)?;
        let progress = progress_of(&tx, &t.row)?;
        let first = schedule::first_open(&t.row.plan, &progress).unwrap_or(on);
        tx.execute(
            "INSERT INTO maintenance_events (schedule_id, kind, on_date, first_on, through_on, covers, \
             snoozed_until, by_name, note, recorded_at) VALUES (?1, 'snoozed', ?2, ?3, ?3, 0, ?4, ?5, ?6, ?7)",
            params![
                schedule.0,
                on.to_string(),
                first.to_string(),
                until.to_string(),
                by,
                reason,
                now
            ],
        )?;
        let event = EventId(tx.last_insert_rowid());
        tx.execute(
            "UPDATE schedules SET snoozed_until = ?1 WHERE id = ?2",
            params![until.to_string(), schedule.0],
        )?;
        outbox::put(&tx, &self.clock, Entity::MaintenanceEvent, event.0)?;
        mark_schedule(&tx, &self.clock, schedule)?;
        if !by.is_empty() {
            set_meta(&tx, META_PERSON, &by)?;
        }
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(event)
    }

    /// Take back one history event (the Undo after a mark-done or a scan): its occurrences are open
    /// again, a firmware value it wrote is put back if nobody changed it since, a snooze it set ends.
    pub fn undo(&mut self, event: EventId) -> Result<()> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = tx
            .query_row(
                "SELECT e.schedule_id, e.kind, e.value_kind, e.value, e.previous_firmware, e.snoozed_until, \
                 s.terminal_id, u.previous_rolls FROM maintenance_events e \
                 JOIN schedules s ON s.id = e.schedule_id \
                 LEFT JOIN stock_undo u ON u.event_id = e.id WHERE e.id = ?1",
                [event.0],
                |r| {
                    Ok((
                        ScheduleId(r.get(0)?),
                        id_at(r, 1, "kind", EventKind::from_id)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        TerminalId(r.get(6)?),
                        r.get::<_, Option<u32>>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((
            schedule,
            kind,
            value_kind,
            value,
            previous,
            snoozed_until,
            terminal,
            rolls_before,
        )) = found
        else {
            return Err(MaintenanceStoreError::NoEvent.into());
        };
        if value_kind.as_deref() == Some(ValueKind::PaperRolls.id())
            && let (Some(value), Some(before)) = (&value, rolls_before)
        {
            crate::store::shop::rolls_undone(&tx, value, before)?;
        }
        outbox::tombstone(&tx, &self.clock, Entity::MaintenanceEvent, event.0)?;
        tx.execute("DELETE FROM maintenance_events WHERE id = ?1", [event.0])?;
        if value_kind.as_deref() == Some(ValueKind::FirmwareVersion.id())
            && let (Some(value), Some(previous)) = (value, previous)
        {
            tx.execute(
                "UPDATE terminals SET firmware = ?1, updated_at = ?2 WHERE id = ?3 AND firmware = ?4",
                params![previous, now, terminal.0, value],
            )?;
            outbox::put(&tx, &self.clock, Entity::Terminal, terminal.0)?;
        }
        if kind == EventKind::Snoozed {
            tx.execute(
                "UPDATE schedules SET snoozed_until = NULL WHERE id = ?1 AND snoozed_until = ?2",
                params![schedule.0, snoozed_until],
            )?;
        }
        rebuild_watermark(&tx, schedule)?;
        mark_schedule(&tx, &self.clock, schedule)?;
        tx.commit()?;
        Ok(())
    }

    /// The name of whoever last marked a task done, skipped or snoozed it: the form's default.
    pub fn last_person(&self) -> Result<Option<String>> {
        self.meta(META_PERSON)
    }

    /// A terminal's history, newest first, for one task (by key) or all; at most `limit` events.
    pub fn history(
        &self,
        terminal: TerminalId,
        task_key: Option<&str>,
        limit: usize,
    ) -> Result<Vec<HistoryEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.schedule_id, s.terminal_id, s.task_key, t.title_zh, t.title_en, e.kind, \
             e.on_date, e.first_on, e.through_on, e.covers, e.snoozed_until, e.outcome, e.by_name, e.note, \
             e.value_kind, e.value, e.recorded_at \
             FROM maintenance_events e JOIN schedules s ON s.id = e.schedule_id \
             JOIN task_templates t ON t.key = s.task_key \
             WHERE s.terminal_id = ?1 AND (?2 IS NULL OR s.task_key = ?2) \
             ORDER BY e.on_date DESC, e.id DESC LIMIT ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![terminal.0, task_key, limit], |r| {
            Ok(HistoryEvent {
                id: EventId(r.get(0)?),
                schedule: ScheduleId(r.get(1)?),
                terminal: TerminalId(r.get(2)?),
                task_key: r.get(3)?,
                title_zh: r.get(4)?,
                title_en: r.get(5)?,
                kind: id_at(r, 6, "kind", EventKind::from_id)?,
                on: date_at(r, 7, "on_date")?,
                first_occurrence: date_at(r, 8, "first_on")?,
                last_occurrence: date_at(r, 9, "through_on")?,
                covers: r.get(10)?,
                snoozed_until: opt_date_at(r, 11, "snoozed_until")?,
                outcome: r
                    .get::<_, Option<String>>(12)?
                    .map(|o| {
                        Outcome::from_id(&o).ok_or_else(|| conversion("outcome", format!("{o:?}")))
                    })
                    .transpose()?,
                by: r.get(13)?,
                note: r.get(14)?,
                value_kind: r
                    .get::<_, Option<String>>(15)?
                    .map(|k| {
                        ValueKind::from_id(&k)
                            .ok_or_else(|| conversion("value_kind", format!("{k:?}")))
                    })
                    .transpose()?,
                value: r.get(16)?,
                recorded_at: time_at(r, 17, "recorded_at")?,
                photos: Vec::new(),
            })
        })?;
        let mut events: Vec<HistoryEvent> = rows.collect::<rusqlite::Result<_>>()?;
        for e in &mut events {
            e.photos = self.photos(e.id)?;
        }
        Ok(events)
    }

    // ---- the board and the sheets -----------------------------------------------------------------
}
