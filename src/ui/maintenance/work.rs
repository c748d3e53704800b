//! Done, skip and snooze: opening the form for a task, saving it (with a photo or a value), refusals.

use super::*;
use crate::domain::incident::Attachment;
use std::path::Path;

impl MaintenanceState {
    /// The big Done button: all fine, by the remembered person, every missed date covered.
    pub(super) fn done(&mut self, schedule: ScheduleId, sv: &mut Services<'_>) {
        let Some(item) = self.view.item(schedule).cloned() else {
            sv.warn(not_on_board());
            self.refresh(sv);
            return;
        };
        let entry = DoneEntry::fine(sv.today, &self.view.last_person);
        // What it says is on the status line; there is no form to show an error on.
        let _ = self.record_done(&item, &entry, sv);
        self.refresh(sv);
    }

    /// Mark `item` done with `entry`; says what was done and offers Undo. Returns the event
    /// recorded (`None`: it was already recorded, nothing changed), or the error for a form to show.
    /// The caller reads the board again (after keeping its form open for a photo, if it has one).
    pub(super) fn record_done(
        &mut self,
        item: &DueItem,
        entry: &DoneEntry,
        sv: &mut Services<'_>,
    ) -> Result<Option<EventId>, Msg> {
        let Some(store) = sv.writable() else {
            return Err(Msg::new("Not saved.", "未保存。"));
        };
        let result = store.mark_done(item.schedule, item.through, entry);
        let what = described(item);
        match result {
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
                Ok(marked.event)
            }
            Ok(_) => {
                sv.say(Msg::new(
                    format!("Already recorded: {}. Nothing changed.", what.en),
                    format!("已经记录过：{}，没有重复记录。", what.zh),
                ));
                Ok(None)
            }
            Err(e) => {
                let msg = Msg::new("Not saved:", "未保存：").with(&e.explain());
                sv.warn(msg.clone());
                Err(msg)
            }
        }
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
        if let Some(keeping) = form.keeping {
            // The done is recorded; only its photo failed: try it again (or the one chosen since).
            if !keeping.copying
                && let Some(photo) = form.photo
            {
                self.keep_photo(keeping.event, keeping.what, &photo, sv);
            }
            return;
        }
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
        match (self.record_done(&item, &entry, sv), form.photo) {
            (Ok(Some(event)), Some(photo)) => {
                // The form stays, showing the copy; the board and the undo are there already.
                self.keep_photo(event, described(&item), &photo, sv)
            }
            (Ok(_), _) => self.forms.work = None,
            (Err(error), _) => {
                if let Some(f) = self.forms.work.as_mut() {
                    f.error = Some(error);
                }
            }
        }
        self.refresh(sv);
    }

    /// Copy `photo` into the data folder and keep it with the recorded done `event`, on a worker over
    /// a second connection to the store; the done form shows it going.
    fn keep_photo(&mut self, event: EventId, what: Msg, photo: &Path, sv: &mut Services<'_>) {
        let clock = sv.clock.clone();
        let Some(store) = sv.writable() else {
            return;
        };
        let second = store
            .second_connection()
            .map(|s| s.with_clock(clock))
            .map_err(|e| e.explain());
        let copied = crate::ui::jobs::Copied::default();
        if let Some(form) = self.forms.work.as_mut() {
            form.error = None;
            form.keeping = Some(KeepingPhoto {
                event,
                what: what.clone(),
                name: crate::fsx::file_name(photo).unwrap_or_default(),
                size: std::fs::metadata(photo).map_or(0, |m| m.len()),
                copying: true,
                copied: copied.clone(),
            });
        }
        let ctx = sv.egui.clone();
        let photo = photo.to_path_buf();
        self.photos_going.insert(event, false);
        self.jobs.spawn(sv.egui, move || {
            let (result, masked) = match second {
                Ok(mut store) => {
                    let result = store
                        .attach_photo_with_progress(event, &photo, &|done, _| {
                            copied.set(done, &ctx)
                        })
                        .map_err(|e| e.explain());
                    (result, store.take_masked())
                }
                Err(e) => (Err(e), 0),
            };
            PrintJob::PhotoKept {
                event,
                what,
                masked,
                result,
            }
        });
    }

    /// A done's photo came back from the worker: kept, or why not. The done stays recorded either
    /// way; a failure is said on the form (to try again) and the status line.
    pub(super) fn photo_kept(
        &mut self,
        event: EventId,
        what: &Msg,
        masked: u64,
        result: Result<Attachment, Msg>,
        sv: &mut Services<'_>,
    ) {
        if let Some(store) = sv.data.store() {
            // The worker's connection masked them; the app tells the clerk from the window's store.
            store.note_masked(masked as usize);
        }
        if self.photos_going.remove(&event) == Some(true) {
            // Undone while the photo went: "Undone." was said, and Undo took the photo too.
            self.refresh(sv);
            return;
        }
        let form = self
            .forms
            .work
            .as_mut()
            .filter(|f| f.keeping.as_ref().is_some_and(|k| k.event == event));
        match result {
            Ok(photo) => {
                if form.is_some() {
                    self.forms.work = None;
                }
                let name = photo.file_name;
                sv.say_with_undo(
                    Msg::new(
                        format!("Done: {}, with the photo {name}.", what.en),
                        format!("已完成：{}，照片 {name} 已保存。", what.zh),
                    ),
                    undo(event),
                );
            }
            Err(e) => {
                let msg = Msg::new(
                    format!(
                        "Done is recorded for {}, but the photo was not kept:",
                        what.en
                    ),
                    format!("已记录完成：{}，但照片没有保存：", what.zh),
                )
                .with(&e);
                if let Some(f) = form {
                    f.error = Some(msg.clone());
                    if let Some(k) = f.keeping.as_mut() {
                        k.copying = false;
                    }
                }
                sv.warn(msg);
            }
        }
        self.refresh(sv);
    }

    /// `event` was undone: a photo still going for it is no longer news, and its form closes.
    pub(super) fn undone_while_keeping(&mut self, event: EventId) {
        if let Some(undone) = self.photos_going.get_mut(&event) {
            *undone = true;
        }
        if self
            .forms
            .work
            .as_ref()
            .and_then(|f| f.keeping.as_ref())
            .is_some_and(|k| k.event == event)
        {
            self.forms.work = None;
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
