//! Printed checklists: the sheet is read from the store here on the UI thread (a few quick queries),
//! the PDF is drawn and written on a worker (`Jobs`), and "Print…" hands the file to the system
//! from that worker too, so the window never waits.

use super::{MaintenanceCommand, MaintenanceView};
use crate::domain::maintenance::{SheetSpan, TerminalId};
use crate::i18n::{Explain, Label, Lang, Msg};
use crate::print::{self as pdf, ChecklistSheet, Paper, PrintRoute};
use crate::store::Store;
use crate::ui::jobs::{self, Jobs};
use crate::ui::printing;
use crate::ui::services::Services;
use crate::ui::theme::size;
use eframe::egui::{self, RichText};
use std::path::{Path, PathBuf};

/// What a finished background job (a PDF written) hands back.
#[derive(Debug)]
pub enum PrintJob {
    /// "Save as PDF…": written to this path, or why not.
    Saved(Result<PathBuf, Msg>),
    /// "Print…": written to `path` and handed to the system (how), or why not.
    Printed {
        path: PathBuf,
        result: Result<PrintRoute, Msg>,
    },
    /// The clerk closed the save dialog without choosing.
    Cancelled,
    /// Not a print: the photo chosen for the done form (`None`: none chosen). The screen's one
    /// worker queue carries it.
    Photo(Option<PathBuf>),
    /// Not a print: the photo of a recorded done, copied into the data folder and kept with it (or
    /// why not), and how many card numbers its name had masked.
    PhotoKept {
        event: crate::domain::maintenance::EventId,
        /// What was done, for what is said ("Check the receipt paper on Till 2").
        what: Msg,
        masked: u64,
        result: Result<crate::domain::incident::Attachment, Msg>,
    },
    /// Not a print: a history photo's thumbnail, decoded (`None`: not a picture it can read).
    Thumb {
        id: i64,
        image: Option<egui::ColorImage>,
    },
}

/// Where the PDF goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// To this file (else a new file in the data folder), then to the printer or the PDF viewer.
    Print(Option<PathBuf>),
    /// To this file, else where the save dialog says.
    Save(Option<PathBuf>),
}

/// The checklist for one terminal or all in service, over `span`, in `lang` (the same sheet as
/// `posdesk print checklist`).
fn checklist_sheet(
    store: &Store,
    terminal: Option<TerminalId>,
    span: SheetSpan,
    lang: Lang,
) -> crate::store::Result<ChecklistSheet> {
    let lines = store.sheet_lines(terminal, span)?;
    let terminals = store.terminals(false)?;
    Ok(pdf::sheet::checklist_sheet(lines, &terminals, span, lang))
}

/// Read the sheet and start writing it on a worker.
pub fn start(
    jobs: &mut Jobs<PrintJob>,
    view: &MaintenanceView,
    output: Output,
    sv: &mut Services<'_>,
) {
    let Some(store) = sv.data.store() else {
        sv.writable();
        return;
    };
    let lang = sv.lang;
    let span = if view.sheet_week {
        SheetSpan::Week(sv.today)
    } else {
        SheetSpan::Day(sv.today)
    };
    let sheet = match checklist_sheet(store, view.sheet_terminal, span, lang) {
        Ok(sheet) => sheet,
        Err(e) => {
            sv.warn(not_made().with(&e.explain()));
            return;
        }
    };
    if sheet.terminals.is_empty() {
        sv.warn(Msg::new(
            "Nothing to print: no terminal in service has a task on these days.",
            "没有可打印的内容：这几天没有在用终端的维护任务。",
        ));
        return;
    }
    let paper = view.paper;
    let data_dir = store.path().and_then(Path::parent).map(Path::to_path_buf);
    match output {
        Output::Save(path) => {
            let days = if view.sheet_week { "-week" } else { "" };
            let file_name = format!("checklist-{}{days}-{}.pdf", span.first(), paper.id());
            let title = lang.tr("Save the checklist as PDF", "把检查表保存为 PDF");
            jobs.spawn(sv.egui, move || {
                let path =
                    path.or_else(|| jobs::save_file(title, &file_name, &[("PDF", &["pdf"])]));
                match path {
                    Some(path) => PrintJob::Saved(
                        write_pdf(&sheet, paper, data_dir.as_deref(), &path).map(|()| path),
                    ),
                    None => PrintJob::Cancelled,
                }
            });
        }
        Output::Print(path) => {
            let folder = printing::print_folder(store);
            let stamp = sv.clock.now().strftime("%Y%m%dT%H%M%S").to_string();
            let path = path.unwrap_or_else(|| folder.join(format!("checklist-{stamp}.pdf")));
            jobs.spawn(sv.egui, move || {
                if let Err(e) = write_pdf(&sheet, paper, data_dir.as_deref(), &path) {
                    return PrintJob::Printed {
                        path,
                        result: Err(e),
                    };
                }
                printing::tidy(&folder, "checklist-");
                let result = pdf::hand_to_system(&path).map_err(|e| e.explain());
                PrintJob::Printed { path, result }
            });
        }
    }
}

