//! A printed line scanned in: checked against the data, its value asked for, recorded, or refused.

use super::*;

impl MaintenanceState {
    /// A printed line's barcode, from any screen: what the paper says, checked against the task as it
    /// stands now; recorded at once when the till's clerk is known and no value is asked for, else the
    /// scan form asks (and the app shows the Maintenance screen).
    pub(super) fn scanned(&mut self, code: ScanCode, sv: &mut Services<'_>) {
        if self.forms.scanned.is_some() {
            // One question at a time: this scan waits for the open form.
            if !self.view.pending_scans.contains(&code) {
                self.view.pending_scans.push(code);
            }
            return;
        }
        let today = sv.today;
        let Some(store) = sv.writable() else {
            return;
        };
        let verdict = match store.check_scan(code, today) {
            Ok(v) => v,
            Err(e) => {
                sv.warn(e.explain());
                return;
            }
        };
        let ScanVerdict::Ready {
            line,
            mark,
            done_on,
            missed,
        } = verdict
        else {
            let (msg, is_error) = refusal(&verdict, today);
            if is_error {
                sv.warn(msg);
            } else {
                sv.say(msg);
            }
            return;
        };
        let form = ScanForm {
            by: self
                .view
                .scan_clerk
                .clone()
                .unwrap_or_else(|| self.view.last_person.clone()),
            remember: true,
            value: String::new(),
            error: None,
            focus_pending: true,
            line,
            mark,
            done_on,
            missed,
        };
        if form.line.task.value.is_some() || self.view.scan_clerk.is_none() {
            self.forms.scanned = Some(form);
            self.forms.work = None;
            self.view.page = MaintenancePage::Board;
            return;
        }
        self.record_scan(form, sv);
    }

    /// The scan form's Save: record it, remember the clerk if asked, then take the next waiting scan.
    pub(super) fn save_scan(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.scanned.take() else {
            return;
        };
        if form.remember && !form.by.trim().is_empty() {
            self.view.scan_clerk = Some(form.by.trim().to_string());
        }
        if let Some(form) = self.record_scan(form, sv) {
            self.forms.scanned = Some(form);
            return;
        }
        for code in std::mem::take(&mut self.view.pending_scans) {
            self.scanned(code, sv);
        }
    }

    /// Write a scan; gives the form back with the reason when the store refuses it (a value out of
    /// range), so the clerk can correct it.
    pub(super) fn record_scan(
        &mut self,
        mut form: ScanForm,
        sv: &mut Services<'_>,
    ) -> Option<ScanForm> {
        let value = form.value.trim();
        let entry = DoneEntry {
            done_on: form.done_on,
            by: form.by.trim().to_string(),
            outcome: Outcome::AllFine,
            note: String::new(),
            value: (form.line.task.value.is_some() && !value.is_empty()).then(|| value.to_string()),
        };
        let store = sv.writable()?;
        let line = &form.line;
        let what = Msg::new(
            format!("{} on {}", line.task.title_en, line.terminal_name),
            format!("{} 的“{}”", line.terminal_name, line.task.title_zh),
        );
        let date = line.code.date;
        match store.record_scan(line.schedule, form.mark, &entry) {
            Ok(marked) if marked.changed => {
                let covered = if marked.covers > 1 {
                    Msg::new(
                        format!(", {} dates covered", marked.covers),
                        format!("，共 {} 次", marked.covers),
                    )
                } else {
                    Msg::new("", "")
                };
                let on = form.done_on;
                let by = if entry.by.is_empty() {
                    Msg::new("", "")
                } else {
                    Msg::new(
                        format!(", by {}", entry.by),
                        format!("，完成人 {}", entry.by),
                    )
                };
                let msg = Msg::new(
                    format!(
                        "Done from the sheet: {} ({on}{}{}).",
                        what.en, covered.en, by.en
                    ),
                    format!(
                        "已按清单记录完成：{}（{on}{}{}）。",
                        what.zh, covered.zh, by.zh
                    ),
                );
                match marked.event {
                    Some(event) => sv.say_with_undo(msg, undo(event)),
                    None => sv.say(msg),
                }
            }
            Ok(_) => sv.say(Msg::new(
                format!("Already recorded: {} ({date}). Nothing changed.", what.en),
                format!("已经记录过：{}（{date}），没有重复记录。", what.zh),
            )),
            Err(e) => {
                let msg = Msg::new("Not recorded:", "未记录：").with(&e.explain());
                if matches!(
                    e,
                    crate::store::StoreError::Maintenance(
                        crate::store::MaintenanceStoreError::Rule(_)
                    )
                ) {
                    form.error = Some(msg);
                    form.focus_pending = true;
                    return Some(form);
                }
                sv.warn(msg);
            }
        }
        self.refresh(sv);
        None
    }

    /// Something a scanner read that is not a checklist line: say so, change nothing.
    pub(super) fn scanned_other(&mut self, text: &str, sv: &mut Services<'_>) {
        let shown: String = text.chars().take(40).collect();
        let msg = if crate::domain::scan::is_product_code(text) {
            Msg::new(
                format!(
                    "{shown} is a product barcode, not a line of a maintenance checklist. Nothing changed."
                ),
                format!("{shown} 是商品条码，不是维护检查表上的条码。没有任何改动。"),
            )
        } else {
            Msg::new(
                format!("The scanner read {shown}: not a posdesk checklist code. Nothing changed."),
                format!("扫码枪读到 {shown}：不是 posdesk 检查表的条码。没有任何改动。"),
            )
        };
        sv.warn(msg);
    }
}
