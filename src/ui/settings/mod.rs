//! The Settings screen: where the data lives, its backups, and restoring one; and the offer shown on
//! every screen when the data file is damaged. `SettingsState::handle` is the only place that changes
//! it; the drawing (`view`) reads `SettingsView`. Backups and restores run on a worker over a second
//! connection to the same file (WAL lets the window keep reading meanwhile); the window reloads
//! everything after a restore.

mod head_office;
mod view;

pub use head_office::{HeadOfficeView, head_office_ui};
pub use view::{damaged_ui, settings_ui};

use super::command::{SettingsCommand, ShellCommand};
use super::jobs::{self, Jobs};
use super::services::{Data, Services};
use crate::domain::dates::local_minute;
use crate::i18n::{Explain, Lang, Msg};
use crate::store::backup::{backup_files, backups_dir};
use crate::store::{BackupInfo, BackupSummary, LastBackup, Recovered, Store};
use jiff::Timestamp;
use std::path::{Path, PathBuf};

/// Where the data lives and what is known of its backups, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataInfo {
    /// The data folder (absent for data kept in memory, or when no folder was found).
    pub folder: Option<PathBuf>,
    pub db_file: Option<PathBuf>,
    /// Absent when the data could not be opened.
    pub schema_version: Option<u32>,
    pub last_backup: Option<LastBackup>,
    pub backups_dir: Option<PathBuf>,
    /// Backup files in `backups/` now.
    pub backups_kept: usize,
}

/// What runs in the background now; the screen says so and waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Working {
    BackingUp,
    /// Choosing a backup file and reading what it holds.
    Reading,
    Restoring,
}

/// The last outcome, kept on the screen after the status line has gone.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub msg: Msg,
    pub is_error: bool,
}

#[derive(Debug, Default)]
pub struct SettingsView {
    pub info: DataInfo,
    pub working: Option<Working>,
    /// The backup the clerk chose and is being asked about (the second step of a restore).
    pub pending: Option<BackupSummary>,
    pub outcome: Option<Outcome>,
    pub head_office: HeadOfficeView,
}

/// What a finished worker hands back.
enum Job {
    BackedUp(Result<BackupInfo, Msg>),
    Read(Result<BackupSummary, Msg>),
    /// Restored over the open data: where the data as it was before was copied.
    Restored(Result<PathBuf, Msg>),
    /// Restored into a new file after damage.
    Recovered(Box<Result<Recovered, Msg>>),
    /// The clerk closed the file dialog without choosing.
    Cancelled,
}

#[derive(Default)]
pub struct SettingsState {
    pub view: SettingsView,
    jobs: Jobs<Job>,
    /// The start-up daily backup: apart from `jobs`, because it shows nothing unless it fails.
    daily: Jobs<Result<Option<PathBuf>, Msg>>,
    /// The head-office sync worker.
    head_office: head_office::HeadOffice,
}

/// A time as the clerk reads it: local, to the minute ("2026-12-01 14:05").
impl SettingsState {
    pub fn new() -> SettingsState {
        SettingsState::default()
    }

    pub fn busy(&self) -> bool {
        self.jobs.running() > 0
    }

    /// The day's first backup is still being written (it records itself in the data file).
    pub fn daily_busy(&self) -> bool {
        self.daily.running() > 0
    }

    /// At start: the day's first backup, on a worker over a second connection. Says nothing unless
    /// it fails.
    pub fn start_daily_backup(&mut self, sv: &Services<'_>) {
        let Some(store) = sv.data.store().filter(|s| s.path().is_some()) else {
            return;
        };
        let second = store
            .second_connection()
            .map(|s| s.with_clock(sv.clock.clone()));
        self.daily.spawn(sv.egui, move || {
            second
                .and_then(|s| s.daily_backup())
                .map_err(|e| e.explain())
        });
    }

    /// At start: the head-office sync worker (it syncs every minute when something waits and
    /// the till is enrolled; otherwise it only reports the status).
    pub fn start_sync(&mut self, sv: &Services<'_>) {
        if let Some(path) = sv.data.store().and_then(|s| s.path()) {
            self.head_office.start(path, sv.clock.clone(), sv.egui);
        }
    }

    /// "Synced 2 min ago · 0 waiting", once the till is enrolled.
    pub fn sync_line(&self, now: Timestamp) -> Option<Msg> {
        self.view.head_office.line(now)
    }