/// Report a finished job on the status line.
pub fn apply(job: PrintJob, view: &mut MaintenanceView, sv: &mut Services<'_>) {
    match job {
        PrintJob::Saved(Ok(path)) => {
            let shown = path.display().to_string();
            sv.say(Msg::new(
                format!("Saved the checklist as {shown}."),
                format!("检查表已保存为 {shown}。"),
            ));
            view.last_pdf = Some(path);
        }
        PrintJob::Saved(Err(e)) => sv.warn(not_made().with(&e)),
        PrintJob::Printed {
            path,
            result: Ok(route),
        } => {
            sv.say(route.explain());
            view.last_pdf = Some(path);
        }
        PrintJob::Printed {
            path,
            result: Err(e),
        } => {
            sv.warn(Msg::new("Not printed:", "未打印：").with(&e));
            if path.is_file() {
                view.last_pdf = Some(path);
            }
        }
        PrintJob::Cancelled
        | PrintJob::Photo(_)
        | PrintJob::PhotoKept { .. }
        | PrintJob::Thumb { .. } => {}
    }
}

fn not_made() -> Msg {
    Msg::new("The checklist was not made:", "检查表没有生成：")
}

/// Draw and write the PDF (on the worker).
fn write_pdf(
    sheet: &ChecklistSheet,
    paper: Paper,
    data_dir: Option<&Path>,
    path: &Path,
) -> Result<(), Msg> {
    let bytes = pdf::render_checklist(sheet, paper).map_err(|e| e.explain())?;
    printing::write_file(data_dir, path, &bytes)
}

pub fn print_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.heading(lang.tr("Print checklists", "打印检查表"));
    ui.label(
        RichText::new(lang.tr(
            "Staff tick the boxes by hand. Each task has a barcode: scan it with the till's scanner, on any screen, and the task is recorded. A week sheet has one barcode per task: it records the day it is scanned.",
            "员工在纸上逐项打勾。每项任务都有条码：在任何页面用收银台的扫码枪扫一下，就会记录为已完成。周检查表每项任务一个条码，记为扫描当天完成。",
        ))
        .size(size::SMALL)
        .weak(),
    );
    ui.add_space(8.0);
    let in_service: Vec<_> = view.terminals.iter().filter(|t| !t.is_archived()).collect();
    egui::Grid::new("print_options")
        .num_columns(2)
        .spacing([16.0, 12.0])
        .show(ui, |ui| {
            let label = ui.label(RichText::new(lang.tr("Terminals", "终端")).strong());
            let all = lang.tr("All terminals", "全部终端");
            let shown = view
                .sheet_terminal
                .and_then(|id| in_service.iter().find(|t| t.id == id))
                .map(|t| t.info.name.as_str())
                .unwrap_or(all);
            egui::ComboBox::from_id_salt("sheet_terminal")
                .selected_text(shown)
                .width(260.0)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(view.sheet_terminal.is_none(), all)
                        .clicked()
                    {
                        push(MaintenanceCommand::SetSheetTerminal(None));
                    }
                    for t in &in_service {
                        if ui
                            .selectable_label(view.sheet_terminal == Some(t.id), &t.info.name)
                            .clicked()
                        {
                            push(MaintenanceCommand::SetSheetTerminal(Some(t.id)));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            ui.label(RichText::new(lang.tr("Days", "日期")).strong());
            ui.horizontal_wrapped(|ui| {
                if ui
                    .radio(!view.sheet_week, lang.tr("Today", "今天"))
                    .clicked()
                {
                    push(MaintenanceCommand::SetSheetWeek(false));
                }
                ui.add_space(12.0);
                if ui
                    .radio(
                        view.sheet_week,
                        lang.tr("This week (7 days)", "本周（7 天）"),
                    )
                    .clicked()
                {
                    push(MaintenanceCommand::SetSheetWeek(true));
                }
            });
            ui.end_row();

            ui.label(RichText::new(lang.tr("Paper", "纸张")).strong());
            ui.horizontal_wrapped(|ui| {
                for paper in Paper::ALL {
                    if ui.radio(view.paper == *paper, paper.text(lang)).clicked() {
                        push(MaintenanceCommand::SetPaper(*paper));
                    }
                    ui.add_space(12.0);
                }
            });
            ui.end_row();
        });
    ui.add_space(12.0);
    ui.horizontal_wrapped(|ui| {
        let button = |text: &'static str| {
            egui::Button::new(RichText::new(text).size(size::SECTION).strong())
                .min_size(egui::vec2(180.0, 52.0))
        };
        if ui.add(button(lang.tr("Print…", "打印…"))).clicked() {
            push(MaintenanceCommand::Print(None));
        }
        if ui
            .add(button(lang.tr("Save as PDF…", "保存为 PDF…")))
            .clicked()
        {
            push(MaintenanceCommand::SaveAsPdf(None));
        }
    });
    if let Some(path) = &view.last_pdf {
        ui.add_space(8.0);
        let shown = path.display().to_string();
        ui.add(
            egui::Label::new(
                RichText::new(crate::trf!(
                    lang,
                    "Last checklist: {shown}",
                    "上一份检查表：{shown}"
                ))
                .weak(),
            )
            .wrap(),
        );
    }
}
