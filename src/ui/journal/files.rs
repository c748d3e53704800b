//! Work that must not freeze the window: file dialogs, exports, PDFs, photo thumbnails and the
//! statistics of a long journal. Each runs on a worker (`Jobs`) and reports back as a `JournalJob`.
//! Workers read and write the journal over a second connection to the store the window opened and
//! checked (`Store::second_connection`); an in-memory store has none to give, so tests use a file.

use super::{Format, JournalState, JournalView, THUMB_SIZE, Thumb, Thumbs, worker_store};
use crate::domain::incident::{Incident, IncidentFilter, IncidentId, JournalStats};
use crate::exchange::journal::{CsvStyle, Exported, export_journal};
use crate::fsx::{Output as OutFile, Replace};
use crate::i18n::{Explain, Lang, Msg};
use crate::print::{self as pdf, IncidentReport, PrintRoute};
use crate::store::Store;
use crate::ui::command::{JournalCommand, ReportScope};
use crate::ui::jobs::{self, Copied, Jobs};
use crate::ui::printing;
use crate::ui::services::Services;
use eframe::egui;
use std::path::{Path, PathBuf};

/// Most incidents one period PDF holds (a larger period is narrowed with the filters first).
pub const MAX_REPORT: usize = 1_000;

/// What a finished background job hands back.
pub enum JournalJob {
    Stats {
        days: u32,
        result: Result<JournalStats, Msg>,
    },
    Thumb {
        id: i64,
        image: Option<egui::ColorImage>,
    },
    /// The open dialog for an attachment closed: attach this file (None: nothing chosen).
    Picked {
        incident: IncidentId,
        path: Option<PathBuf>,
    },
    Exported(Result<(PathBuf, Exported), Msg>),
    /// "PDF…": written to this path, or why not.
    PdfSaved(Result<PathBuf, Msg>),
    /// "Print…": written to `path` and handed to the system (how), or why not.
    Printed {
        path: PathBuf,
        result: Result<PrintRoute, Msg>,
    },
    /// A file copied, hashed, synced and recorded on a worker (see [`Attaching`]).
    Attached {
        incident: IncidentId,
        /// The progress counter of its [`Attaching`], which it ends.
        copied: Copied,
        masked: u64,
        result: Result<crate::domain::incident::Attachment, Msg>,
    },
    Cancelled,
}

impl std::fmt::Debug for JournalJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalJob::Thumb { id, image } => {
                write!(f, "Thumb({id}, {})", image.is_some())
            }
            JournalJob::Stats { days, .. } => write!(f, "Stats({days})"),
            JournalJob::Picked { path, .. } => write!(f, "Picked({path:?})"),
            JournalJob::Exported(r) => write!(f, "Exported({})", r.is_ok()),
            JournalJob::PdfSaved(r) => write!(f, "PdfSaved({})", r.is_ok()),
            JournalJob::Printed { path, .. } => write!(f, "Printed({path:?})"),
            JournalJob::Attached {
                incident, result, ..
            } => write!(f, "Attached({incident}, {})", result.is_ok()),
            JournalJob::Cancelled => write!(f, "Cancelled"),
        }
    }
}

/// Apply a finished job.
pub fn apply(job: JournalJob, state: &mut JournalState, sv: &mut Services<'_>) {
    match job {
        JournalJob::Stats { days, result } => match result {
            Ok(stats) => {
                if days == state.view.stats_days {
                    state.view.stats = Some(stats);
                }
            }
            Err(e) => sv.warn(e),
        },
        JournalJob::Thumb { id, image } => {
            let thumb = match image {
                Some(image) => Thumb::Ready(sv.egui.load_texture(
                    format!("attachment-{id}"),
                    image,
                    egui::TextureOptions::LINEAR,
                )),
                None => Thumb::Failed,
            };
            state.view.thumbs.0.insert(id, thumb);
        }
        JournalJob::Picked { incident, path } => {
            if let Some(path) = path {
                attach_to(state, incident, &path, sv);
            }
        }
        JournalJob::Exported(result) => exported(result, state, sv),
        JournalJob::Attached {
            incident,
            copied,
            masked,
            result,
        } => attached(state, incident, &copied, masked, result, sv),
        JournalJob::PdfSaved(Ok(path)) => {
            let shown = path.display().to_string();
            sv.say(Msg::new(
                format!("Saved the PDF as {shown}."),
                format!("PDF 已保存为 {shown}。"),
            ));
            state.view.last_file = Some(path);
        }
        JournalJob::PdfSaved(Err(e)) => sv.warn(not_made().with(&e)),
        JournalJob::Printed {
            path,
            result: Ok(route),
        } => {
            sv.say(route.explain());
            state.view.last_file = Some(path);
        }
        JournalJob::Printed {
            path,
            result: Err(e),
        } => {
            sv.warn(Msg::new("Not printed:", "未打印：").with(&e));
            if path.is_file() {
                state.view.last_file = Some(path);
            }
        }
        JournalJob::Cancelled => {}
    }
}