    /// Read where the data lives and its last backup again.
    pub fn refresh(&mut self, sv: &mut Services<'_>) {
        let mut info = DataInfo::default();
        match &*sv.data {
            Data::Open(store) => {
                info.db_file = store.path().map(Path::to_path_buf);
                info.folder = store.path().and_then(Path::parent).map(Path::to_path_buf);
                info.schema_version = store.schema_version().ok();
                info.backups_dir = store.backups_dir();
                match store.last_backup() {
                    Ok(last) => info.last_backup = last,
                    Err(e) => sv.warn(e.explain()),
                }
            }
            Data::Damaged(d) => {
                info.folder = Some(d.dir.clone());
                info.db_file = Some(d.dir.join(crate::store::DB_FILE));
                info.backups_dir = Some(backups_dir(&d.dir));
            }
            Data::Unavailable { dir, .. } | Data::Checking { dir, .. } => {
                info.folder = dir.clone();
                info.backups_dir = dir.as_deref().map(backups_dir);
            }
        }
        info.backups_kept = info
            .folder
            .as_deref()
            .map_or(0, |dir| backup_files(dir).len());
        self.view.info = info;
    }

    pub fn finish_jobs(&mut self, sv: &mut Services<'_>) {
        for result in self.daily.finished() {
            if let Err(msg) = result {
                sv.warn(
                    Msg::new(
                        "Today's automatic backup could not be written. Your data is safe, but has no new backup.",
                        "今天的自动备份没能写入。数据本身没有问题，只是没有新的备份。",
                    )
                    .with(&msg),
                );
            }
            self.refresh(sv);
        }
        for job in self.jobs.finished() {
            self.view.working = None;
            self.apply(job, sv);
        }
        for (msg, is_error) in self.head_office.finish(&mut self.view.head_office) {
            if is_error {
                sv.warn(msg);
            } else {
                sv.say(msg);
            }
        }
    }

    fn tell(&mut self, sv: &mut Services<'_>, msg: Msg, is_error: bool) {
        if is_error {
            sv.warn(msg.clone());
        } else {
            sv.say(msg.clone());
        }
        self.view.outcome = Some(Outcome { msg, is_error });
    }

    fn apply(&mut self, job: Job, sv: &mut Services<'_>) {
        match job {
            Job::BackedUp(Ok(info)) => {
                let (path, at) = (info.path.display(), local_minute(info.made_at));
                self.tell(
                    sv,
                    Msg::new(
                        format!("Backed up at {at} to {path}."),
                        format!("已于 {at} 备份到 {path}。"),
                    ),
                    false,
                );
            }
            Job::BackedUp(Err(msg)) => {
                let head = Msg::new("The backup was not written:", "备份没有写入：");
                self.tell(sv, head.with(&msg), true);
            }
            Job::Read(Ok(summary)) => {
                self.view.outcome = None;
                self.view.pending = Some(summary);
            }
            Job::Read(Err(msg)) => {
                let head = Msg::new(
                    "This file cannot be restored; nothing was changed.",
                    "这个文件不能用来恢复；没有做任何更改。",
                );
                self.tell(sv, head.with(&msg), true);
            }
            Job::Restored(Ok(aside)) => {
                let what = self.view.pending.take().map(|s| s.describe());
                sv.send(ShellCommand::DataReplaced);
                let aside = aside.display();
                let mut msg = Msg::new(
                    format!(
                        "The backup was restored. Your data as it was just before is kept at {aside}."
                    ),
                    format!("备份已恢复。恢复之前的数据保存在 {aside}。"),
                );
                if let Some(what) = what {
                    msg = Msg::new(format!("{} ({})", msg.en, what.en), msg.zh + &what.zh);
                }
                self.tell(sv, msg, false);
            }
            Job::Restored(Err(msg)) => {
                self.view.pending = None;
                let head = Msg::new("The restore did not happen:", "没有恢复：");
                self.tell(sv, head.with(&msg), true);
            }
            Job::Recovered(result) => match *result {
                Ok(recovered) => {
                    self.view.pending = None;
                    let kept = recovered
                        .damaged_copy
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    *sv.data = Data::Open(recovered.store);
                    sv.send(ShellCommand::DataReplaced);
                    // The recovered data has no backup of its own yet.
                    self.start_daily_backup(sv);
                    self.tell(
                        sv,
                        Msg::new(
                            format!(
                                "The backup was restored and posdesk can save again. The damaged file is kept at {kept}."
                            ),
                            format!("备份已恢复，posdesk 可以重新保存。损坏的文件保存在 {kept}。"),
                        ),
                        false,
                    );
                }
                Err(msg) => {
                    self.view.pending = None;
                    let head = Msg::new(
                        "The backup could not be restored; nothing was deleted:",
                        "备份没能恢复；没有删除任何内容：",
                    );
                    self.tell(sv, head.with(&msg), true);
                }
            },
            Job::Cancelled => {}
        }
        self.refresh(sv);
    }

