//! Settings → Head office: enroll the till, see the last sync, how many changes wait and the last
//! error in words; and the sync worker behind it.
//!
//! The worker is one thread with its own connection to the data file. It syncs every minute when
//! something waits (and at once when asked), so the window never waits for the network; a dropped
//! connection only leaves the changes in the outbox for the next round. It reports a fresh
//! [`sync::Status`] after every round, which the status line reads ("Synced 2 min ago · 0 waiting").

use super::Outcome;
use crate::clock::Clock;
use crate::i18n::{Explain, Lang, Msg};
use crate::store::Store;
use crate::sync::{self, HttpTransport, Report, Status};
use crate::ui::command::{Command, SettingsCommand};
use crate::ui::theme::size;
use eframe::egui::{self, RichText};
use jiff::Timestamp;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

/// How often the worker looks for waiting changes.
pub const INTERVAL: Duration = Duration::from_secs(60);

enum Ask {
    SyncNow,
    Enroll { url: String, code: String },
}

enum Update {
    Status(Box<Status>),
    Enrolled(Result<String, Msg>),
    Synced(Result<Report, Msg>),
}

/// What the Head office section shows.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct HeadOfficeView {
    /// `None` until the worker's first report (or when the data has no folder).
    pub status: Option<Status>,
    pub working: bool,
    pub outcome: Option<Outcome>,
}

/// The worker's two ends; the view lives in `SettingsView`.
#[derive(Default)]
pub struct HeadOffice {
    ask: Option<Sender<Ask>>,
    updates: Option<Receiver<Update>>,
}

impl HeadOffice {
    /// Start the worker for the data file at `db` (its folder holds `sync.json`).
    pub fn start(&mut self, db: &Path, clock: Clock, ctx: &egui::Context) {
        if self.ask.is_some() {
            return;
        }
        let Some(dir) = db.parent().map(Path::to_path_buf) else {
            return;
        };
        let (ask_tx, ask_rx) = channel();
        let (up_tx, up_rx) = channel();
        let db = db.to_path_buf();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("posdesk-sync".into())
            .spawn(move || worker(db, dir, clock, ask_rx, up_tx, ctx));
        if spawned.is_ok() {
            self.ask = Some(ask_tx);
            self.updates = Some(up_rx);
        }
    }

    fn send(&mut self, view: &mut HeadOfficeView, ask: Ask) {
        match &self.ask {
            Some(tx) if tx.send(ask).is_ok() => view.working = true,
            _ => {
                view.outcome = Some(Outcome {
                    msg: Msg::new(
                        "Syncing is not available: this data has no folder.",
                        "无法同步：当前数据不在文件夹里。",
                    ),
                    is_error: true,
                })
            }
        }
    }

    pub fn sync_now(&mut self, view: &mut HeadOfficeView) {
        self.send(view, Ask::SyncNow);
    }

    pub fn enroll(&mut self, view: &mut HeadOfficeView, url: String, code: String) {
        self.send(view, Ask::Enroll { url, code });
    }

    /// Apply the worker's reports; returns messages for the status line.
    pub fn finish(&mut self, view: &mut HeadOfficeView) -> Vec<(Msg, bool)> {
        let mut said = Vec::new();
        let Some(rx) = &self.updates else {
            return said;
        };
        for update in rx.try_iter() {
            match update {
                Update::Status(s) => view.status = Some(*s),
                Update::Enrolled(result) => {
                    view.working = false;
                    let (msg, is_error) = match result {
                        Ok(store) => (
                            Msg::new(
                                format!("This till is connected to head office as store {store}."),
                                format!("这台收银机已连接总部，门店 {store}。"),
                            ),
                            false,
                        ),
                        Err(m) => (Msg::new("Not enrolled:", "没有登记：").with(&m), true),
                    };
                    view.outcome = Some(Outcome {
                        msg: msg.clone(),
                        is_error,
                    });
                    said.push((msg, is_error));
                }
                Update::Synced(result) => {
                    view.working = false;
                    let (msg, is_error) = match result {
                        Ok(r) => (
                            Msg::new(
                                format!(
                                    "Sent {} changes to head office; {} waiting.",
                                    r.pushed, r.pending
                                ),
                                format!("已向总部发送 {} 条；{} 条待发送。", r.pushed, r.pending),
                            ),
                            false,
                        ),
                        Err(m) => (m, true),
                    };
                    view.outcome = Some(Outcome {
                        msg: msg.clone(),
                        is_error,
                    });
                    said.push((msg, is_error));
                }
            }
        }
        said
    }
}