fn exported(
    result: Result<(PathBuf, Exported), Msg>,
    state: &mut JournalState,
    sv: &mut Services<'_>,
) {
    if let Ok((path, _)) = &result {
        state.view.last_file = Some(path.clone());
    }
    report_export(result, sv);
}

/// Say what an export wrote; a missing attachment file is a warning (the export still completed).
fn report_export(result: Result<(PathBuf, Exported), Msg>, sv: &mut Services<'_>) {
    match result {
        Ok((path, done)) => {
            let shown = path.display().to_string();
            let n = done.incidents;
            let said = Msg::new(
                format!("Exported {n} incidents to {shown}."),
                format!("已导出 {n} 条故障记录到 {shown}。"),
            );
            if done.missing.is_empty() {
                sv.say(said);
            } else {
                let list = done.missing.join(", ");
                let k = done.missing.len();
                sv.warn(said.with(&Msg::new(
                    format!(
                        "{k} attached files are missing from the attachments folder and were left out: {list}."
                    ),
                    format!("附件文件夹里缺少 {k} 个附件，已略过：{list}。"),
                )));
            }
        }
        Err(e) => sv.warn(Msg::new("Not exported:", "未导出：").with(&e)),
    }
}

fn not_made() -> Msg {
    Msg::new("The PDF was not made:", "PDF 没有生成：")
}

/// Pictures get thumbnails; other files show as names.
pub fn is_picture(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg"].iter().any(|e| lower.ends_with(e))
}

/// Decode the open incident's pictures that have no thumbnail yet, each on a worker.
pub fn start_thumbs(
    jobs: &mut Jobs<JournalJob>,
    thumbs: &mut Thumbs,
    store: &Store,
    incident: &Incident,
    sv: &Services<'_>,
) {
    for a in &incident.attachments {
        if !is_picture(&a.file_name) || thumbs.0.contains_key(&a.id) {
            continue;
        }
        let Some(path) = store.attachment_path(a) else {
            continue;
        };
        thumbs.0.insert(a.id, Thumb::Loading);
        let id = a.id;
        jobs.spawn(sv.egui, move || JournalJob::Thumb {
            id,
            image: thumbnail(&path),
        });
    }
}

/// A picture shrunk to at most [`THUMB_SIZE`] on each side (on the worker).
pub(crate) fn thumbnail(path: &Path) -> Option<egui::ColorImage> {
    let image = image::ImageReader::open(path)
        .ok()?
        .with_guessed_format()
        .ok()?
        .decode()
        .ok()?;
    let small = image.thumbnail(THUMB_SIZE, THUMB_SIZE).to_rgba8();
    let size = [small.width() as usize, small.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        small.as_flat_samples().as_slice(),
    ))
}

/// Read the statistics on a worker, over a second connection to the checked store.
pub fn start_stats(jobs: &mut Jobs<JournalJob>, days: u32, sv: &mut Services<'_>) {
    let Some(store) = sv.data.store() else {
        return;
    };
    let second = worker_store(store, sv.clock.clone());
    jobs.spawn(sv.egui, move || JournalJob::Stats {
        days,
        result: second.and_then(|s| s.journal_stats(days).map_err(|e| e.explain())),
    });
}

