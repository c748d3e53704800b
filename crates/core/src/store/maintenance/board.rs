//! What is due across every terminal: the board, printed sheets' lines, and scans of those lines.

use super::*;

impl Store {
    /// What is overdue, due today and due soon on `today`, one item per task and terminal: overdue
    /// first, then due, then soon; within each by terminal name and pack order.
    pub fn due_board(&self, today: Date) -> Result<Vec<DueItem>> {
        let mut items = Vec::new();
        for (row, terminal, template, progress) in self.active_plans(None)? {
            let Some(status) = schedule::status(&row.plan, &progress, today) else {
                continue;
            };
            let Some(state) = status.state else {
                continue;
            };
            items.push((
                (state_rank(state), template.1),
                due_item(&row, &terminal, template.0, &status, state),
            ));
        }
        items.sort_by(|a, b| {
            (a.0.0)
                .cmp(&b.0.0)
                .then_with(|| natural_cmp(&a.1.terminal_name, &b.1.terminal_name))
                .then_with(|| a.1.terminal.cmp(&b.1.terminal))
                .then_with(|| a.0.1.cmp(&b.0.1))
        });
        Ok(items.into_iter().map(|(_, item)| item).collect())
    }

    /// The top bar's badge: tasks overdue or due today.
    pub fn due_count(&self, today: Date) -> Result<usize> {
        Ok(self
            .due_board(today)?
            .iter()
            .filter(|i| i.state != DueState::Soon)
            .count())
    }

    /// The lines of a printed checklist for one terminal or all in service: each occurrence in the
    /// span, plus one catch-up line for a task that has none in the span but is overdue before it.
    /// Sorted by terminal name, date and pack order.
    pub fn sheet_lines(
        &self,
        terminal: Option<TerminalId>,
        span: SheetSpan,
    ) -> Result<Vec<SheetLine>> {
        let (from, to) = (span.first(), span.last());
        let mut lines = Vec::new();
        for (row, term, (template, position), progress) in self.active_plans(terminal)? {
            let plan = row.plan;
            let dates: Vec<Date> = match plan.recurrence {
                Recurrence::Calendar => {
                    schedule::occurrences_between(plan.start, plan.interval, from, to)
                }
                Recurrence::AfterDone => schedule::first_open(&plan, &progress)
                    .filter(|d| *d >= from && *d <= to)
                    .into_iter()
                    .collect(),
            };
            let mut push = |date: Date, overdue: bool, missed: u32, resolved: bool| {
                lines.push((
                    (date, position),
                    SheetLine {
                        schedule: row.id,
                        terminal: term.id,
                        terminal_name: term.info.name.clone(),
                        task: template.clone(),
                        date,
                        overdue,
                        missed,
                        resolved,
                    },
                ));
            };
            if dates.is_empty() {
                if let Some(s) = schedule::status(&plan, &progress, from)
                    && s.first_open < from
                {
                    push(s.first_open, true, s.missed, false);
                }
            } else {
                for d in dates {
                    push(d, false, 0, schedule::is_resolved(&plan, &progress, d));
                }
            }
        }
        lines.sort_by(|a, b| {
            natural_cmp(&a.1.terminal_name, &b.1.terminal_name)
                .then_with(|| a.1.terminal.cmp(&b.1.terminal))
                .then_with(|| a.0.cmp(&b.0))
        });
        Ok(lines.into_iter().map(|(_, l)| l).collect())
    }

    /// The sheet line a scanned barcode names: schedule and date. `None` when the schedule is gone
    /// or the date is not one of its dates.
    pub fn sheet_line(&self, schedule: ScheduleId, day: Date) -> Result<Option<SheetLine>> {
        let Some(row) = load_schedule(&self.conn, schedule)?.filter(|r| !r.removed) else {
            return Ok(None);
        };
        let plan = row.plan;
        if plan.recurrence == Recurrence::Calendar
            && !schedule::is_occurrence(plan.start, plan.interval, day)
        {
            return Ok(None);
        }
        let Some(term) = load_terminal(&self.conn, row.terminal)? else {
            return Ok(None);
        };
        let Some(t) = templates_by_key(&self.conn)?.remove(&row.task_key) else {
            return Ok(None);
        };
        let progress = progress_of(&self.conn, &row)?;
        let resolved = schedule::is_resolved(&plan, &progress, day)
            || occurrence_recorded(&self.conn, schedule, day)?;
        Ok(Some(SheetLine {
            schedule,
            terminal: term.id,
            terminal_name: term.info.name,
            task: t.template,
            date: day,
            overdue: false,
            missed: 0,
            resolved,
        }))
    }