impl HeadOfficeView {
    /// The quiet part of the status line, once enrolled.
    pub fn line(&self, now: Timestamp) -> Option<Msg> {
        let s = self.status.as_ref().filter(|s| s.enrolled)?;
        let line = s.line(now);
        Some(match s.clock_skew_ms.and_then(sync::clock_warning) {
            Some(_) => Msg::new(
                format!("{} · PC clock wrong", line.en),
                format!("{} · 电脑时间不对", line.zh),
            ),
            None => line,
        })
    }
}

fn worker(
    db: PathBuf,
    dir: PathBuf,
    clock: Clock,
    ask: Receiver<Ask>,
    updates: Sender<Update>,
    ctx: egui::Context,
) {
    let transport = HttpTransport::new();
    // One connection for the worker's life (opening checks the whole file; not once a minute).
    let mut store: Option<Store> = None;
    let mut first = true;
    loop {
        let next = if first {
            first = false;
            Err(RecvTimeoutError::Timeout)
        } else {
            ask.recv_timeout(INTERVAL)
        };
        if store.is_none() {
            store = Store::open(&db).ok().map(|s| s.with_clock(clock.clone()));
        }
        let Some(s) = store.as_mut() else {
            if matches!(next, Err(RecvTimeoutError::Disconnected)) {
                return;
            }
            continue;
        };
        let update = match next {
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {
                let waiting = s.outbox_pending().unwrap_or(0) > 0;
                let enrolled = sync::SyncFile::load(&dir).ok().flatten().is_some();
                if waiting && enrolled {
                    // Quiet: the status line tells the outcome; errors show in Settings.
                    let _ = sync::sync_now(s, &dir, &transport);
                }
                None
            }
            Ok(Ask::SyncNow) => Some(Update::Synced(
                sync::sync_now(s, &dir, &transport).map_err(|e| e.explain()),
            )),
            Ok(Ask::Enroll { url, code }) => {
                let result = sync::enroll(&dir, &url, &code, "", &transport, &clock)
                    .map(|f| f.store_code)
                    .map_err(|e| e.explain());
                if result.is_ok() {
                    let _ = sync::sync_now(s, &dir, &transport);
                }
                Some(Update::Enrolled(result))
            }
        };
        if let Some(u) = update
            && updates.send(u).is_err()
        {
            return;
        }
        if let Ok(status) = Status::read(s, &dir)
            && updates.send(Update::Status(Box::new(status))).is_err()
        {
            return;
        }
        ctx.request_repaint();
    }
}

fn key(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).size(size::LABEL).strong());
}

