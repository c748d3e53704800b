//! Done, skip and snooze: opening the form for a task, saving it (with a photo or a value), refusals.

use super::*;

impl MaintenanceState {
    /// The big Done button: all fine, by the remembered person, every missed date covered.
    pub(super) fn done(&mut self, schedule: ScheduleId, sv: &mut Services<'_>) {
        let Some(item) = self.view.item(schedule).cloned() else {
            sv.warn(not_on_board());
            self.refresh(sv);
            return;
        };
        let entry = DoneEntry::fine(sv.today, &self.view.last_person);
        self.record_done(&item, &entry, sv);
    }

    /// Mark `item` done with `entry`; says what was done and offers Undo. Returns the error, if any,
    /// for a form to show.
    pub(super) fn record_done(
        &mut self,
        item: &DueItem,
        entry: &DoneEntry,
        sv: &mut Services<'_>,
    ) -> Option<Msg> {
        self.record_done_photo(item, entry, None, sv)
    }

    /// [`Self::record_done`] with a photo kept with the record. A photo that cannot be kept takes
    /// the record back (nothing half-saved) and says why.
    pub(super) fn record_done_photo(
        &mut self,
        item: &DueItem,
        entry: &DoneEntry,
        photo: Option<&std::path::Path>,
        sv: &mut Services<'_>,
    ) -> Option<Msg> {
        let Some(store) = sv.writable() else {
            return Some(Msg::new("Not saved.", "未保存。"));
        };
        let result = match (store.mark_done(item.schedule, item.through, entry), photo) {
            (Ok(marked), Some(photo)) if marked.changed => match marked.event {
                Some(event) => match store.attach_photo(event, photo) {
                    Ok(_) => Ok(marked),
                    Err(e) => {
                        let undone = store.undo(event);
                        Err(undone.err().unwrap_or(e))
                    }
                },
                None => Ok(marked),
            },
            (other, _) => other,
        };
        let what = described(item);
        let failed = match result {
            Ok(marked) if marked.changed => {
                let covered = if marked.covers > 1 {
                    Msg::new(
                        format!(" ({} dates covered)", marked.covers),
                        format!("（共 {} 次）", marked.covers),
                    )
                } else {
                    Msg::new("", "")
                };
                let msg = Msg::new(
                    format!("Done: {}{}.", what.en, covered.en),
                    format!("已完成：{}{}。", what.zh, covered.zh),
                );
                match marked.event {
                    Some(event) => {
                        if entry.outcome == Outcome::ProblemFound {
                            self.view.last_problem = Some(ProblemFound {
                                event,
                                terminal: item.terminal,
                                task: item.task.key.clone(),
                                terminal_name: item.terminal_name.clone(),
                                title: title_of(&item.task),
                                note: entry.note.trim().to_string(),
                            });
                        }
                        sv.say_with_undo(msg, undo(event));
                    }
                    None => sv.say(msg),
                }
                None
            }
            Ok(_) => {
                sv.say(Msg::new(
                    format!("Already recorded: {}. Nothing changed.", what.en),
                    format!("已经记录过：{}，没有重复记录。", what.zh),
                ));
                None
            }
            Err(e) => {
                let msg = Msg::new("Not saved:", "未保存：").with(&e.explain());
                sv.warn(msg.clone());
                Some(msg)
            }
        };
        self.refresh(sv);
        failed
    }

    pub(super) fn open_work(&mut self, schedule: ScheduleId, kind: WorkKind) {
        if let Some(item) = self.view.item(schedule) {
            self.forms.work = Some(WorkForm::new(item, kind, &self.view.last_person));
            self.view.selected = self
                .view
                .board
                .iter()
                .position(|i| i.schedule == schedule)
                .unwrap_or(self.view.selected);
        }
    }