/// Attach `path` to the open incident; `None` asks with the open dialog on a worker first.
pub fn attach(state: &mut JournalState, path: Option<PathBuf>, sv: &mut Services<'_>) {
    let Some(incident) = state.view.detail.as_ref().map(|d| d.id) else {
        return;
    };
    match path {
        Some(path) => attach_to(state, incident, &path, sv),
        None => {
            let title = sv
                .lang
                .tr("Attach a photo or file", "添加照片或文件")
                .to_string();
            let all = sv.lang.tr("All files", "所有文件").to_string();
            state.jobs.spawn(sv.egui, move || JournalJob::Picked {
                incident,
                path: jobs::pick_file(&title, (&all, &["*"])),
            });
        }
    }
}

fn attach_to(state: &mut JournalState, incident: IncidentId, path: &Path, sv: &mut Services<'_>) {
    let clock = sv.clock.clone();
    let Some(store) = sv.writable() else {
        return;
    };
    let mut second = match worker_store(store, clock) {
        Ok(second) => second,
        Err(e) => return sv.warn(Msg::new("Not attached:", "未添加：").with(&e)),
    };
    let attaching = Attaching {
        incident,
        name: crate::fsx::file_name(path).unwrap_or_default(),
        copied: Copied::default(),
        size: std::fs::metadata(path).map_or(0, |m| m.len()),
    };
    let copied = attaching.copied.clone();
    let counter = attaching.copied.clone();
    state.view.attaching.push(attaching);
    let path = path.to_path_buf();
    let ctx = sv.egui.clone();
    // The copy, its hash and its sync run on the worker, and so does the row (a second connection:
    // WAL lets the window read meanwhile, and the write waits for the window's own like any other).
    state.jobs.spawn(sv.egui, move || {
        let result =
            second.attach_file_with_progress(incident, &path, &|done, _| counter.set(done, &ctx));
        JournalJob::Attached {
            incident,
            copied,
            masked: second.take_masked(),
            result: result.map_err(|e| e.explain()),
        }
    });
}

/// A file being copied into the data folder on a worker; the window shows how far it is.
#[derive(Debug, Clone)]
pub struct Attaching {
    pub incident: IncidentId,
    pub name: String,
    /// Bytes copied so far, written by the worker.
    pub copied: Copied,
    /// The file's size when the copy started.
    pub size: u64,
}

impl Attaching {
    /// How far the copy is, from 0 to 1.
    pub fn fraction(&self) -> f32 {
        self.copied.fraction(self.size)
    }
}

fn attached(
    state: &mut JournalState,
    incident: IncidentId,
    copied: &Copied,
    masked: u64,
    result: Result<crate::domain::incident::Attachment, Msg>,
    sv: &mut Services<'_>,
) {
    state.view.attaching.retain(|a| a.copied != *copied);
    if let Some(store) = sv.data.store() {
        // The worker's connection masked them; the app tells the clerk from the window's store.
        store.note_masked(masked as usize);
    }
    match result {
        Ok(a) => {
            let name = a.file_name;
            sv.say(Msg::new(
                format!("Attached {name} to incident #{incident}."),
                format!("已把 {name} 添加到故障 #{incident}。"),
            ));
            if state.view.detail.as_ref().is_some_and(|d| d.id == incident) {
                state.open(incident, sv);
            }
        }
        Err(e) => sv.warn(Msg::new("Not attached:", "未添加：").with(&e)),
    }
}

pub fn open_attachment(state: &mut JournalState, id: i64, sv: &mut Services<'_>) {
    let Some(store) = sv.data.store() else {
        return;
    };
    let path = state
        .view
        .detail
        .as_ref()
        .and_then(|d| d.attachments.iter().find(|a| a.id == id))
        .and_then(|a| store.attachment_path(a));
    let Some(path) = path else {
        return;
    };
    if let Err(e) = open::that_detached(&path) {
        let shown = path.display().to_string();
        sv.warn(Msg::new(
            format!("{shown} could not be opened ({e})."),
            format!("无法打开 {shown}（{e}）。"),
        ));
    }
}

fn with_extension(path: PathBuf, format: Format) -> PathBuf {
    if path.extension().is_some() {
        return path;
    }
    path.with_extension(match format {
        Format::Csv => "csv",
        Format::Json => "json",
    })
}