/// The Head office section of the Settings screen.
pub fn head_office_ui(
    ui: &mut egui::Ui,
    view: &HeadOfficeView,
    now: Timestamp,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    ui.add_space(14.0);
    ui.label(
        RichText::new(lang.tr("Head office", "总部"))
            .size(size::SECTION)
            .strong(),
    );
    ui.add_space(4.0);
    let status = view.status.as_ref();
    let enrolled = status.is_some_and(|s| s.enrolled);
    if let Some(s) = status.filter(|s| s.enrolled) {
        egui::Grid::new("settings_head_office")
            .num_columns(2)
            .spacing([18.0, 10.0])
            .show(ui, |ui| {
                key(ui, lang.tr("Store", "门店"));
                let store = format!(
                    "{} · {}",
                    s.store_code.as_deref().unwrap_or(""),
                    s.url.as_deref().unwrap_or("")
                );
                ui.label(RichText::new(store).size(size::READ));
                ui.end_row();
                key(ui, lang.tr("Last sync", "上次同步"));
                let last = s.last_ok.map_or_else(
                    || lang.tr("not yet", "还没有").to_string(),
                    crate::domain::dates::local_minute,
                );
                ui.label(RichText::new(last).size(size::READ));
                ui.end_row();
                key(ui, lang.tr("Waiting to be sent", "待发送"));
                ui.label(RichText::new(s.pending.to_string()).size(size::READ));
                ui.end_row();
                if let Some(e) = &s.last_error {
                    key(ui, lang.tr("Last error", "上次错误"));
                    ui.add(
                        egui::Label::new(
                            RichText::new(e.get(lang)).color(ui.visuals().error_fg_color),
                        )
                        .wrap(),
                    );
                    ui.end_row();
                }
                if let Some(w) = s.clock_skew_ms.and_then(sync::clock_warning) {
                    key(ui, lang.tr("PC clock", "电脑时钟"));
                    ui.add(
                        egui::Label::new(
                            RichText::new(w.get(lang)).color(ui.visuals().warn_fg_color),
                        )
                        .wrap(),
                    );
                    ui.end_row();
                }
            });
        ui.label(RichText::new(s.line(now).get(lang)).size(size::SMALL));
        if ui
            .add_enabled(
                !view.working,
                egui::Button::new(RichText::new(lang.tr("Sync now", "立即同步")).size(size::LABEL)),
            )
            .clicked()
        {
            out.push(SettingsCommand::SyncNow.into());
        }
    } else {
        ui.add(
            egui::Label::new(
                RichText::new(lang.tr(
                    "Connect this till to your head office with its address and the one-time code head office gave you. Records keep working offline; they are sent when the connection is there.",
                    "用总部的地址和总部给您的一次性代码把这台收银机连接到总部。离线时照常记录，有网络时自动发送。",
                ))
                .size(size::READ),
            )
            .wrap(),
        );
        let url_id = egui::Id::unique("head_office_url");
        let code_id = egui::Id::unique("head_office_code");
        let mut url: String = ui.data_mut(|d| d.get_temp(url_id).unwrap_or_default());
        let mut code: String = ui.data_mut(|d| d.get_temp(code_id).unwrap_or_default());
        egui::Grid::new("settings_head_office_enroll")
            .num_columns(2)
            .spacing([18.0, 10.0])
            .show(ui, |ui| {
                let l = ui.label(
                    RichText::new(lang.tr("Address", "地址"))
                        .size(size::LABEL)
                        .strong(),
                );
                ui.add(
                    egui::TextEdit::singleline(&mut url)
                        .hint_text("https://hq.example.cn")
                        .desired_width(320.0),
                )
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label(
                    RichText::new(lang.tr("Code", "代码"))
                        .size(size::LABEL)
                        .strong(),
                );
                ui.add(egui::TextEdit::singleline(&mut code).desired_width(200.0))
                    .labelled_by(l.id);
                ui.end_row();
            });
        let ready = !url.trim().is_empty() && !code.trim().is_empty() && !view.working;
        if ui
            .add_enabled(
                ready,
                egui::Button::new(RichText::new(lang.tr("Enroll", "登记")).size(size::LABEL)),
            )
            .clicked()
        {
            out.push(
                SettingsCommand::Enroll {
                    url: url.trim().to_string(),
                    code: code.trim().to_string(),
                }
                .into(),
            );
        }
        ui.data_mut(|d| {
            d.insert_temp(url_id, url);
            d.insert_temp(code_id, code);
        });
    }
    if view.working {
        ui.label(
            RichText::new(lang.tr("Talking to head office…", "正在连接总部…")).size(size::READ),
        );
    }
    if let Some(o) = &view.outcome
        && !(enrolled && !o.is_error && view.working)
    {
        let text = RichText::new(o.msg.get(lang)).size(size::READ);
        let text = if o.is_error {
            text.color(ui.visuals().error_fg_color)
        } else {
            text
        };
        ui.add(egui::Label::new(text).wrap());
    }
}
