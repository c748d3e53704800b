//! How the window draws, and what happens when a PC's graphics cannot start it.
//!
//! Old till PCs have weak or missing DirectX 12 / Vulkan drivers (and Wine has none under Xvfb):
//! wgpu then finds no adapter, or its device is lost as it starts ("Parent device is lost"), and
//! `eframe::run_native` returns an error. posdesk tries the ways to draw in order, wgpu's default
//! backend, wgpu over OpenGL, then eframe's own OpenGL renderer (glow), and only when none opens
//! a window does it say so (a message box, and stderr). What worked is kept in `renderer.txt` in
//! the data folder (not in `app.ron`: that file is eframe's and holds preferences) and tried first
//! next time; when it stops working, the others are tried again.
//!
//! Each attempt runs in a child posdesk process (`POSDESK_RENDERER_ATTEMPT`): some drivers do not
//! return an error but abort the process (Wine's vkd3d fails an assertion when it has no Vulkan), and
//! only a child can die of that while the parent goes on to the next renderer. Should the parent
//! itself die, the file still says it was `trying` that renderer, and the next start tries it last.

use crate::i18n::{Label, Lang, Msg};
use eframe::egui;
use std::path::{Path, PathBuf};

/// A way to draw the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RendererChoice {
    /// wgpu picking its best backend: DirectX 12 or Vulkan on Windows, Vulkan or OpenGL on Linux.
    Wgpu,
    /// wgpu restricted to its OpenGL backend.
    WgpuGl,
    /// eframe's glow renderer: plain OpenGL, the oldest drivers manage it.
    Glow,
}

crate::labels!(RendererChoice {
    Wgpu => ("wgpu (DirectX 12 / Vulkan / Metal)", "wgpu（DirectX 12 / Vulkan / Metal）"),
    WgpuGl => ("wgpu over OpenGL", "wgpu（OpenGL）"),
    Glow => ("OpenGL (glow, for older graphics)", "OpenGL（glow，适合较旧的显卡）"),
});

/// The order a PC with no memory of its renderer tries them in: fastest first.
pub const ORDER: [RendererChoice; 3] = [
    RendererChoice::Wgpu,
    RendererChoice::WgpuGl,
    RendererChoice::Glow,
];

/// The file in the data folder that remembers the renderer.
pub const MEMORY_FILE: &str = "renderer.txt";

/// Forces one renderer, for support staff: `wgpu`, `wgpu-gl` or `glow` (no fallback then).
pub const RENDERER_ENV: &str = "POSDESK_RENDERER";

impl RendererChoice {
    /// The name in `renderer.txt` and in `POSDESK_RENDERER`.
    pub fn key(self) -> &'static str {
        match self {
            RendererChoice::Wgpu => "wgpu",
            RendererChoice::WgpuGl => "wgpu-gl",
            RendererChoice::Glow => "glow",
        }
    }

    pub fn from_key(key: &str) -> Option<RendererChoice> {
        ORDER.into_iter().find(|c| c.key() == key.trim())
    }

    /// eframe's options for drawing this way; everything else stays as `base` has it.
    pub fn apply(self, mut options: eframe::NativeOptions) -> eframe::NativeOptions {
        options.renderer = match self {
            RendererChoice::Wgpu | RendererChoice::WgpuGl => eframe::Renderer::Wgpu,
            RendererChoice::Glow => eframe::Renderer::Glow,
        };
        if self == RendererChoice::WgpuGl
            && let eframe::egui_wgpu::WgpuSetup::CreateNew(setup) =
                &mut options.wgpu_options.wgpu_setup
        {
            setup.instance_descriptor.backends = eframe::wgpu::Backends::GL;
        }
        options
    }
}

/// What `renderer.txt` remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RendererMemory {
    /// The renderer that last drew a frame.
    pub works: Option<RendererChoice>,
    /// The renderer a start was trying and had not yet drawn a frame with; still set at the next
    /// start when that one died before its first frame.
    pub trying: Option<RendererChoice>,
}