/// Export to `path`, which a save dialog asked about (a name without extension gets one, and that
/// file was not asked about, so it is never replaced).
/// A CSV is written in `lang` (the window's), with times in the PC's time zone as well as UTC.
fn export_now(
    store: &Store,
    path: &Path,
    asked: bool,
    lang: Lang,
) -> Result<(PathBuf, Exported), Msg> {
    let replace = if asked { Replace::Yes } else { Replace::No };
    let data_dir = store.path().and_then(Path::parent);
    let out = OutFile::check(data_dir, path, replace).map_err(|e| e.explain())?;
    export_journal(store, &out, &CsvStyle::local(lang))
        .map(|n| (path.to_path_buf(), n))
        .map_err(|e| e.explain())
}

/// Export the whole journal (CSV with BOM or JSON).
pub fn export(
    jobs: &mut Jobs<JournalJob>,
    path: Option<PathBuf>,
    format: Format,
    sv: &mut Services<'_>,
) {
    let Some(store) = sv.data.store() else {
        sv.writable();
        return;
    };
    let (name, filter): (&str, (&str, &[&str])) = match format {
        Format::Csv => ("journal.csv", ("CSV (Excel)", &["csv"])),
        Format::Json => ("journal.json", ("JSON", &["json"])),
    };
    let file_name = format!("posdesk-{}-{name}", sv.today);
    let title = sv.lang.tr("Export the journal", "导出故障记录").to_string();
    let second = worker_store(store, sv.clock.clone());
    let lang = sv.lang;
    jobs.spawn(sv.egui, move || {
        let Some(path) = path.or_else(|| jobs::save_file(&title, &file_name, &[filter])) else {
            return JournalJob::Cancelled;
        };
        let asked = path.extension().is_some();
        let path = with_extension(path, format);
        JournalJob::Exported(second.and_then(|store| export_now(&store, &path, asked, lang)))
    });
}

/// Where the PDF goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// To this file (else a new file in the data folder), then to the printer or the PDF viewer.
    Print(Option<PathBuf>),
    /// To this file, else where the save dialog says.
    Save(Option<PathBuf>),
}

/// The incidents of the list's filter, whole, newest first (at most [`MAX_REPORT`]).
fn filtered_incidents(store: &Store, filter: &IncidentFilter) -> Result<Vec<Incident>, Msg> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_incidents(filter, after, 200)
            .map_err(|e| e.explain())?;
        for row in page.rows {
            if out.len() >= MAX_REPORT {
                return Ok(out);
            }
            out.push(store.incident(row.id).map_err(|e| e.explain())?);
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(out),
        }
    }
}

/// A period's report: the filter's dates, else the first and last incident's days.
fn period_report(
    lang: Lang,
    filter: &IncidentFilter,
    incidents: Vec<Incident>,
    today: jiff::civil::Date,
) -> IncidentReport {
    let tz = jiff::tz::TimeZone::system();
    let day = |t: jiff::Timestamp| t.to_zoned(tz.clone()).date();
    let newest = incidents.first().map(|i| day(i.occurred_at));
    let oldest = incidents.last().map(|i| day(i.occurred_at));
    let first = filter.from.map(day).or(oldest);
    // `until` is exclusive (the day after the last one typed).
    let last = filter
        .until
        .map(|t| day(t).yesterday().unwrap_or_else(|_| day(t)))
        .or(newest);
    IncidentReport::period(
        lang,
        first.unwrap_or(today),
        last.or(first).unwrap_or(today),
        incidents,
    )
}

