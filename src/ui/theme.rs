//! Large, clear text and the colours that carry meaning (always with an icon and words beside them).

use crate::domain::advice::Advice;
use eframe::egui::{self, Color32, FontFamily, FontId, TextStyle};

pub const MIN_ZOOM: f32 = 0.7;
/// The largest text size every screen is laid out for (checked at 800×600 by the UI tests).
pub const MAX_ZOOM: f32 = 2.0;
pub const ZOOM_STEP: f32 = 0.1;
/// The smallest space, in points, the screens are laid out for. Text grows only as far as the window
/// keeps this much room: a larger text size than that would push the answer off the screen.
pub const MIN_LAYOUT: (f32, f32) = (600.0, 500.0);

/// The largest zoom this window can hold (see `MIN_LAYOUT`), never below 1 or above `MAX_ZOOM`.
pub fn fitting_zoom(ctx: &egui::Context) -> f32 {
    let unzoomed = ctx.content_rect().size() * ctx.zoom_factor();
    let fit = (unzoomed.x / MIN_LAYOUT.0).min(unzoomed.y / MIN_LAYOUT.1);
    (fit * 10.0).floor() / 10.0
}

/// The zoom to apply: what the clerk asked for, as far as the window holds it.
pub fn effective_zoom(wanted: f32, fit: f32) -> f32 {
    wanted.clamp(MIN_ZOOM, MAX_ZOOM).min(fit.max(1.0))
}

/// Bigger than egui's defaults: the clerk reads this standing, under pressure.
pub fn apply(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(18.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(18.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(28.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(18.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(12.0, 6.0);
        style.spacing.interact_size.y = 34.0;
        // A blinking cursor repaints forever; the idle app must use no CPU.
        style.visuals.text_cursor.blink = false;
        // Radio buttons and check boxes as large as the text beside them.
        style.spacing.icon_width = 22.0;
        style.spacing.icon_width_inner = 12.0;
    });
    // egui's default text is mid-grey; a clerk glancing at the screen needs strong contrast.
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        let w = &mut style.visuals.widgets;
        w.noninteractive.fg_stroke.color = Color32::from_gray(225);
        w.inactive.fg_stroke.color = Color32::from_gray(240);
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        let w = &mut style.visuals.widgets;
        w.noninteractive.fg_stroke.color = Color32::from_gray(20);
        w.inactive.fg_stroke.color = Color32::from_gray(10);
    });
}

/// Text sizes of the screens, in points, so screens do not scatter literal sizes.
pub mod size {
    pub const CODE: f32 = 34.0;
    pub const TITLE: f32 = 28.0;
    pub const BANNER: f32 = 24.0;
    pub const SECTION: f32 = 22.0;
    pub const READ: f32 = 20.0;
    pub const LABEL: f32 = 18.0;
    pub const ROW_CODE: f32 = 20.0;
    pub const ROW_TITLE: f32 = 17.0;
    pub const SMALL: f32 = 15.0;
}

/// How an advice looks: icon, colour and words together, so it never depends on colour alone. No two
/// advices share a fill: "approved, do not charge again" (blue) and "safe to retry" (green) especially.
pub struct AdviceLook {
    pub icon: &'static str,
    pub fill: Color32,
    pub text: Color32,
    /// The colour of the short word on a result row, readable on the list's background.
    pub accent: Color32,
}

pub fn advice_look(advice: Advice, dark: bool) -> AdviceLook {
    let (icon, light_fill, dark_fill, light_accent, dark_accent) = match advice {
        Advice::Approved => (
            "✔",
            (0xD6, 0xE6, 0xFF),
            (0x1A, 0x3C, 0x78),
            (0x1A, 0x4A, 0x9A),
            (0x8F, 0xB8, 0xFF),
        ),
        Advice::PartlyApproved => (
            "½",
            (0xFF, 0xE0, 0xC2),
            (0x6B, 0x3A, 0x0E),
            (0x9A, 0x4A, 0x00),
            (0xFF, 0xB8, 0x70),
        ),
        Advice::RetryNow => (
            "🔄",
            (0xD7, 0xF5, 0xDD),
            (0x1D, 0x4D, 0x2A),
            (0x1E, 0x6B, 0x34),
            (0x7E, 0xE0, 0x98),
        ),
        Advice::QuickFix => (
            "🔄",
            (0xD4, 0xF0, 0xEE),
            (0x14, 0x47, 0x45),
            (0x0E, 0x63, 0x5E),
            (0x7A, 0xDC, 0xD2),
        ),
        Advice::MerchantSide => (
            "🔧",
            (0xE2, 0xE6, 0xEA),
            (0x33, 0x3A, 0x42),
            (0x40, 0x4C, 0x5A),
            (0xB8, 0xC4, 0xD2),
        ),
        Advice::AfterFix => (
            "🔧",
            (0xE6, 0xE0, 0xF5),
            (0x3C, 0x32, 0x5A),
            (0x55, 0x40, 0x8A),
            (0xC4, 0xB0, 0xF0),
        ),
        Advice::Declined | Advice::DoNotRetry => (
            "⛔",
            (0xFF, 0xD9, 0xD6),
            (0x63, 0x1E, 0x1A),
            (0xA8, 0x1E, 0x14),
            (0xFF, 0x90, 0x86),
        ),
        Advice::CheckFirst => (
            "⚠",
            (0xFF, 0xE8, 0xB3),
            (0x5E, 0x45, 0x0A),
            (0x8A, 0x5A, 0x00),
            (0xFF, 0xD2, 0x5E),
        ),
    };
    let rgb = |(r, g, b): (u8, u8, u8)| Color32::from_rgb(r, g, b);
    AdviceLook {
        icon,
        fill: rgb(if dark { dark_fill } else { light_fill }),
        text: if dark { Color32::WHITE } else { Color32::BLACK },
        accent: rgb(if dark { dark_accent } else { light_accent }),
    }
}
