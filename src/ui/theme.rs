//! Large, clear text and the colours that carry meaning (always with an icon and words beside them).

use crate::domain::code::{Category, Retry};
use eframe::egui::{self, Color32, FontFamily, FontId, TextStyle};

pub const MIN_ZOOM: f32 = 0.7;
pub const MAX_ZOOM: f32 = 2.5;
pub const ZOOM_STEP: f32 = 0.1;

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

/// How a retry advice looks: icon, colour and words together, so it never depends on colour alone.
pub struct RetryLook {
    pub icon: &'static str,
    pub fill: Color32,
    pub text: Color32,
}

pub fn retry_look(retry: Retry, category: Category, dark: bool) -> RetryLook {
    let (icon, light_fill, dark_fill) = if category == Category::Approved {
        ("✔", (0xD7, 0xF5, 0xDD), (0x1D, 0x4D, 0x2A))
    } else {
        match retry {
            Retry::Now => ("🔄", (0xD7, 0xF5, 0xDD), (0x1D, 0x4D, 0x2A)),
            Retry::AfterFix => ("🔧", (0xD6, 0xE8, 0xFF), (0x1B, 0x3A, 0x63)),
            Retry::Never => ("⛔", (0xFF, 0xD9, 0xD6), (0x63, 0x1E, 0x1A)),
            Retry::CheckFirst => ("⚠", (0xFF, 0xE8, 0xB3), (0x5E, 0x45, 0x0A)),
        }
    };
    let (r, g, b) = if dark { dark_fill } else { light_fill };
    RetryLook {
        icon,
        fill: Color32::from_rgb(r, g, b),
        text: if dark { Color32::WHITE } else { Color32::BLACK },
    }
}
