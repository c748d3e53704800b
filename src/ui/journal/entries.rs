//! Writing in the journal from the window: the new-incident form and its save, the typed filters, and
//! on an open incident its notes and status moves.

use super::*;

impl JournalState {
    pub(super) fn open_form(&mut self, prefill: NewIncident, sv: &mut Services<'_>) {
        if self.forms.incident.as_ref().is_some_and(|f| f.is_changed()) {
            sv.warn(Msg::new(
                "An incident is still being written: save it or close it first.",
                "还有一条故障记录没写完：请先保存或关闭它。",
            ));
            return;
        }
        let who = sv.data.store().and_then(|s| s.last_who().ok()).flatten();
        let now = sv.clock.now();
        self.forms.incident = Some(IncidentForm::new(prefill.clone(), now, who));
        self.view.new = Some(prefill);
        self.view.ask_discard = false;
        self.view.page = JournalPage::List;
    }

    pub(super) fn close_form(&mut self) {
        self.forms.incident = None;
        self.view.new = None;
        self.view.ask_discard = false;
    }

    pub(super) fn form_error(&mut self, msg: Msg) {
        if let Some(f) = self.forms.incident.as_mut() {
            f.error = Some(msg);
        }
    }

    pub(super) fn save_form(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.incident.clone() else {
            return;
        };
        let not_saved = Msg::new("Not saved:", "未保存：");
        let Some(store) = sv.writable() else {
            return;
        };
        match form.editing {
            None => {
                let draft = match form.draft() {
                    Ok(d) => d,
                    Err(e) => return self.form_error(not_saved.with(&e)),
                };
                match store.create_incident(&draft) {
                    Ok(saved) => {
                        let id = saved.id;
                        let msg = Msg::new(
                            format!("Incident #{id} saved."),
                            format!("故障 #{id} 已保存。"),
                        );
                        sv.say(msg);
                        self.close_form();
                        self.after_save(id, sv);
                    }
                    Err(e) => self.form_error(not_saved.with(&e.explain())),
                }
            }
            Some(id) => {
                let edit = match form.changes() {
                    Ok(e) => e,
                    Err(e) => return self.form_error(not_saved.with(&e)),
                };
                match store.edit_incident(id, &edit) {
                    Ok(_) => {
                        let msg = Msg::new(
                            format!("Incident #{id} changed."),
                            format!("故障 #{id} 已修改。"),
                        );
                        sv.say(msg);
                        self.close_form();
                        self.refresh(sv);
                    }
                    Err(e) => self.form_error(not_saved.with(&e.explain())),
                }
            }
        }
    }

    /// A new incident shows in the list, chosen; if the filters hide it, they are cleared.
    pub(super) fn after_save(&mut self, id: IncidentId, sv: &mut Services<'_>) {
        self.view.detail = None;
        self.view.page = JournalPage::List;
        self.refresh(sv);
        if !self.view.rows.iter().any(|r| r.id == id) {
            self.handle(JournalCommand::ClearFilters, sv);
        }
        if let Some(row) = self.view.rows.iter().position(|r| r.id == id) {
            self.view.selected = row;
            self.view.select_generation += 1;
        }
    }

    /// Read the typed filters (search, code, dates) into the list's filter.
    pub(super) fn read_typed_filters(&mut self, sv: &mut Services<'_>) {
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        self.view.filter.text = text(&self.forms.search);
        self.view.filter.code = text(&self.forms.code);
        let mut error = None;
        let mut day = |typed: &str, next_day: bool| {
            if typed.trim().is_empty() {
                return None;
            }
            let day = words::parse_date(typed)
                .and_then(|d| if next_day { d.tomorrow().ok() } else { Some(d) });
            match day.and_then(words::start_of) {
                Some(t) => Some(t),
                None => {
                    error = Some(Msg::new(
                        format!(
                            "\"{}\" is not a date; write it as year-month-day, e.g. {}.",
                            typed.trim(),
                            sv.today
                        ),
                        format!(
                            "“{}”不是日期；请写成 年-月-日，例如 {}。",
                            typed.trim(),
                            sv.today
                        ),
                    ));
                    None
                }
            }
        };
        self.view.filter.from = day(&self.forms.from, false);
        self.view.filter.until = day(&self.forms.until, true);
        self.view.filter_error = error;
        self.reload_list(sv);
    }

    pub(super) fn detail_id(&self) -> Option<IncidentId> {
        self.view.detail.as_ref().map(|d| d.id)
    }

    pub(super) fn add_note(&mut self, sv: &mut Services<'_>) {
        let Some(id) = self.detail_id() else {
            return;
        };
        if self.forms.note.trim().is_empty() {
            sv.warn(Msg::new("Write the note first.", "请先写下备注内容。"));
            return;
        }
        let Some(store) = sv.writable() else {
            return;
        };
        match store.add_note(id, &self.forms.note) {
            Ok(_) => {
                self.forms.note.clear();
                let msg = Msg::new(
                    format!("Note added to incident #{id}."),
                    format!("已为故障 #{id} 添加备注。"),
                );
                sv.say(msg);
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Note not added:", "备注未添加：").with(&e.explain())),
        }
    }

    pub(super) fn set_status(&mut self, to: IncidentStatus, sv: &mut Services<'_>) {
        if to == IncidentStatus::Resolved {
            return self.resolve(sv);
        }
        let Some(id) = self.detail_id() else {
            return;
        };
        let Some(store) = sv.writable() else {
            return;
        };
        match store.set_status(id, to) {
            Ok(()) => {
                let (en, zh) = (to.label().en, to.label().zh);
                sv.say(Msg::new(
                    format!("Incident #{id} is now: {en}."),
                    format!("故障 #{id} 现在是：{zh}。"),
                ));
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not changed:", "未修改：").with(&e.explain())),
        }
    }

    pub(super) fn resolve(&mut self, sv: &mut Services<'_>) {
        let Some(id) = self.detail_id() else {
            return;
        };
        let resolution = self.forms.resolution.clone();
        let Some(store) = sv.writable() else {
            return;
        };
        match store.resolve(id, &resolution) {
            Ok(_) => {
                self.forms.resolution.clear();
                let msg = Msg::new(
                    format!("Incident #{id} resolved."),
                    format!("故障 #{id} 已解决。"),
                );
                sv.say_with_undo(msg, JournalCommand::ReopenIncident(id).into());
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not resolved:", "未标记解决：").with(&e.explain())),
        }
    }

    pub(super) fn reopen(&mut self, id: IncidentId, sv: &mut Services<'_>) {
        let Some(store) = sv.writable() else {
            return;
        };
        match store.reopen(id) {
            Ok(()) => {
                sv.say(Msg::new(
                    format!("Incident #{id} is open again."),
                    format!("故障 #{id} 已重新打开。"),
                ));
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not reopened:", "未重新打开：").with(&e.explain())),
        }
    }
}
