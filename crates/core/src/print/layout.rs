//! The drawing layer under the checklist: one bundled typeface that both measures and places text,
//! a few drawing operations, and the step that turns laid-out pages into PDF bytes with krilla.
//!
//! Text is placed glyph by glyph from the font's `cmap` and advance widths (no shaping engine): the
//! sheet is CJK and plain Latin, which need no ligatures or reordering, and measuring with the same
//! numbers that place the glyphs is what keeps wrapped lines inside the paper.

use super::PrintError;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document};
use std::sync::OnceLock;

/// The GUI's font (a GB2312 subset of Noto Sans CJK SC that covers ASCII too); krilla subsets it
/// again to the glyphs a sheet uses.
static FONT_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/PosdeskSans-CJK.otf");

/// Line height as a multiple of the font size.
pub(crate) const LEADING: f32 = 1.3;

pub(crate) struct Typeface {
    face: ttf_parser::Face<'static>,
    font: Font,
    units_per_em: f32,
    ascent: f32,
    /// Glyph and advance of each ASCII character: most of a sheet, and a `cmap` lookup each time
    /// was a quarter of a 50-terminal week's render.
    ascii: Vec<(GlyphId, f32)>,
}

impl Typeface {
    /// The bundled typeface, parsed once per process.
    pub(crate) fn bundled() -> Result<&'static Typeface, PrintError> {
        static TYPEFACE: OnceLock<Option<Typeface>> = OnceLock::new();
        TYPEFACE
            .get_or_init(|| {
                let face = ttf_parser::Face::parse(FONT_BYTES, 0).ok()?;
                let font = Font::new(Data::from(FONT_BYTES), 0)?;
                let units_per_em = f32::from(face.units_per_em());
                let ascent = f32::from(face.ascender()) / units_per_em;
                let mut typeface = Typeface {
                    face,
                    font,
                    units_per_em,
                    ascent,
                    ascii: Vec::new(),
                };
                typeface.ascii = (0u8..128).map(|b| typeface.lookup(char::from(b))).collect();
                Some(typeface)
            })
            .as_ref()
            .ok_or(PrintError::Font)
    }

    fn glyph(&self, c: char) -> (GlyphId, f32) {
        match self.ascii.get(c as usize) {
            Some(g) => *g,
            None => self.lookup(c),
        }
    }

    fn lookup(&self, c: char) -> (GlyphId, f32) {
        let id = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        let advance = self.face.glyph_hor_advance(id).unwrap_or(0);
        (
            GlyphId::new(u32::from(id.0)),
            f32::from(advance) / self.units_per_em,
        )
    }

    /// Whether the font draws `c` (anything else prints as the empty-box glyph).
    #[cfg(test)]
    pub(crate) fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let (id, advance) = self.glyph(c);
                KrillaGlyph::new(id, advance, 0.0, 0.0, 0.0, i..i + c.len_utf8(), None)
            })
            .collect()
    }

    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }

    /// `text` cut to fit `max_width`, ending in "…" when something was cut.
    pub(crate) fn fit(&self, text: &str, size: f32, max_width: f32) -> String {
        if self.width(text, size) <= max_width {
            return text.to_string();
        }
        self.cut(text, size, max_width)
    }

    /// `text` shortened as needed so that it and a final "…" fit `max_width`.
    fn cut(&self, text: &str, size: f32, max_width: f32) -> String {
        let budget = max_width - self.width("…", size);
        let mut used = 0.0;
        let mut out = String::new();
        for c in text.chars() {
            used += self.glyph(c).1 * size;
            if used > budget {
                break;
            }
            out.push(c);
        }
        out.truncate(out.trim_end().len());
        out.push('…');
        out
    }

    /// `text` broken into at most `max_lines` lines of at most `max_width`: between words for Latin
    /// text, between any two characters for Chinese (but not before closing punctuation). A text
    /// that needs more lines ends its last line in "…".
    pub(crate) fn wrap(
        &self,
        text: &str,
        size: f32,
        max_width: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut line_width = 0.0;
        let mut overflow = false;
        for piece in pieces(text) {
            let piece_width = self.width(&piece, size);
            let trailing = self.width(&piece[piece.trim_end().len()..], size);
            if line.is_empty() || line_width + piece_width - trailing <= max_width {
                line.push_str(&piece);
                line_width += piece_width;
                continue;
            }
            lines.push(line.trim_end().to_string());
            if lines.len() == max_lines {
                overflow = true;
                break;
            }
            line = piece.trim_start().to_string();
            line_width = self.width(&line, size);
        }
        if !overflow && !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
        }
        // A single piece wider than the line (a long number) is cut rather than spilling over.
        let last = lines.len().saturating_sub(1);
        for (i, l) in lines.iter_mut().enumerate() {
            if overflow && i == last {
                *l = self.cut(l, size, max_width);
            } else if self.width(l, size) > max_width {
                *l = self.fit(l, size, max_width);
            }
        }
        lines
    }
}

