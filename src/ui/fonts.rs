//! The bundled Chinese font. egui's own fonts cover Latin only; a till PC may have no CJK font at all, so
//! posdesk carries a GB2312 subset of Noto Sans CJK SC (renamed, OFL; see assets/fonts/README.md) and
//! keeps eframe's system-font fallback for rare characters a user types.

use eframe::egui::{self, FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/PosdeskSans-CJK.otf");
const CJK_FONT_NAME: &str = "PosdeskSansCJK";

/// Add the Chinese font: first for ordinary text (its Latin letters are regular weight, easier to read
/// at a glance than egui's light default, and both scripts then match), last for monospace.
pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        CJK_FONT_NAME,
        FontData::from_static(CJK_FONT),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Highest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}