    /// What scanning `code` on `today` would do, without writing anything: the paper's meaning
    /// (today's line covers the missed days, a later day's line is refused, a week row records the day
    /// it is scanned) checked against the task as it stands now.
    pub fn check_scan(&self, code: ScanCode, today: Date) -> Result<ScanVerdict> {
        let schedule = ScheduleId(code.schedule_id);
        let Some(row) = load_schedule(&self.conn, schedule)? else {
            return Ok(ScanVerdict::Unknown);
        };
        let Some(term) = load_terminal(&self.conn, row.terminal)? else {
            return Ok(ScanVerdict::Unknown);
        };
        let Some(t) = templates_by_key(&self.conn)?.remove(&row.task_key) else {
            return Ok(ScanVerdict::Unknown);
        };
        let line = ScannedLine {
            code,
            schedule,
            terminal: term.id,
            terminal_name: term.info.name.clone(),
            task: t.template,
        };
        if row.removed {
            return Ok(ScanVerdict::Removed(line));
        }
        if term.is_archived() {
            return Ok(ScanVerdict::Archived(line));
        }
        let plan = row.plan;
        let progress = progress_of(&self.conn, &row)?;
        let status = schedule::status(&plan, &progress, today);
        match code.kind {
            ScanKind::Day => {
                if code.date > today {
                    return Ok(ScanVerdict::Future {
                        line,
                        day: code.date,
                    });
                }
                if plan.recurrence == Recurrence::Calendar
                    && !schedule::is_occurrence(plan.start, plan.interval, code.date)
                {
                    return Ok(ScanVerdict::Changed(line));
                }
                if schedule::is_resolved(&plan, &progress, code.date)
                    || occurrence_recorded(&self.conn, schedule, code.date)?
                {
                    return Ok(ScanVerdict::AlreadyDone(line));
                }
                if code.date == today
                    && let Some(s) = status.filter(|s| s.first_open <= today)
                {
                    return Ok(ScanVerdict::Ready {
                        line,
                        mark: ScanMark::Through(s.through),
                        done_on: today,
                        missed: s.missed,
                    });
                }
                Ok(ScanVerdict::Ready {
                    line,
                    mark: ScanMark::Occurrence(code.date),
                    done_on: code.date,
                    missed: 0,
                })
            }
            ScanKind::Week => {
                let first = code.date;
                let last = SheetSpan::Week(first).last();
                if first > today {
                    return Ok(ScanVerdict::Future { line, day: first });
                }
                if last < today {
                    return Ok(ScanVerdict::WeekOver { line, first, last });
                }
                let Some(s) = status else {
                    return Ok(ScanVerdict::AlreadyDone(line));
                };
                if s.first_open <= today || s.state.is_some() {
                    return Ok(ScanVerdict::Ready {
                        line,
                        mark: ScanMark::Through(s.through),
                        done_on: today,
                        missed: s.missed,
                    });
                }
                let done_today: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM maintenance_events WHERE schedule_id = ?1 \
                     AND kind = 'done' AND on_date = ?2)",
                    params![schedule.0, today.to_string()],
                    |r| r.get(0),
                )?;
                if done_today {
                    Ok(ScanVerdict::AlreadyDone(line))
                } else {
                    Ok(ScanVerdict::NotDue {
                        line,
                        next: s.first_open,
                    })
                }
            }
        }
    }

    /// Record a scan [`Store::check_scan`] found ready, with who did it and the value written on the
    /// sheet (a firmware version also becomes the terminal's firmware).
    pub fn record_scan(
        &mut self,
        schedule: ScheduleId,
        mark: ScanMark,
        entry: &DoneEntry,
    ) -> Result<Marked> {
        match mark {
            ScanMark::Through(through) => self.mark_done(schedule, through, entry),
            ScanMark::Occurrence(day) => self.mark_done_occurrence(schedule, day, entry),
        }
    }

    /// Every schedule in use with its terminal, template (and pack position) and progress.
    #[allow(clippy::type_complexity)]
    pub(super) fn active_plans(
        &self,
        terminal: Option<TerminalId>,
    ) -> Result<Vec<(ScheduleRow, Terminal, (TaskTemplate, i64), Progress)>> {
        let rows = active_schedules(&self.conn, terminal)?;
        let mut progress = progress_map(&self.conn, &rows, None)?;
        let templates = templates_by_key(&self.conn)?;
        let terminals: HashMap<TerminalId, Terminal> = self
            .terminals(false)?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (Some(term), Some(t)) =
                (terminals.get(&row.terminal), templates.get(&row.task_key))
            else {
                continue;
            };
            let p = progress.remove(&row.id).unwrap_or_default();
            out.push((row, term.clone(), (t.template.clone(), t.position), p));
        }
        Ok(out)
    }
}