/// Break opportunities: a Latin word with its trailing spaces, or one CJK character with any closing
/// punctuation that must not start a line.
fn pieces(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_space = false;
    for c in text.chars() {
        let closing = is_closing(c);
        if closing {
            cur.push(c);
            prev_space = false;
            continue;
        }
        let wide = is_wide(c);
        let starts_new = wide
            || (prev_space && !c.is_whitespace())
            || cur.chars().last().is_some_and(is_wide_or_closing_wide);
        if starts_new && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
        prev_space = c.is_whitespace();
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        && !is_closing(c)
}

fn is_wide_or_closing_wide(c: char) -> bool {
    is_wide(c) || (is_closing(c) && (c as u32) > 0x2000)
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '…'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
    )
}

/// How a text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ink {
    Body,
    /// Filled and outlined: the only face is Regular, so headings get a faux bold.
    Bold,
    Grey,
}

/// One drawing operation; `y` is the top of the thing drawn (for text, the top of its line box).
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        ink: Ink,
        text: String,
    },
    /// A square or rectangle outline (the tick box).
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        line: f32,
    },
    /// A horizontal line (rules, writing lines).
    Rule {
        x: f32,
        y: f32,
        w: f32,
        line: f32,
        grey: bool,
    },
    /// Code 128 bars: dark runs `(first module, modules)` from `x`, each drawn `shave` modules
    /// narrower on both sides (bar width reduction for a printer's dot gain).
    Bars {
        x: f32,
        y: f32,
        module: f32,
        height: f32,
        runs: Vec<(usize, usize)>,
        shave: f32,
    },
}

impl Op {
    pub(crate) fn text(x: f32, y: f32, size: f32, ink: Ink, text: impl Into<String>) -> Op {
        Op::Text {
            x,
            y,
            size,
            ink,
            text: text.into(),
        }
    }

    pub(crate) fn shifted(mut self, dy: f32) -> Op {
        match &mut self {
            Op::Text { y, .. } | Op::Frame { y, .. } | Op::Rule { y, .. } | Op::Bars { y, .. } => {
                *y += dy
            }
        }
        self
    }

    /// Left and right edge, for the "nothing off the paper" checks.
    #[cfg(test)]
    pub(crate) fn x_extent(&self, tf: &Typeface) -> (f32, f32) {
        match self {
            Op::Text { x, size, text, .. } => (*x, x + tf.width(text, *size)),
            Op::Frame { x, w, line, .. } => (x - line / 2.0, x + w + line / 2.0),
            Op::Rule { x, w, .. } => (*x, x + w),
            Op::Bars {
                x, module, runs, ..
            } => {
                let end = runs.last().map_or(0, |(s, n)| s + n);
                (*x, x + end as f32 * module)
            }
        }
    }
}