impl RendererMemory {
    /// Read `key = value` lines; anything unknown or damaged is ignored (the file is only a hint).
    pub fn parse(text: &str) -> RendererMemory {
        let mut memory = RendererMemory::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let choice = RendererChoice::from_key(value);
            match key.trim() {
                "works" => memory.works = choice,
                "trying" => memory.trying = choice,
                _ => {}
            }
        }
        memory
    }

    pub fn to_text(&self) -> String {
        let mut text = String::from(
            "# posdesk: the way its window last managed to draw (see Settings).\n\
             # Delete this file to make posdesk try the fastest way first again.\n",
        );
        if let Some(works) = self.works {
            text.push_str(&format!("works = {}\n", works.key()));
        }
        if let Some(trying) = self.trying {
            text.push_str(&format!("trying = {}\n", trying.key()));
        }
        text
    }

    /// The memory in `path`; none when the file is missing or unreadable.
    pub fn load(path: &Path) -> RendererMemory {
        std::fs::read_to_string(path)
            .map(|t| RendererMemory::parse(&t))
            .unwrap_or_default()
    }

    /// The renderers to try, in order: `forced` alone; else the one that worked last, then the rest
    /// fastest first, with one that died before its first frame last time moved to the end.
    pub fn attempt_order(&self, forced: Option<RendererChoice>) -> Vec<RendererChoice> {
        if let Some(forced) = forced {
            return vec![forced];
        }
        let mut order: Vec<RendererChoice> = self.works.into_iter().chain(ORDER).collect();
        let mut seen = Vec::new();
        order.retain(|c| {
            let first = !seen.contains(c);
            seen.push(*c);
            first
        });
        if let Some(died) = self.trying
            && let Some(at) = order.iter().position(|c| *c == died)
        {
            let died = order.remove(at);
            order.push(died);
        }
        order
    }
}

/// Where the memory is kept, and writing it. Without a data folder nothing is remembered.
#[derive(Debug, Clone)]
pub struct RendererStore {
    path: Option<PathBuf>,
}

impl RendererStore {
    pub fn in_dir(dir: Option<&Path>) -> RendererStore {
        RendererStore {
            path: dir.map(|d| d.join(MEMORY_FILE)),
        }
    }

    pub fn load(&self) -> RendererMemory {
        self.path
            .as_deref()
            .map(RendererMemory::load)
            .unwrap_or_default()
    }

    /// Write the memory. Failing to is not worth stopping the window for: it is said on stderr.
    pub fn save(&self, memory: &RendererMemory) {
        let Some(path) = &self.path else {
            return;
        };
        // The folder may not exist yet on a first start (the store creates it a moment later).
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(e) = std::fs::write(path, memory.to_text()) {
            eprintln!(
                "posdesk: could not remember the renderer in {}: {e}",
                path.display()
            );
        }
    }
}

/// The renderer forced through `POSDESK_RENDERER`, if any (an unknown name is said and ignored).
pub fn forced_from_env() -> Option<RendererChoice> {
    let value = std::env::var(RENDERER_ENV).ok()?;
    if value.trim().is_empty() {
        return None;
    }
    let choice = RendererChoice::from_key(&value);
    if choice.is_none() {
        eprintln!(
            "posdesk: {RENDERER_ENV}={value} is not one of wgpu, wgpu-gl, glow; trying them in order"
        );
    }
    choice
}

/// Set on the child posdesk that tries one renderer (its value is the renderer's key).
pub const ATTEMPT_ENV: &str = "POSDESK_RENDERER_ATTEMPT";

/// Passes the renderers that failed before to the child, for Settings: `key<TAB>error` lines.
pub const FAILED_ENV: &str = "POSDESK_RENDERER_FAILED";