    /// Apply one command. Errors become a status line and a line on the screen; nothing fails
    /// silently.
    pub fn handle(&mut self, command: SettingsCommand, sv: &mut Services<'_>) {
        let lang = sv.lang;
        match command {
            SettingsCommand::Refresh => self.refresh(sv),
            SettingsCommand::Copy(text) => {
                sv.egui.copy_text(text);
                sv.say(Msg::new("Copied.", "已复制。"));
            }
            SettingsCommand::SyncNow => self.head_office.sync_now(&mut self.view.head_office),
            SettingsCommand::Enroll { url, code } => {
                self.head_office
                    .enroll(&mut self.view.head_office, url, code)
            }
            SettingsCommand::Escape { .. } | SettingsCommand::CancelRestore => {
                self.view.pending = None;
            }
            SettingsCommand::BackUpTo(dest) => {
                let Some(second) = self.ready(sv) else {
                    return;
                };
                let title = lang.tr("Back up posdesk's data", "备份 posdesk 的数据");
                let name = format!("posdesk-backup-{}.sqlite3", sv.today);
                self.view.working = Some(Working::BackingUp);
                self.jobs.spawn(sv.egui, move || {
                    let filter: (&str, &[&str]) = ("posdesk backup", &["sqlite3"]);
                    match dest.or_else(|| jobs::save_file(title, &name, &[filter])) {
                        Some(dest) => {
                            Job::BackedUp(second.backup_to(&dest).map_err(|e| e.explain()))
                        }
                        None => Job::Cancelled,
                    }
                });
            }
            SettingsCommand::BackUpToFolder => {
                let Some(second) = self.ready(sv) else {
                    return;
                };
                self.view.working = Some(Working::BackingUp);
                self.jobs.spawn(sv.egui, move || {
                    Job::BackedUp(second.backup_now().map_err(|e| e.explain()))
                });
            }
            SettingsCommand::ChooseRestore(file) => {
                if self.is_working(sv) {
                    return;
                }
                if matches!(sv.data, Data::Unavailable { .. }) {
                    sv.writable();
                    return;
                }
                let title = lang.tr("Choose a posdesk backup", "选择 posdesk 备份");
                self.view.pending = None;
                self.view.working = Some(Working::Reading);
                self.jobs.spawn(sv.egui, move || {
                    let filter: (&str, &[&str]) = ("posdesk backup", &["sqlite3"]);
                    match file.or_else(|| jobs::pick_file(title, filter)) {
                        Some(file) => {
                            Job::Read(crate::store::backup_summary(&file).map_err(|e| e.explain()))
                        }
                        None => Job::Cancelled,
                    }
                });
            }
            SettingsCommand::ConfirmRestore => {
                let Some(backup) = self.view.pending.as_ref().map(|s| s.path.clone()) else {
                    return;
                };
                self.restore(backup, sv);
            }
            SettingsCommand::RecoverDamaged => {
                let Some(backup) = sv
                    .data
                    .damaged()
                    .and_then(|d| d.backup.as_ref())
                    .map(|b| b.path.clone())
                else {
                    return;
                };
                self.restore(backup, sv);
            }
        }
    }

    /// Replace the data with `backup` on a worker: over the open data (copied aside first), or into
    /// a new file when the data is damaged (the damaged file is moved aside, never deleted).
    fn restore(&mut self, backup: PathBuf, sv: &mut Services<'_>) {
        if self.is_working(sv) {
            return;
        }
        let clock = sv.clock.clone();
        match &*sv.data {
            Data::Damaged(d) => {
                let dir = d.dir.clone();
                self.view.working = Some(Working::Restoring);
                self.jobs.spawn(sv.egui, move || {
                    Job::Recovered(Box::new(
                        Store::recover_from_backup(&dir, &backup, clock).map_err(|e| e.explain()),
                    ))
                });
            }
            Data::Open(_) => {
                let Some(second) = self.ready(sv) else {
                    return;
                };
                self.view.working = Some(Working::Restoring);
                self.jobs.spawn(sv.egui, move || {
                    Job::Restored({
                        let mut second = second;
                        second.restore_from(&backup).map_err(|e| e.explain())
                    })
                });
            }
            Data::Unavailable { .. } | Data::Checking { .. } => {
                sv.writable();
            }
        }
    }

    /// Nothing else running; says so when something is.
    fn is_working(&mut self, sv: &mut Services<'_>) -> bool {
        if self.view.working.is_some() {
            sv.warn(Msg::new(
                "Please wait: posdesk is still working on the last backup or restore.",
                "请稍等：posdesk 还在处理上一次备份或恢复。",
            ));
            return true;
        }
        false
    }

    /// The data file and clock for a worker's second connection, when the data is open in a folder.
    fn ready(&mut self, sv: &mut Services<'_>) -> Option<Store> {
        if self.is_working(sv) {
            return None;
        }
        let store = sv.writable()?;
        match store.second_connection() {
            Ok(second) => Some(second.with_clock(sv.clock.clone())),
            Err(e) => {
                sv.warn(e.explain());
                None
            }
        }
    }
}

impl SettingsView {
    /// The words for what is running now.
    pub fn working_text(&self, lang: Lang) -> Option<&'static str> {
        self.working.map(|w| match w {
            Working::BackingUp => lang.tr("Backing up…", "正在备份…"),
            Working::Reading => lang.tr("Reading the backup…", "正在读取备份…"),
            Working::Restoring => lang.tr("Restoring…", "正在恢复…"),
        })
    }
}
