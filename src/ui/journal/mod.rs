//! The Journal screen: incidents newest first, filters and search, an incident's detail and
//! timeline, the new-incident form, statistics and the repeat warning. `JournalState::handle` is the
//! only place that changes it.

use super::command::{Command, JournalCommand, NewIncident};
use super::jobs::Jobs;
use super::services::{Services, Shared};
use crate::domain::incident::RepeatAlert;
use crate::i18n::{Explain, Lang};
use eframe::egui;

/// What the screen shows; drawn from, changed only by `handle`.
#[derive(Debug, Default)]
pub struct JournalView {
    /// Codes seen 3 or more times on one terminal within 14 days.
    pub repeats: Vec<RepeatAlert>,
    /// The prefill of the form being opened.
    pub new: Option<NewIncident>,
}

/// Text being typed into the screen's forms.
#[derive(Debug, Default)]
pub struct JournalForms {}

/// What a finished background job (an export) hands back.
#[derive(Debug)]
pub enum JournalJob {}

pub struct JournalState {
    pub view: JournalView,
    pub forms: JournalForms,
    jobs: Jobs<JournalJob>,
}

impl Default for JournalState {
    fn default() -> Self {
        JournalState::new()
    }
}

impl JournalState {
    pub fn new() -> JournalState {
        JournalState {
            view: JournalView::default(),
            forms: JournalForms::default(),
            jobs: Jobs::default(),
        }
    }

    /// What the new-incident form was opened with, while it is open.
    pub fn prefill(&self) -> Option<&NewIncident> {
        self.view.new.as_ref()
    }

    pub fn busy(&self) -> bool {
        self.jobs.running() > 0
    }

    pub fn finish_jobs(&mut self, _sv: &mut Services<'_>) {
        for job in self.jobs.finished() {
            match job {}
        }
    }

    /// Read what the screen shows again (and the repeat warnings every screen shows).
    pub fn refresh(&mut self, sv: &mut Services<'_>) {
        let Some(store) = sv.data.store() else {
            return;
        };
        match store.repeats(&crate::domain::incident::RepeatRule::STANDARD, None) {
            Ok(repeats) => self.view.repeats = repeats,
            Err(e) => sv.warn(e.explain()),
        }
    }

    pub fn handle(&mut self, command: JournalCommand, sv: &mut Services<'_>) {
        match command {
            JournalCommand::Refresh => self.refresh(sv),
            JournalCommand::New(prefill) => self.view.new = Some(*prefill),
            JournalCommand::Escape { .. } => {}
        }
    }
}

/// Draw the Journal screen.
pub fn journal_ui(
    ui: &mut egui::Ui,
    _view: &JournalView,
    _forms: &mut JournalForms,
    _shared: &Shared,
    lang: Lang,
    _out: &mut Vec<Command>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading(lang.tr("Journal", "故障记录"));
    });
}