/// The renderer this process was started to try, when it is such a child.
pub fn attempt_from_env() -> Option<RendererChoice> {
    RendererChoice::from_key(&std::env::var(ATTEMPT_ENV).ok()?)
}

/// How a child attempt ended.
#[derive(Debug)]
pub struct ChildOutcome {
    pub success: bool,
    /// The child's last words on stderr, or its exit status.
    pub error: String,
}

/// Run this program again, drawing with `choice`, and wait for it. Its stderr is passed on.
pub fn run_child(
    choice: RendererChoice,
    failed_before: &[RendererFailure],
) -> std::io::Result<ChildOutcome> {
    use std::io::Write;
    let exe = std::env::current_exe()?;
    let output = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(ATTEMPT_ENV, choice.key())
        .env(FAILED_ENV, failures_text(failed_before))
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()?;
    let _ = std::io::stderr().write_all(&output.stderr);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error = last_words(&stderr).unwrap_or_else(|| output.status.to_string());
    Ok(ChildOutcome {
        success: output.status.success(),
        error,
    })
}

/// The last line worth showing from a failed child's stderr.
pub fn last_words(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .map(str::trim)
        .rev()
        .find(|l| !l.is_empty() && !l.starts_with("note:") && !l.starts_with("stack backtrace"))
        .map(|l| l.strip_prefix("posdesk: ").unwrap_or(l).to_string())
}

/// The failures as passed to the next child: `key<TAB>error` lines.
pub fn failures_text(failures: &[RendererFailure]) -> String {
    failures
        .iter()
        .map(|f| {
            format!(
                "{}\t{}\n",
                f.choice.key(),
                f.error.replace(['\n', '\t'], " ")
            )
        })
        .collect()
}

/// What failed before, as passed by the parent.
pub fn failures_from_env() -> Vec<RendererFailure> {
    parse_failures(&std::env::var(FAILED_ENV).unwrap_or_default())
}

pub fn parse_failures(text: &str) -> Vec<RendererFailure> {
    text.lines()
        .filter_map(|line| {
            let (key, error) = line.split_once('\t')?;
            Some(RendererFailure {
                choice: RendererChoice::from_key(key)?,
                error: error.to_string(),
            })
        })
        .collect()
}

/// A renderer that did not open the window, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RendererFailure {
    pub choice: RendererChoice,
    pub error: String,
}

/// What Settings shows: the renderer drawing the window, the graphics it runs on, and the ones that
/// failed before it on this start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RendererInUse {
    pub choice: RendererChoice,
    /// The graphics adapter and API when the renderer tells (wgpu does: "Vulkan: llvmpipe").
    pub detail: Option<String>,
    pub failed: Vec<RendererFailure>,
}

impl RendererInUse {
    pub fn new(
        choice: RendererChoice,
        cc: &eframe::CreationContext<'_>,
        failed: Vec<RendererFailure>,
    ) -> RendererInUse {
        let detail = cc.wgpu_render_state.as_ref().map(|state| {
            let info = state.adapter.get_info();
            format!("{:?}: {}", info.backend, info.name)
        });
        RendererInUse {
            choice,
            detail,
            failed,
        }
    }

    /// One line: the renderer and, when known, the adapter.
    pub fn summary(&self, lang: Lang) -> String {
        match &self.detail {
            Some(detail) => format!("{} · {detail}", self.choice.text(lang)),
            None => self.choice.text(lang).to_string(),
        }
    }
}

/// The message when no renderer could open the window, in both languages (the language setting is
/// in the window that did not open).
pub fn nothing_worked(failures: &[RendererFailure]) -> Msg {
    let list = |lang: Lang| {
        failures
            .iter()
            .map(|f| format!("\n• {}: {}", f.choice.text(lang), f.error))
            .collect::<String>()
    };
    Msg::new(
        format!(
            "posdesk could not open its window: this PC's graphics driver could not start any of the ways posdesk draws. Update the graphics driver (or ask your IT support to), then start posdesk again. The command-line program posdesk-cli still works.{}",
            list(Lang::En)
        ),
        format!(
            "posdesk 无法打开窗口：这台电脑的显卡驱动无法启动 posdesk 的任何一种绘图方式。请更新显卡驱动（或请 IT 支持人员更新），然后重新启动 posdesk。命令行程序 posdesk-cli 仍可使用。{}",
            list(Lang::Zh)
        ),
    )
}