/// Build the report and write (and print) it on a worker.
pub fn report(
    jobs: &mut Jobs<JournalJob>,
    view: &JournalView,
    scope: ReportScope,
    output: Output,
    sv: &mut Services<'_>,
) {
    let Some(store) = sv.data.store() else {
        sv.writable();
        return;
    };
    let lang = sv.lang;
    // What the report covers: built here from the incident already read, or read on the worker.
    let source = match scope {
        ReportScope::Incident => match &view.detail {
            Some(i) => Source::Ready(IncidentReport::single(lang, i.clone())),
            None => {
                sv.warn(Msg::new(
                    "Open an incident first.",
                    "请先打开一条故障记录。",
                ));
                return;
            }
        },
        ReportScope::Filtered => Source::Read {
            second: Box::new(worker_store(store, sv.clock.clone())),
            filter: view.filter.clone(),
        },
    };
    let today = sv.today;
    let stamp = sv.clock.now().strftime("%Y%m%dT%H%M%S").to_string();
    let file_name = match (&source, scope) {
        (Source::Ready(r), ReportScope::Incident) => r
            .incidents
            .first()
            .map(|i| format!("incident-{}.pdf", i.id))
            .unwrap_or_else(|| "incident.pdf".into()),
        _ => format!("incidents-{}.pdf", sv.today),
    };
    let build = move || -> Result<IncidentReport, Msg> {
        match source {
            Source::Ready(r) => Ok(r),
            Source::Read { second, filter } => {
                let store = (*second)?;
                let list = filtered_incidents(&store, &filter)?;
                Ok(period_report(lang, &filter, list, today))
            }
        }
    };
    let data_dir = store.path().and_then(Path::parent).map(Path::to_path_buf);
    match output {
        Output::Save(path) => {
            let title = lang.tr("Save as PDF", "保存为 PDF").to_string();
            jobs.spawn(sv.egui, move || {
                let Some(path) =
                    path.or_else(|| jobs::save_file(&title, &file_name, &[("PDF", &["pdf"])]))
                else {
                    return JournalJob::Cancelled;
                };
                JournalJob::PdfSaved(
                    build()
                        .and_then(|r| write_pdf(&r, data_dir.as_deref(), &path))
                        .map(|()| path),
                )
            });
        }
        Output::Print(path) => {
            let folder = printing::print_folder(store);
            let path = path.unwrap_or_else(|| folder.join(format!("incident-{stamp}.pdf")));
            jobs.spawn(sv.egui, move || {
                if let Err(e) = build().and_then(|r| write_pdf(&r, data_dir.as_deref(), &path)) {
                    return JournalJob::Printed {
                        path,
                        result: Err(e),
                    };
                }
                printing::tidy(&folder, "incident-");
                let result = pdf::hand_to_system(&path).map_err(|e| e.explain());
                JournalJob::Printed { path, result }
            });
        }
    }
}

enum Source {
    Ready(IncidentReport),
    /// Read on the worker, over a second connection to the store (or why there is none).
    Read {
        second: Box<Result<Store, Msg>>,
        filter: IncidentFilter,
    },
}

fn write_pdf(report: &IncidentReport, data_dir: Option<&Path>, path: &Path) -> Result<(), Msg> {
    if report.incidents.is_empty() {
        return Err(Msg::new(
            "no incident matches the filters.",
            "没有符合条件的故障记录。",
        ));
    }
    let bytes = pdf::render_incidents(report).map_err(|e| e.explain())?;
    printing::write_file(data_dir, path, &bytes)
}

/// The Export / print menu.
pub fn menu_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    if ui
        .button(lang.tr("Export all as CSV (Excel)…", "全部导出为 CSV（Excel）…"))
        .clicked()
    {
        push(JournalCommand::ExportCsv(None));
    }
    if ui
        .button(lang.tr("Export all as JSON…", "全部导出为 JSON…"))
        .clicked()
    {
        push(JournalCommand::ExportJson(None));
    }
    ui.separator();
    let (pdf, print) = if view.filtered() {
        (
            lang.tr("PDF of the filtered incidents…", "筛选结果的 PDF…"),
            lang.tr("Print the filtered incidents…", "打印筛选结果…"),
        )
    } else {
        (
            lang.tr("PDF of the journal…", "故障记录 PDF…"),
            lang.tr("Print the journal…", "打印故障记录…"),
        )
    };
    if ui.button(pdf).clicked() {
        push(JournalCommand::SavePdf {
            scope: ReportScope::Filtered,
            path: None,
        });
    }
    if ui.button(print).clicked() {
        push(JournalCommand::Print {
            scope: ReportScope::Filtered,
            path: None,
        });
    }
    if let Some(path) = &view.last_file {
        ui.separator();
        let shown = path.display().to_string();
        ui.label(
            egui::RichText::new(crate::trf!(
                lang,
                "Last file: {shown}",
                "上一个文件：{shown}"
            ))
            .weak(),
        );
    }
}