    pub(super) fn save_done(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.work.clone() else {
            return;
        };
        let Some(item) = self.view.item(form.schedule).cloned() else {
            self.forms.work = None;
            sv.warn(not_on_board());
            return;
        };
        let value = form.value.trim();
        let entry = DoneEntry {
            done_on: sv.today,
            by: form.by.clone(),
            outcome: form.outcome,
            note: form.note.clone(),
            value: (item.task.value.is_some() && !value.is_empty()).then(|| value.to_string()),
        };
        match self.record_done_photo(&item, &entry, form.photo.as_deref(), sv) {
            None => self.forms.work = None,
            Some(error) => {
                if let Some(f) = self.forms.work.as_mut() {
                    f.error = Some(error);
                }
            }
        }
    }

    pub(super) fn save_skip(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.work.clone() else {
            return;
        };
        let Some(item) = self.view.item(form.schedule).cloned() else {
            self.forms.work = None;
            sv.warn(not_on_board());
            return;
        };
        let today = sv.today;
        let Some(store) = sv.writable() else {
            return;
        };
        let what = described(&item);
        match store.skip(item.schedule, item.through, today, &form.reason, &form.by) {
            Ok(marked) => {
                self.forms.work = None;
                let reason = form.reason.trim();
                let msg = Msg::new(
                    format!("Skipped: {} (reason: {reason}).", what.en),
                    format!("已跳过：{}（原因：{reason}）。", what.zh),
                );
                match marked.event {
                    Some(event) => sv.say_with_undo(msg, undo(event)),
                    None => sv.say(Msg::new(
                        format!("Nothing left to skip: {}.", what.en),
                        format!("没有需要跳过的：{}。", what.zh),
                    )),
                }
                self.refresh(sv);
            }
            Err(e) => self.form_error(
                Msg::new("Not skipped:", "未跳过：").with(&e.explain()),
                true,
            ),
        }
    }

    pub(super) fn save_snooze(&mut self, days: Option<i64>, sv: &mut Services<'_>) {
        let Some(form) = self.forms.work.clone() else {
            return;
        };
        let Some(item) = self.view.item(form.schedule).cloned() else {
            self.forms.work = None;
            sv.warn(not_on_board());
            return;
        };
        let not_snoozed = Msg::new("Not snoozed:", "未推迟：");
        // The reason first: it is what the clerk must add, whatever the date.
        if let Err(e) = checked_reason(&form.reason) {
            self.form_error(not_snoozed.with(&e.explain()), true);
            return;
        }
        let today = sv.today;
        let until = match days {
            Some(days) => today.checked_add(jiff::Span::new().days(days)).ok(),
            None => words::parse_date(&form.until),
        };
        let Some(until) = until else {
            self.form_error(
                not_snoozed.with(&Msg::new(
                    format!(
                        "Write the date as year-month-day, e.g. {}.",
                        today.tomorrow().unwrap_or(today)
                    ),
                    format!(
                        "请按“年-月-日”填写日期，例如 {}。",
                        today.tomorrow().unwrap_or(today)
                    ),
                )),
                false,
            );
            return;
        };
        let Some(store) = sv.writable() else {
            return;
        };
        let what = described(&item);
        match store.snooze(item.schedule, today, until, &form.reason, &form.by) {
            Ok(event) => {
                self.forms.work = None;
                let (en, zh) = (
                    words::date(Lang::En, until, today),
                    words::date(Lang::Zh, until, today),
                );
                sv.say_with_undo(
                    Msg::new(
                        format!("Snoozed until {en}: {}.", what.en),
                        format!("已推迟到 {zh}：{}。", what.zh),
                    ),
                    undo(event),
                );
                self.refresh(sv);
            }
            Err(e) => self.form_error(not_snoozed.with(&e.explain()), false),
        }
    }

    /// Show why the form was not saved; with `refocus`, the cursor goes back to its first field
    /// (the reason), which is what needs filling.
    pub(super) fn form_error(&mut self, msg: Msg, refocus: bool) {
        if let Some(f) = self.forms.work.as_mut() {
            f.error = Some(msg);
            f.focus_pending |= refocus;
        }
    }
}