/// A laid-out page in points, origin top left.
#[derive(Debug, Clone)]
pub(crate) struct PageLayout {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

/// The PDF of `pages`.
pub(crate) fn write_pdf(
    tf: &Typeface,
    pages: &[PageLayout],
    title: &str,
    language: &str,
) -> Result<Vec<u8>, PrintError> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language(language.to_string())
            .creator("posdesk".to_string()),
    );
    for layout in pages {
        let settings = PageSettings::from_wh(layout.width, layout.height).ok_or_else(|| {
            PrintError::Pdf(format!(
                "bad page size {} x {}",
                layout.width, layout.height
            ))
        })?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in &layout.ops {
            draw(tf, &mut surface, op);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PrintError::Pdf(e.to_string()))
}

fn fill(grey: u8) -> Fill {
    Fill {
        paint: luma::Color::new(grey).into(),
        ..Fill::default()
    }
}

fn stroke(width: f32, grey: u8) -> Stroke {
    Stroke {
        paint: luma::Color::new(grey).into(),
        width,
        ..Stroke::default()
    }
}

const GREY: u8 = 90;
const LIGHT: u8 = 160;

fn draw(tf: &Typeface, surface: &mut Surface<'_>, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            ink,
            text,
            ..
        } => {
            let (f, s) = match ink {
                Ink::Body => (fill(0), None),
                Ink::Bold => (fill(0), Some(stroke(size * 0.045, 0))),
                Ink::Grey => (fill(GREY), None),
            };
            surface.set_fill(Some(f));
            surface.set_stroke(s);
            let baseline = y + (LEADING - 1.0) / 2.0 * size + tf.ascent * size;
            surface.draw_glyphs(
                Point::from_xy(*x, baseline),
                &tf.glyphs(text),
                tf.font.clone(),
                text,
                *size,
                false,
            );
        }
        Op::Frame { x, y, w, h, line } => {
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                let mut pb = PathBuilder::new();
                pb.push_rect(rect);
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(*line, 0)));
                    surface.draw_path(&path);
                }
            }
        }
        Op::Rule {
            x,
            y,
            w,
            line,
            grey,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x, *y);
            pb.line_to(x + w, *y);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*line, if *grey { LIGHT } else { 0 })));
                surface.draw_path(&path);
            }
        }
        Op::Bars {
            x,
            y,
            module,
            height,
            runs,
            shave,
        } => {
            // Drawn in module units under a scale: "12 0 2 1 re" instead of long coordinates keeps a
            // 3,500-barcode week's content streams (and their compression time) small.
            let mut pb = PathBuilder::new();
            for (start, modules) in runs {
                if let Some(rect) = Rect::from_xywh(
                    *start as f32 + shave,
                    0.0,
                    *modules as f32 - 2.0 * shave,
                    1.0,
                ) {
                    pb.push_rect(rect);
                }
            }
            if let Some(path) = pb.finish() {
                surface.push_transform(&Transform::from_row(*module, 0.0, 0.0, *height, *x, *y));
                surface.set_stroke(None);
                surface.set_fill(Some(fill(0)));
                surface.draw_path(&path);
                surface.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn wraps_chinese_and_english_inside_the_width() {
        let tf = Typeface::bundled().unwrap();
        let zh = "用清洁卡清洁磁条读头，来回刷三次，然后做一笔测试交易。";
        let lines = tf.wrap(zh, 10.0, 80.0, 5);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), zh);
        assert!(lines.iter().all(|l| tf.width(l, 10.0) <= 80.0), "{lines:?}");
        assert!(
            lines
                .iter()
                .skip(1)
                .all(|l| !l.starts_with('，') && !l.starts_with('。'))
        );

        let en = "Swipe the cleaning card through the reader three times";
        let lines = tf.wrap(en, 10.0, 100.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines[0].starts_with("Swipe the"));
        assert!(
            lines.iter().all(|l| tf.width(l, 10.0) <= 100.0),
            "{lines:?}"
        );
    }

    #[test]
    fn the_font_covers_the_sheet() {
        let tf = Typeface::bundled().unwrap();
        for c in "日期签名姓名缩写完成…☐0123456789ABCxyz-:".chars() {
            assert!(tf.has(c) || c == '☐', "{c}");
        }
    }
}