/// Say that no renderer worked: on stderr, and in a message box a clerk sees (posdesk.exe has no
/// console on Windows).
pub fn report_nothing_worked(failures: &[RendererFailure]) {
    let msg = nothing_worked(failures);
    eprintln!("posdesk: {}", msg.en);
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("posdesk")
        .set_description(format!("{}\n\n{}", msg.zh, msg.en))
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

/// The text of a panic caught while a renderer was starting.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the renderer stopped with an unknown error".to_string())
}

/// Wraps the app to remember the renderer once a frame has been drawn with it: the second call to
/// `ui` means the first frame was painted and presented without an error.
pub struct RememberWhenDrawn<A> {
    inner: A,
    store: RendererStore,
    choice: RendererChoice,
    frames: u8,
}

impl<A: eframe::App> RememberWhenDrawn<A> {
    pub fn new(inner: A, store: RendererStore, choice: RendererChoice) -> Self {
        RememberWhenDrawn {
            inner,
            store,
            choice,
            frames: 0,
        }
    }
}

/// Every method is passed on, so the wrapped app behaves exactly as without the wrapper.
impl<A: eframe::App> eframe::App for RememberWhenDrawn<A> {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.inner.logic(ctx, frame);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.frames < 2 {
            self.frames += 1;
            if self.frames == 2 {
                self.store.save(&RendererMemory {
                    works: Some(self.choice),
                    trying: None,
                });
            } else {
                // Make sure a second frame comes, even on a screen that asks for none.
                ui.ctx().request_repaint();
            }
        }
        self.inner.ui(ui, frame);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.inner.save(storage);
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        self.inner.on_exit(gl);
    }

    fn auto_save_interval(&self) -> std::time::Duration {
        self.inner.auto_save_interval()
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        self.inner.clear_color(visuals)
    }

    fn persist_egui_memory(&self) -> bool {
        self.inner.persist_egui_memory()
    }

    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        self.inner.raw_input_hook(ctx, raw_input);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RendererChoice::*;

    #[test]
    fn a_new_pc_tries_the_fastest_first() {
        assert_eq!(
            RendererMemory::default().attempt_order(None),
            vec![Wgpu, WgpuGl, Glow]
        );
    }

    #[test]
    fn what_worked_last_is_tried_first_and_the_rest_stay_behind_it() {
        let memory = RendererMemory {
            works: Some(Glow),
            trying: None,
        };
        assert_eq!(memory.attempt_order(None), vec![Glow, Wgpu, WgpuGl]);
        let memory = RendererMemory {
            works: Some(WgpuGl),
            trying: None,
        };
        assert_eq!(memory.attempt_order(None), vec![WgpuGl, Wgpu, Glow]);
    }

    #[test]
    fn one_that_died_before_its_first_frame_goes_last() {
        let memory = RendererMemory {
            works: None,
            trying: Some(Wgpu),
        };
        assert_eq!(memory.attempt_order(None), vec![WgpuGl, Glow, Wgpu]);
        // Even when it is the one that used to work (a driver update broke it).
        let memory = RendererMemory {
            works: Some(WgpuGl),
            trying: Some(WgpuGl),
        };
        assert_eq!(memory.attempt_order(None), vec![Wgpu, Glow, WgpuGl]);
    }

    #[test]
    fn a_forced_renderer_is_the_only_one_tried() {
        let memory = RendererMemory {
            works: Some(Wgpu),
            trying: None,
        };
        assert_eq!(memory.attempt_order(Some(Glow)), vec![Glow]);
    }

    #[test]
    fn the_file_round_trips_and_damage_is_ignored() {
        let memory = RendererMemory {
            works: Some(WgpuGl),
            trying: Some(Glow),
        };
        assert_eq!(RendererMemory::parse(&memory.to_text()), memory);
        assert_eq!(
            RendererMemory::parse("works = vulkan9\n\u{0}garbage\ntrying=glow"),
            RendererMemory {
                works: None,
                trying: Some(Glow)
            }
        );
        assert_eq!(RendererMemory::parse(""), RendererMemory::default());
    }

    #[test]
    fn the_store_keeps_the_memory_in_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("new folder 数据");
        let store = RendererStore::in_dir(Some(&folder));
        assert_eq!(store.load(), RendererMemory::default());
        let memory = RendererMemory {
            works: Some(Glow),
            trying: None,
        };
        store.save(&memory);
        assert!(folder.join(MEMORY_FILE).is_file());
        assert_eq!(store.load(), memory);
        // Without a folder nothing is written and nothing is remembered.
        let none = RendererStore::in_dir(None);
        none.save(&memory);
        assert_eq!(none.load(), RendererMemory::default());
    }

    #[test]
    fn the_gl_choice_limits_wgpu_to_opengl_and_glow_switches_renderer() {
        let gl = WgpuGl.apply(eframe::NativeOptions::default());
        assert_eq!(gl.renderer, eframe::Renderer::Wgpu);
        match &gl.wgpu_options.wgpu_setup {
            eframe::egui_wgpu::WgpuSetup::CreateNew(setup) => {
                assert_eq!(
                    setup.instance_descriptor.backends,
                    eframe::wgpu::Backends::GL
                );
            }
            other => panic!("unexpected setup {other:?}"),
        }
        assert_eq!(
            Glow.apply(eframe::NativeOptions::default()).renderer,
            eframe::Renderer::Glow
        );
        assert_eq!(
            Wgpu.apply(eframe::NativeOptions::default()).renderer,
            eframe::Renderer::Wgpu
        );
    }

    #[test]
    fn the_message_names_every_failure_in_both_languages() {
        let msg = nothing_worked(&[
            RendererFailure {
                choice: Wgpu,
                error: "Parent device is lost".into(),
            },
            RendererFailure {
                choice: Glow,
                error: "no GL context".into(),
            },
        ]);
        assert!(msg.en.contains("Parent device is lost") && msg.en.contains("glow"));
        assert!(msg.zh.contains("显卡驱动") && msg.zh.contains("no GL context"));
    }

    #[test]
    fn failures_pass_to_the_child_and_a_crash_leaves_its_last_words() {
        let failures = vec![RendererFailure {
            choice: Wgpu,
            error: "Parent device\nis lost".into(),
        }];
        assert_eq!(
            parse_failures(&failures_text(&failures)),
            vec![RendererFailure {
                choice: Wgpu,
                error: "Parent device is lost".into(),
            }]
        );
        assert_eq!(parse_failures("dx11\toops\nno tab"), vec![]);
        let stderr = "Assertion failed: !optional_user_extension_count, file device.c\n\n";
        assert_eq!(
            last_words(stderr).as_deref(),
            Some("Assertion failed: !optional_user_extension_count, file device.c")
        );
        assert_eq!(
            last_words(
                "posdesk: WGPU error: Parent device is lost\nnote: run with RUST_BACKTRACE=1\n"
            )
            .as_deref(),
            Some("WGPU error: Parent device is lost")
        );
        assert_eq!(last_words("  \n"), None);
    }

    #[test]
    fn names_round_trip() {
        for c in ORDER {
            assert_eq!(RendererChoice::from_key(c.key()), Some(c));
        }
        assert_eq!(RendererChoice::from_key(" glow "), Some(Glow));
        assert_eq!(RendererChoice::from_key("dx11"), None);
    }
}
